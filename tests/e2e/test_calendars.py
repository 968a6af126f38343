"""Month calendars in Chromium (issue 11 items 2 and 18): every occurrence of a repeating reminder is a
chip of its own, and clicking a date that already holds one opens a NEW reminder on that date.
7106, on the shared portal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in, pick

CALENDAR = 'iframe[title="streamlit_calendar.calendar"]'
TITLE = "Daily check-in x3"


def _choose(page: Page, label: str, option: str) -> None:
    pick(page, page.get_by_role("dialog").locator('[data-testid="stSelectbox"]').filter(has_text=label), option)
    page.locator(IDLE).wait_for()


@pytest.mark.e2e
@pytest.mark.req("REM-1")
@pytest.mark.req("REM-2")
def test_a_daily_reminder_shows_a_chip_per_day_and_a_click_on_its_day_opens_a_new_one(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{portal_url}/reminder")
    log_in(page, "7106", password)
    expect(page.locator(CALENDAR)).to_be_visible()
    page.locator(IDLE).wait_for()

    # New, Title, Recurrence Daily, Ends After 3 Times, OK (guide p.40-41)
    page.get_by_role("button", name="➕ New").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="Title").fill(TITLE)
    page.locator(IDLE).wait_for()
    _choose(page, "Recurrence", "Daily")
    _choose(page, "Ends", "After")
    times = dialog.get_by_role("spinbutton", name="Times")
    times.fill("3")
    times.press("Tab")
    page.locator(IDLE).wait_for()
    # Guest: pick from the available list, then > moves it to the selected list (guide p.41)
    dialog.locator('[data-testid="stMultiSelect"]').filter(has_text="Available").click()
    page.get_by_role("option", name=re.compile(r"^7102 ")).click()
    page.keyboard.press("Escape")  # close the options, not the dialog
    available = dialog.locator('[data-testid="stMultiSelect"]').filter(has_text="Available")
    expect(available.get_by_text(re.compile(r"^7102 "))).to_be_visible()  # picked, before > moves it
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name=">", exact=True).click()
    selected = dialog.locator('[data-testid="stMultiSelect"]').filter(has_text="Selected")
    expect(selected.get_by_text(re.compile(r"^7102 "))).to_be_visible()
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_text(f"Reminder '{TITLE}' saved.")).to_be_visible()
    page.locator(IDLE).wait_for()

    frame = page.frame_locator(CALENDAR)
    listed = page.locator('[data-testid="stDataFrame"]').first.locator("td[id^='glide-cell-2-']").filter(has_text=TITLE)
    expect(listed).not_to_have_count(0)
    in_month = listed.count()
    table = page.locator('[data-testid="stDataFrame"]').first
    starts = [t for t in table.locator("td[id^='glide-cell-1-']").all_inner_texts()]
    titles = table.locator("td[id^='glide-cell-2-']").all_inner_texts()
    start = next(s for s, t in zip(starts, titles, strict=True) if t == TITLE)[:10]
    assert in_month >= 1
    expect(frame.locator(".fc-event").filter(has_text=TITLE)).to_have_count(in_month)  # one chip per occurrence
    if start[8:10] <= "26":  # all three days in this month
        assert in_month == 3
    page.screenshot(path=str(artifacts / "calendars-reminder_daily.png"))

    # click the first day below its chip: a NEW reminder on that day, the existing one untouched
    day = frame.locator(f'.fc-daygrid-day[data-date="{start}"]')
    box = day.bounding_box()
    assert box is not None
    day.click(position={"x": box["width"] / 2, "y": box["height"] - 6})
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("New reminder")).to_be_visible()
    expect(dialog.get_by_role("textbox", name="Title")).to_have_value("")
    year, month, mday = start.split("-")
    expect(dialog.get_by_role("spinbutton", name=re.compile("^day, Start date"))).to_have_text(mday)
    expect(dialog.get_by_role("spinbutton", name=re.compile("^month, Start date"))).to_have_text(month)
    expect(dialog.get_by_role("spinbutton", name=re.compile("^year, Start date"))).to_have_text(year)
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "calendars-reminder_new_on_busy_day.png"))
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    # the run the dismissal starts draws the calendar again; until it ends, both stand side by side
    page.locator(IDLE).wait_for()
    expect(page.locator(CALENDAR)).to_have_count(1)
    page.locator(IDLE).wait_for()
    expect(frame.locator(".fc-event").filter(has_text=TITLE).first).to_be_visible()

    # the chip itself opens the existing reminder, under its own title
    frame.locator(".fc-event").filter(has_text=TITLE).first.click()
    expect(page.get_by_role("dialog").get_by_role("textbox", name="Title")).to_have_value(TITLE)
    assert re.search(r"\d+ reminder\(s\) in this month view", page.content())
