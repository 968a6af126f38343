"""Reminder in Chromium against the running portal (REM-1, REM-2): 7106 only, the shared portal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in

CALENDAR = 'iframe[title="streamlit_calendar.calendar"]'
TITLE = "E2E stand-up with 7102"


def _expect_listed(page: Page, title: str) -> None:
    """Wait until the list under the calendar shows the title (glide column 2: 0 is the selection box)."""
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.locator("td[id^='glide-cell-2-']").filter(has_text=title)).to_have_count(1)


def _expect_in_calendar(page: Page, title: str) -> None:
    """Wait for the one calendar of this view (a view switch replaces its iframe), then the event in it."""
    expect(page.locator(CALENDAR)).to_have_count(1)
    expect(page.frame_locator(CALENDAR).get_by_text(title).first).to_be_visible()


@pytest.mark.e2e
@pytest.mark.req("REM-1")
@pytest.mark.req("REM-2")
def test_create_a_reminder_with_a_guest_and_switch_views(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(f"{portal_url}/reminder")
    log_in(page, "7106", password)
    expect(page.get_by_role("button", name="➕ New")).to_be_visible()
    page.locator(IDLE).wait_for()
    expect(page.locator(CALENDAR)).to_be_visible()

    page.get_by_role("button", name="➕ New").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("textbox", name="Title")).to_be_visible()
    dialog.get_by_role("textbox", name="Title").fill(TITLE)
    dialog.get_by_role("textbox", name="Location").fill("Room 2")
    page.locator(IDLE).wait_for()
    # Guest (p.41): "From the available and external lists, make your selections and click the arrow
    # right icon (>) to update the selected list."
    dialog.locator('[data-testid="stMultiSelect"]').filter(has_text="Available").click()
    page.get_by_role("option", name=re.compile(r"^7102 ")).click()
    page.keyboard.press("Escape")  # close the options, not the dialog
    page.locator(IDLE).wait_for()
    external = dialog.get_by_role("textbox", name="External")
    external.fill("+1 408 555 0100")
    external.press("Tab")
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name=">", exact=True).click()
    selected = dialog.locator('[data-testid="stMultiSelect"]').filter(has_text="Selected")
    expect(selected.get_by_text(re.compile(r"^7102 "))).to_be_visible()
    expect(selected.get_by_text("📞 14085550100 (external)")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "reminder-guests.png"), full_page=True)
    expect(dialog.locator('[data-testid="stAudio"]')).to_have_count(1)  # the Default beep's Play
    dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_text(f"Reminder '{TITLE}' saved.")).to_be_visible()
    _expect_listed(page, TITLE)
    _expect_in_calendar(page, TITLE)

    for view in ("Agenda", "Day", "Week", "Month"):
        page.locator('[data-testid="stButtonGroup"]').get_by_role("radio", name=view, exact=True).click()
        expect(page.get_by_text(f"in this {view.lower()} view")).to_be_visible()
        _expect_listed(page, TITLE)
        _expect_in_calendar(page, TITLE)
    page.locator('[data-testid="stButtonGroup"]').get_by_role("radio", name="Week", exact=True).click()
    expect(page.get_by_text("in this week view")).to_be_visible()
    page.locator(IDLE).wait_for()
    _expect_in_calendar(page, TITLE)
    page.screenshot(path=str(artifacts / "reminder.png"), full_page=True)

    # a click on the event opens it (REM-5: 7106's own, so editable) with the Default beep saved as GSM (REM-3)
    page.frame_locator(CALENDAR).get_by_text(TITLE).first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("textbox", name="Title")).to_have_value(TITLE)
    expect(dialog.get_by_role("button", name="🗑️ Delete")).to_be_visible()
    selected = dialog.locator('[data-testid="stMultiSelect"]').filter(has_text="Selected")
    expect(selected.get_by_text(re.compile(r"^7102 "))).to_be_visible()  # every guest is listed
    expect(selected.get_by_text("📞 14085550100 (external)")).to_be_visible()
    page.locator(IDLE).wait_for()
    with page.expect_download() as download:
        dialog.get_by_role("button", name="💾 Save GSM").click()
    gsm = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "reminder-beep.gsm"
    assert len(gsm) % 33 == 0 and gsm[0] >> 4 == 0xD  # GSM 06.10 frames
    page.screenshot(path=str(artifacts / "reminder_open.png"), full_page=True)
