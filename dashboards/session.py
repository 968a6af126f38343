"""The portal's process-wide store and the signed-in user of this browser session."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from fvkit.portal import auth
from fvkit.store.db import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO_ROOT / "data" / "fvkit.duckdb"

USER_KEY = "user"
TOKEN_KEY = "auth_token"  # noqa: S105 - a session_state key, not a secret
REMEMBER_KEY = "remember_me"


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    # One connection per process: DuckDB lets one process write a file.
    return Store(path)


def db_path() -> Path:
    """Return the database file: $FVKIT_DB, else data/fvkit.duckdb in the repo."""
    return Path(os.environ.get("FVKIT_DB") or DEFAULT_DB).resolve()


def store() -> Store:
    """Return the process's store, opened on first use."""
    return _open_store(str(db_path()))


def current_user() -> auth.User | None:
    """Return the user signed in to this browser session, if any."""
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, auth.User) else None


def set_user(user: auth.User, *, remember: bool = False) -> None:
    """Sign the user in to this browser session."""
    st.session_state[USER_KEY] = user
    # NOTE: only the choice is kept for now; AUTH-2 will turn it into a token cookie.
    st.session_state[REMEMBER_KEY] = remember


def sign_out() -> None:
    """End this browser session's sign-in and forget its token (AUTH-3)."""
    user = current_user()
    if user is not None:
        auth.sign_out(store(), user, st.session_state.get(TOKEN_KEY))
    for key in (USER_KEY, TOKEN_KEY, REMEMBER_KEY):
        st.session_state.pop(key, None)
