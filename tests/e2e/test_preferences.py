"""Preferences in Chromium against the running portal: time zone and ring duration (PREF-5, PREF-6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in

#: the shared portal: this test changes only 7110's preferences
USER = "7110"
TOKYO = "GMT +9:00 Tokyo"
RING_LABEL = "Ring duration (seconds before voicemail)"


def _sign_in_to_preferences(page: Page, url: str, password: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 2400})  # the whole page in one screenshot
    page.goto(f"{url}/preferences")
    log_in(page, USER, password)
    expect(page.get_by_text("Display Preference")).to_be_visible()
    page.locator(IDLE).wait_for()


def _idle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()


@pytest.mark.e2e
@pytest.mark.req("PREF-5")
@pytest.mark.req("PREF-6")
def test_time_zone_and_ring_duration_are_saved_and_survive_a_reload(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in_to_preferences(page, portal_url, password)
    display = page.locator(".st-key-pref_display")
    zone = display.get_by_role("combobox", name="Time zone")
    expect(zone).to_have_value("GMT -8:00 Pacific Time US & Canada")
    zone.click()
    page.get_by_role("option", name=TOKYO, exact=True).click()
    display.get_by_role("button", name="OK").click()
    expect(page.get_by_text(f"Times are now shown in {TOKYO}.")).to_be_visible()
    _idle(page)

    incoming = page.locator(".st-key-pref_incoming")
    ring = incoming.get_by_label(RING_LABEL)
    ring.fill("45")
    incoming.get_by_role("button", name="OK").click()
    expect(page.get_by_text("Incoming calls: ring 45 s")).to_be_visible()
    _idle(page)
    page.screenshot(path=artifacts / "preferences.png", full_page=True)

    page.context.clear_cookies()  # a new browser session (a reload alone keeps the sign-in)
    page.reload()  # a new, signed-out session: what it shows after sign-in comes from the store
    _sign_in_to_preferences(page, portal_url, password)
    expect(page.locator(".st-key-pref_display").get_by_role("combobox", name="Time zone")).to_have_value(TOKYO)
    expect(page.locator(".st-key-pref_incoming").get_by_label(RING_LABEL)).to_have_value("45")
