"""The FortiVoice Cloud user portal: sign-in (guide p.7), header and navigation (p.10-11).

Run with `streamlit run dashboards/app.py`; $FVKIT_DB names the database file.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import streamlit as st

from dashboards import session
from dashboards.gc_freeze import freeze_imports
from dashboards.markdown import plain
from fvkit.domain.calls import ExtensionStatus
from fvkit.domain.prefs import DEFAULT_THEME, THEME_COLORS, Theme
from fvkit.domain.screens import SCREENS
from fvkit.portal import auth, home, preferences
from fvkit.portal.runtime import StoreLocked

PAGES = Path(__file__).parent / "app_pages"
_LOG = logging.getLogger("fvkit.portal")
TITLE = "FortiVoice Cloud user portal"

#: Header badge per status (guide p.10 item 5).
STATUS_BADGE: dict[ExtensionStatus, tuple[str, Literal["green", "orange", "blue", "red"]]] = {
    ExtensionStatus.NOT_IN_USE: ("🟢", "green"),
    ExtensionStatus.IN_USE: ("🟠", "orange"),
    ExtensionStatus.RINGING: ("🔔", "blue"),
    ExtensionStatus.DND: ("⛔", "red"),
}


def sign_in_form() -> None:
    """Draw the login form (guide p.7) and sign the user in on submit (AUTH-1)."""
    _, middle, _ = st.columns([1, 1.2, 1])
    with middle:
        st.title("☎️ FortiVoice Cloud")
        st.caption("User portal")
        with st.form("signin_form"):
            st.text_input("Extension", key="signin_extension")
            st.text_input("Password", type="password", key="signin_password")
            st.checkbox("Remember me", key="signin_remember")
            st.form_submit_button("Login", type="primary", width="stretch", on_click=sign_in)
        refused = st.session_state.pop("signin_error", None)
        if refused:
            st.error(plain(refused))


def sign_in() -> None:
    """Sign the user in from the login form (a callback: the one run Login starts shows the portal)."""
    state = st.session_state
    try:
        user = auth.sign_in(session.store(), state["signin_extension"], state["signin_password"], session.now())
    except auth.SignInError as err:
        state["signin_error"] = err.message
    else:
        session.set_user(user, remember=bool(state["signin_remember"]))
        state.pop("signed_out", None)


def draw_header(user: auth.User, home_page: st.Page) -> None:
    """Draw the header: home link, help, name with log-out menu, number, status (HOME-2)."""
    head = home.header(session.store(), user)
    icon, color = STATUS_BADGE[head.status]
    with st.container(horizontal=True, vertical_alignment="center", key="hdr"):
        st.page_link(home_page, label="FortiVoice Cloud", icon="☎️", width="content")
        st.space("stretch")
        st.link_button("❓ Help", home.HELP_URL, type="tertiary", help="User portal documentation")
        with st.popover(f"👤 {plain(head.display_name)}", key="hdr_menu"):
            st.markdown(f"**{plain(head.display_name)}**  \nExtension {plain(head.number)}")
            if st.button("Log Out", key="hdr_logout", icon="🚪"):
                session.sign_out()
                st.rerun()
        st.markdown(f"**{head.number}**", width="content")
        st.badge(head.status.value, icon=icon, color=color)
        st.button("🔄", key="hdr_refresh", help="Refresh the extension status", type="tertiary")


#: Streamlit's own table toolbar offers "Download as CSV" of the rows on screen only; the portal's
#: Download buttons are the ones that follow the guide (20,000 records, the filters).
HIDE_CHROME = '<style>[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none; }</style>'


def apply_theme(user: auth.User) -> None:
    """Colour the portal with the user's Display Preference > Theme (guide p.57, PREF-5)."""
    color = THEME_COLORS.get(Theme(preferences.display(session.store(), user).theme), THEME_COLORS[DEFAULT_THEME])
    # NOTE: Streamlit's theme is one per server; a user's theme recolours each kind of primary control
    st.html(
        "<style>"
        f'[data-testid^="stBaseButton-primary"] {{ background-color: {color}; border-color: {color}; }}'
        f'[data-testid="stHeadingWithActionElements"] h3 {{ color: {color}; }}'
        f'[data-testid="stSidebarNavLink"][aria-current="page"] span {{ color: {color}; }}'
        f'[data-testid="stCheckbox"] label[data-selected="true"] > span + div {{ background-color: {color}; }}'
        f'[data-testid="stRadioOption"][data-selected="true"] > div > div:first-child'
        f" {{ background-color: {color}; border-color: {color}; }}"
        f'[data-testid="stMultiSelectTagsContainer"] [data-tag] {{ background-color: {color}; }}'
        f'[data-testid$="Active"][data-testid^="stBaseButton-"] {{ border-color: {color}; color: {color}; }}'
        f'[data-baseweb="tab-highlight"] {{ background-color: {color}; }}'
        f'[data-baseweb="slider"] [role="slider"] {{ background-color: {color}; }}'
        "</style>"
    )


