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

from fvkit.domain.clock import local_date
from fvkit.domain.limits import REMEMBER_ME_TTL
from fvkit.media.mail import MailSettings
from fvkit.portal import auth
from fvkit.portal.runtime import DEFAULT_DB, LiveTraffic, Store

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
    traffic = LiveTraffic(_open_store(path), start_wall, seed=int(start_wall.timestamp()), mail=MailSettings.from_env())

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


def _set_cookie(value: str, max_age: int) -> None:
    """Set (or with max_age 0 clear) the session cookie on the portal's own origin."""
    if value and not _TOKEN.match(value):
        raise ValueError("refusing to write an unexpected token into the page")
    st.html(
        f"<script>document.cookie = '{COOKIE}={value}; Max-Age={max_age}; Path=/; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def set_user(user: auth.User, *, remember: bool = False) -> None:
    """Sign the user in to this browser session; with Remember me, for later sessions too (AUTH-2)."""
    st.session_state[USER_KEY] = user
    st.session_state[REMEMBER_KEY] = remember
    if remember:
        token = auth.issue_token(store(), user, now(), REMEMBER_ME_TTL)
        st.session_state[TOKEN_KEY] = token
        st.session_state["set_cookie"] = token


def write_pending_cookie() -> None:
    """Hand a new Remember-me token to the browser (after the rerun that follows sign-in)."""
    token = st.session_state.pop("set_cookie", None)
    if token:
        _set_cookie(token, int(REMEMBER_ME_TTL.total_seconds()))


def _cookie_token() -> str | None:
    """Return the Remember-me token the browser sent, if it looks like one of ours."""
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) and _TOKEN.match(token) else None


def restore_user() -> auth.User | None:
    """Sign in from the Remember-me cookie of a reloaded browser, if it is still valid."""
    token = _cookie_token()
    if token is None or st.session_state.get("signed_out"):
        return None
    user = auth.user_from_token(store(), token, now())
    if user is not None:
        st.session_state[USER_KEY] = user
        st.session_state[TOKEN_KEY] = token
    return user


def sign_out() -> None:
    """End this browser session's sign-in, its token and its cookie (AUTH-3)."""
    user = current_user()
    token = st.session_state.get(TOKEN_KEY) or _cookie_token()
    if user is not None:
        auth.sign_out(store(), user, token)
    for key in (USER_KEY, TOKEN_KEY, REMEMBER_KEY):
        st.session_state.pop(key, None)
    # the cookie this page was loaded with stays in st.context until a reload: ignore it
    st.session_state["signed_out"] = True
    st.session_state["clear_cookie"] = True


def write_cleared_cookie() -> None:
    """Remove the Remember-me cookie from the browser after a log-out."""
    if st.session_state.pop("clear_cookie", False):
        _set_cookie("", 0)
