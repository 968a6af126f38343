"""The portal's entry file: sign-in form, header, log-out and menu gating (AppTest)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.domain.screens import SCREENS
from fvkit.portal import home
from fvkit.store import Store

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
APP = DASHBOARDS / "app.py"


def _open(app: Path = APP) -> AppTest:
    return AppTest.from_file(str(app), default_timeout=30).run()


def _sign_in(at: AppTest, number: str, password: str) -> AppTest:
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(password)
    at.button[0].click()
    return at.run()


def _markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _page_links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


@pytest.fixture
def stub_pages(tmp_path: Path) -> Path:
    """Return a copy of the portal whose app_pages has a stub page for every screen.

    The real pages arrive one issue at a time; the copy lets the menu be tested now.
    """
    pages = tmp_path / "app_pages"
    pages.mkdir()
    shutil.copy(APP, tmp_path / "app.py")
    shutil.copy(DASHBOARDS / "app_pages" / "home.py", pages / "home.py")
    for rule in SCREENS:
        (pages / f"{rule.slug}.py").write_text(
            f"import streamlit as st\n\nst.write('stub page {rule.slug}')\n", encoding="utf-8"
        )
    return tmp_path / "app.py"


@pytest.mark.req("AUTH-1")
def test_signed_out_shows_only_the_login_form(portal_db: Path) -> None:
    at = _open()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Extension", "Password"]
    assert at.text_input(key="signin_password").proto.type == at.text_input[0].proto.PASSWORD
    assert [c.label for c in at.checkbox] == ["Remember me"]
    assert [b.label for b in at.button] == ["Login"]
    assert at.title[0].value == "☎️ FortiVoice Cloud"
    assert not at.get("popover")


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize(("number", "password"), [("7101", "wrong"), ("7199", "juliet-7101")])
def test_wrong_credentials_show_the_generic_error(portal_db: Path, number: str, password: str) -> None:
    at = _sign_in(_open(), number, password)
    assert [e.value for e in at.error] == ["Invalid extension or password."]
    assert [t.label for t in at.text_input] == ["Extension", "Password"]


@pytest.mark.req("AUTH-4")
def test_an_extension_without_the_portal_privilege_cannot_sign_in(portal_db: Path) -> None:
    at = _sign_in(_open(), "7103", "nora-7103")
    assert [e.value for e in at.error] == ["Invalid extension or password."]


@pytest.mark.req("AUTH-1")
@pytest.mark.req("HOME-2")
def test_signing_in_shows_the_header(portal_db: Path) -> None:
    at = _sign_in(_open(), "7104", "sam-7104")
    assert not at.exception and not at.error
    assert not at.text_input  # the form is gone
    assert at.get("popover")[0].proto.popover.label == "👤 Sam Ortega"
    assert "**7104**" in _markdown(at)
    assert ":orange-badge[🟠 In use]" in _markdown(at)
    assert at.button(key="hdr_refresh").label == "🔄"
    assert at.get("link_button")[0].proto.url == home.HELP_URL
    assert at.session_state["user"].number == "7104"
    assert "signin_password" not in at.session_state  # the password is not kept


@pytest.mark.req("AUTH-2")
def test_remember_me_issues_a_token_whose_hash_alone_is_stored(portal_db: Path) -> None:
    at = _open()
    at.checkbox(key="signin_remember").check()
    at = _sign_in(at, "7101", "juliet-7101")
    assert at.session_state["remember_me"] is True
    token = at.session_state["auth_token"]
    assert all("juliet-7101" not in repr(at.session_state[k]) for k in at.session_state)
    st.cache_resource.clear()  # release the file before reading it here
    db = Store(portal_db)
    digest = hashlib.sha256(token.encode()).hexdigest()
    stored = db.execute(
        "SELECT token_sha256, extension, expires_at - created_at FROM session_token WHERE extension = '7101'"
    ).fetchall()
    db.close()
    # every sign-in has a token now (the session cookie); Remember me's lasts 7 days
    assert (digest, "7101", timedelta(days=7)) in stored
    assert all(token not in repr(row) for row in stored)


@pytest.mark.req("HOME-2")
def test_refresh_shows_the_current_status(portal_db: Path) -> None:
    at = _sign_in(_open(), "7102", "arthur-7102")
    assert ":red-badge[⛔ DND]" in _markdown(at)
    at.button(key="hdr_refresh").click().run()
    assert ":red-badge[⛔ DND]" in _markdown(at)


@pytest.mark.req("AUTH-3")
def test_log_out_returns_to_the_login_form(portal_db: Path) -> None:
    at = _sign_in(_open(), "7101", "juliet-7101")
    at.button(key="hdr_logout").click().run()
    assert [t.label for t in at.text_input] == ["Extension", "Password"]
    assert "user" not in at.session_state
    assert not at.get("popover")


@pytest.mark.req("HOME-1")
def test_home_has_a_tile_for_every_screen_page_the_user_may_open(portal_db: Path) -> None:
    at = _sign_in(_open(), "7101", "juliet-7101")
    user = at.session_state["user"]
    expected = [r.screen.value for r in home.menu(user)]
    assert [r.slug for r in home.menu(user) if not (DASHBOARDS / "app_pages" / f"{r.slug}.py").exists()] == []
    assert expected[0] == "Call History" and len(expected) >= 5
    links = [p.label for p in at.get("page_link") if p.label in {r.screen.value for r in SCREENS}]
    assert links == expected


@pytest.mark.req("HOME-1")
@pytest.mark.req("AUTH-4")
@pytest.mark.parametrize(
    ("number", "password", "tiles"),
    [
        pytest.param(
            "7104",
            "sam-7104",
            [
                "Call History",
                "Voicemail",
                "Contact",
                "Call Handling",
                "Fax",
                "Conference",
                "Device",
                "Preferences",
                "Analytics",
            ],
            id="premium with conference and fax",
        ),
        pytest.param(
            "7101",
            "juliet-7101",
            ["Call History", "Voicemail", "Contact", "Call Handling", "Device", "Preferences", "Analytics"],
            id="standard",
        ),
        pytest.param(
            "7102",
            "arthur-7102",
            ["Call History", "Voicemail", "Device", "Preferences", "Analytics"],
            id="basic with fax privilege",
        ),
    ],
)
def test_home_tiles_follow_privileges_and_access_level(
    portal_db: Path, stub_pages: Path, number: str, password: str, tiles: list[str]
) -> None:
    at = _sign_in(_open(stub_pages), number, password)
    assert not at.exception
    # The first link is the header's home link; the rest are the tiles.
    assert _page_links(at) == ["FortiVoice Cloud", *tiles]


@pytest.mark.req("AUTH-4")
def test_a_page_the_user_may_not_open_is_not_reachable(portal_db: Path, stub_pages: Path) -> None:
    at = _sign_in(_open(stub_pages), "7101", "juliet-7101")
    at.switch_page("app_pages/call_history.py").run()
    assert "stub page call_history" in _markdown(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/conference.py").run()


def _header_place(at: AppTest) -> int:
    return next(i for i, node in at.main.children.items() if str(getattr(node.proto, "id", "")).endswith("-hdr"))


@pytest.mark.req("AUTH-2")
def test_the_cookie_writer_keeps_every_later_element_in_its_place(portal_db: Path) -> None:
    # the sign-in run writes the session cookie; the next run writes none. Were the writer drawn
    # only then, every element after it would move one place down and the browser would draw the
    # whole page afresh on the first click after sign-in (both runs' elements side by side).
    at = _sign_in(_open(), "7101", "juliet-7101")
    assert at.main.children[0].type == "html" and "document.cookie" in at.main.children[0].proto.body
    signed_in = _header_place(at)
    at.run()
    assert at.main.children[0].type == "empty"
    assert _header_place(at) == signed_in
    at.button(key="hdr_logout").click().run()  # the log-out run clears the cookie at the same place
    assert "Max-Age=0" in at.main.children[0].proto.body
