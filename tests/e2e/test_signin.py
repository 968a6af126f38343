"""Signing in and out of the real portal in Chromium (AUTH-1, AUTH-3, HOME-2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in


def _sign_in(page: Page, url: str, number: str, password: str) -> None:
    page.goto(url)
    log_in(page, number, password)


@pytest.mark.e2e
@pytest.mark.req("AUTH-1")
@pytest.mark.req("AUTH-3")
@pytest.mark.req("HOME-2")
def test_sign_in_shows_the_header_and_log_out_returns_to_the_form(
    page: Page, portal_url: str, artifacts: Path, names: dict[str, str], password: str
) -> None:
    page.goto(portal_url)
    expect(page.get_by_role("checkbox", name="Remember me")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "signin-form.png", full_page=True)
    _sign_in(page, portal_url, "7101", password)

    menu = page.get_by_role("button", name=f"👤 {names['7101']}")
    expect(menu).to_be_visible()
    expect(page.get_by_text("7101", exact=True)).to_be_visible()
    expect(page.get_by_text("🟠 In use", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="❓ Help")).to_be_visible()
    expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "signin-home.png", full_page=True)

    menu.click()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()
    expect(page.get_by_role("button", name=f"👤 {names['7101']}")).to_have_count(0)


@pytest.mark.e2e
@pytest.mark.req("AUTH-1")
def test_a_wrong_password_shows_the_generic_error(page: Page, portal_url: str) -> None:
    _sign_in(page, portal_url, "7102", "not-the-password")
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_have_text("Invalid extension or password.")
    expect(page.get_by_role("textbox", name="Password")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.req("AUTH-1")
def test_a_reload_on_a_page_url_shows_the_login_form(
    page: Page, portal_url: str, names: dict[str, str], password: str
) -> None:
    # A new browser session (no session cookie) opening a page URL gets the login form.
    _sign_in(page, f"{portal_url}/home", "7102", password)
    expect(page.get_by_role("button", name=f"👤 {names['7102']}")).to_be_visible()
    expect(page.get_by_text("🟢 Not in use", exact=True)).to_be_visible()
    page.context.clear_cookies()
    page.reload()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()
    page.locator(IDLE).wait_for()
    expect(page.get_by_text("Page not found")).to_have_count(0)
