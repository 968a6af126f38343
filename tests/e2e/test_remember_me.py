"""Remember me survives a reload without keeping the password in the browser (AUTH-2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dashboards.session import COOKIE
from tests.e2e.portal import log_in


def _sign_in(page: Page, url: str, number: str, password: str, *, remember: bool) -> None:
    page.goto(url)
    log_in(page, number, password, remember=remember)


def _storage_holds(context: BrowserContext, page: Page, secret: str) -> bool:
    cookies = " ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    local = page.evaluate("JSON.stringify(Object.assign({}, window.localStorage, window.sessionStorage))")
    return secret in cookies or secret in local


@pytest.mark.e2e
@pytest.mark.req("AUTH-2")
@pytest.mark.req("AUTH-3")
def test_remember_me_survives_a_reload_until_log_out(
    page: Page, context: BrowserContext, portal_url: str, names: dict[str, str], password: str
) -> None:
    _sign_in(page, portal_url, "7101", password, remember=True)
    menu = page.get_by_role("button", name=f"👤 {names['7101']}")
    expect(menu).to_be_visible()
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')")
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
    assert cookie["sameSite"] == "Strict"
    assert cookie["expires"] > 0  # bounded, not a session-forever cookie
    assert not _storage_holds(context, page, password)

    page.reload()
    expect(page.get_by_role("button", name=f"👤 {names['7101']}")).to_be_visible()

    page.get_by_role("button", name=f"👤 {names['7101']}").click()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()
    page.wait_for_function(f"!document.cookie.includes('{COOKIE}=')")
    page.reload()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.req("AUTH-2")
@pytest.mark.req("AUTH-3")
def test_without_remember_me_a_reload_keeps_the_session_until_log_out(
    page: Page, context: BrowserContext, portal_url: str, names: dict[str, str], password: str
) -> None:
    _sign_in(page, portal_url, "7102", password, remember=False)
    menu = page.get_by_role("button", name=f"👤 {names['7102']}")
    expect(menu).to_be_visible()
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')")
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
    assert cookie["sameSite"] == "Strict"
    assert cookie["expires"] == -1  # a session cookie: closing the browser ends it
    assert not _storage_holds(context, page, password)

    page.reload()  # F5
    expect(page.get_by_role("button", name=f"👤 {names['7102']}")).to_be_visible()

    page.get_by_role("button", name=f"👤 {names['7102']}").click()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()
    page.wait_for_function(f"!document.cookie.includes('{COOKIE}=')")
    page.reload()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()
