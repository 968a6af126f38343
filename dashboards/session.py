"""The portal's process-wide store and the signed-in user of this browser session."""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fvkit.domain.clock import local_date
from fvkit.domain.limits import REMEMBER_ME_TTL, SESSION_TTL
from fvkit.media.mail import MailSettings
from fvkit.portal import auth
from fvkit.portal.runtime import DEFAULT_DB, Store, live_traffic

REPO_ROOT = Path(__file__).resolve().parents[1]

USER_KEY = "user"
TOKEN_KEY = "auth_token"  # noqa: S105 - a session_state key, not a secret
REMEMBER_KEY = "remember_me"
#: the browser keeps only a random token under this cookie name, never the password
COOKIE = "fvkit_session"
LIVE_TICK_S = 2.0  # seconds between live-traffic steps
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    # One connection per process: DuckDB lets one process write a file. Its buffer pool is
    # capped so the portal stays well under 1 GiB resident on a 10M-call store.
    return Store(path, memory_limit=os.environ.get("FVKIT_MEMORY_LIMIT", "512MB"))


@st.cache_resource(show_spinner=False)
def _live(path: str, speed: float) -> threading.Thread:
    """Start live traffic once per process (SIM-5): simulated time runs `speed`x the wall clock."""
    start_wall = now()
    seed = int(start_wall.timestamp())
    traffic = live_traffic(_open_store(path), start_wall, seed=seed, mail=MailSettings.from_env())

    def run() -> None:
        while True:
            time.sleep(LIVE_TICK_S)
            try:
                traffic.advance(start_wall + (now() - start_wall) * speed)
            except Exception:  # keep the portal up; the next tick tries again
                logging.getLogger("fvkit.live").exception("live traffic step failed")

    thread = threading.Thread(target=run, name="fvkit-live", daemon=True)
    thread.start()
    return thread


def start_live() -> None:
    """Run live traffic in this process when FVKIT_LIVE_SPEED is set (`fvkit serve --live`)."""
    speed = os.environ.get("FVKIT_LIVE_SPEED")
    if speed:
        _live(str(db_path()), float(speed))


def db_path() -> Path:
    """Return the database file: $FVKIT_DB, else data/fvkit.duckdb in the repo."""
    return Path(os.environ.get("FVKIT_DB") or REPO_ROOT / DEFAULT_DB).resolve()


def store() -> Store:
    """Return the process's store, opened on first use."""
    return _open_store(str(db_path()))


def current_user() -> auth.User | None:
    """Return the user signed in to this browser session, if any."""
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, auth.User) else None


def now() -> datetime:
    """Return the wall clock as naive UTC: the portal's one reading of it (the library takes time as an argument)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today(user: auth.User) -> date:
    """Return the user's date today, in their time zone (PREF-5)."""
    return local_date(now(), user.time_zone)


def require_user() -> auth.User:
    """Return the signed-in user; a page run without one stops here (the entry file shows the sign-in)."""
    user = current_user()
    if user is None:
        st.stop()
    return user


def _set_cookie(slot: DeltaGenerator, value: str, max_age: int | None) -> None:
    """Set the session cookie on the portal's own origin, drawing the script into `slot`: with
    max_age None it ends with the browser session; max_age 0 clears it."""
    if value and not _TOKEN.match(value):
        raise ValueError("refusing to write an unexpected token into the page")
    lifetime = "" if max_age is None else f" Max-Age={max_age};"
    slot.html(
        f"<script>document.cookie = '{COOKIE}={value};{lifetime} Path=/; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def current_token() -> str | None:
    """Return the token this browser session is signed in with (None when signed out)."""
    token = st.session_state.get(TOKEN_KEY)
    return token if isinstance(token, str) else None


def set_user(user: auth.User, *, remember: bool = False) -> None:
    """Sign the user in: a random token in a cookie keeps the sign-in across reloads (AUTH-2).

    Without Remember me the cookie is a session cookie (closing the browser ends it, and the
    server forgets its token after SESSION_TTL); with it, the cookie lasts REMEMBER_ME_TTL.
    Either way only the token's sha256 is stored server-side.
    """
    ttl = REMEMBER_ME_TTL if remember else SESSION_TTL
    token = auth.issue_token(store(), user, now(), ttl)
    st.session_state[USER_KEY] = user
    st.session_state[REMEMBER_KEY] = remember
    st.session_state[TOKEN_KEY] = token
    st.session_state["set_cookie"] = (token, int(ttl.total_seconds()) if remember else None)


def write_pending_cookie(slot: DeltaGenerator) -> None:
    """Hand a new token to the browser (in the run that follows sign-in), drawing into `slot`
    (a placeholder drawn on every run, so that the elements after it keep their places)."""
    pending = st.session_state.pop("set_cookie", None)
    if pending:
        token, max_age = pending
        _set_cookie(slot, token, max_age)


def _cookie_token() -> str | None:
    """Return the session token the browser sent, if it looks like one of ours."""
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) and _TOKEN.match(token) else None


def restore_user() -> auth.User | None:
    """Sign in from the session cookie of a reloaded browser, if its token is still valid."""
    token = _cookie_token()
    if token is None or st.session_state.get("signed_out"):
        return None
    user = auth.user_from_token(store(), token, now())
    if user is not None:
        st.session_state[USER_KEY] = user
        st.session_state[TOKEN_KEY] = token
    return user


def _forget_user() -> None:
    for key in (USER_KEY, TOKEN_KEY, REMEMBER_KEY):
        st.session_state.pop(key, None)
    # the cookie this page was loaded with stays in st.context until a reload: ignore it
    st.session_state["signed_out"] = True
    st.session_state["clear_cookie"] = True


def authenticate() -> auth.User | None:
    """Return the signed-in user of this run, or None.

    A session whose token was revoked (Log Out in another tab of this browser, a password
    change) is signed out here, on its next interaction (AUTH-3, PREF-4).
    """
    user = current_user()
    if user is None:
        return restore_user()
    if not auth.session_valid(store(), user, current_token(), now()):
        _forget_user()
        return None
    return user


def sign_out() -> None:
    """End this browser's sign-in: its tokens (so every tab bound to them), and its cookie (AUTH-3)."""
    user = current_user()
    if user is not None:
        auth.sign_out(store(), user, current_token(), _cookie_token())
    _forget_user()


def write_cleared_cookie(slot: DeltaGenerator) -> None:
    """Remove the session cookie from the browser after a log-out, drawing into `slot`."""
    if st.session_state.pop("clear_cookie", False):
        _set_cookie(slot, "", 0)