def login_pages() -> list[st.Page]:
    """Return the login form under the login URL and under every page's URL.

    A reload opens a new, signed-out session at the same URL; answering it with the
    form (instead of Streamlit's "Page not found" dialog) also brings the user back to
    that page once signed in.
    """
    slugs = ["home", *(r.slug for r in SCREENS if (PAGES / f"{r.slug}.py").exists())]
    login = st.Page(sign_in_form, title="Login", url_path="login", default=True)
    return [login, *(st.Page(sign_in_form, title="Login", url_path=slug) for slug in slugs)]


def pages_for(user: auth.User) -> list[st.Page]:
    """Return Home plus a page for each screen the user may open whose page exists."""
    pages = [st.Page(PAGES / "home.py", title="Home", icon="🏠", url_path="home", default=True)]
    for rule in home.menu(user):
        path = PAGES / f"{rule.slug}.py"
        if path.exists():
            pages.append(st.Page(path, title=rule.screen.value, icon=rule.icon, url_path=rule.slug))
    return pages


def main() -> None:
    """Draw the sign-in form, or the header and the page the user opened."""
    st.set_page_config(page_title=TITLE, page_icon="☎️", layout="wide")
    st.html(HIDE_CHROME)
    # the cookie writer's place, drawn on every run (empty but after a sign-in or a log-out): an element
    # drawn only sometimes would shift every later element's place, and the browser would draw the whole
    # page afresh (both runs' elements side by side until the run ends) instead of updating it
    cookie = st.empty()
    try:
        session.store()
    except StoreLocked as err:
        st.error(plain(err))
        st.stop()
    session.start_live()
    user = session.authenticate()
    if user is None:
        session.write_cleared_cookie(cookie)
        st.navigation(login_pages(), position="hidden").run()
        return
    session.write_pending_cookie(cookie)
    pages = pages_for(user)
    current = st.navigation(pages)
    apply_theme(user)
    draw_header(user, pages[0])
    with error_boundary():
        current.run()


@contextmanager
def error_boundary() -> Iterator[None]:
    """Show a plain message and a reference instead of a traceback; log the details under it.

    Streamlit's reruns and stops are BaseExceptions, not Exceptions: they pass through.
    """
    try:
        yield
    except Exception:
        reference = secrets.token_hex(4)
        _LOG.exception("unhandled error, reference %s", reference)
        st.error(
            f"Something went wrong. Reference {reference}: your administrator finds the details in the portal log."
        )


def run() -> None:
    """Run the portal; nothing a user does shows them a traceback or a server path."""
    st.set_option("client.showErrorDetails", "none")
    try:
        with error_boundary():
            main()
    finally:  # also after st.stop()/st.rerun(), which pass through as BaseExceptions
        freeze_imports()


run()
