"""Conference in Chromium: create an event with an attendee, see it in the calendar and the list,
edit it, delete it, open a New event by clicking a day, refuse a stereo announcement.

NOTE: in the shared e2e organisation 7104 lacks the Conference privilege, so this module
serves its own copy of that database in which 7104 has it (CONF-1, CONF-2, CONF-4). Its
invitations go to an outbox folder of its own.
"""

from __future__ import annotations

import email
import io
import os
import shutil
import wave
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.store.db import Store
from tests.e2e.portal import IDLE, log_in, serve

REPO = Path(__file__).resolve().parents[2]
ORGANIZER = "7104"
TITLE = "Launch review"


@pytest.fixture(scope="module")
def conference_portal(e2e_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Serve a copy of the e2e organisation in which 7104 may organise conferences; return URL and outbox."""
    folder = tmp_path_factory.mktemp("e2e_conference")
    db_path = folder / "fvkit.duckdb"
    shutil.copyfile(e2e_db, db_path)
    db = Store(db_path)
    db.execute("UPDATE extension SET privileges = list_append(privileges, 'Conference') WHERE number = ?", [ORGANIZER])
    db.close()
    outbox = folder / "outbox"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FVKIT_SMTP")} | {"FVKIT_OUTBOX": str(outbox)}
    with serve(db_path, folder / "portal.log", env) as url:
        yield url, outbox


@pytest.mark.e2e
@pytest.mark.req("CONF-1")
@pytest.mark.req("CONF-2")
@pytest.mark.req("CONF-4")
@pytest.mark.req("CONF-5")
# a browser east of UTC: a clicked day must not become the day before
@pytest.mark.browser_context_args(timezone_id="Europe/Paris")
def test_create_an_event_see_it_in_the_calendar_edit_delete_and_refuse_a_stereo_announcement(
    page: Page, conference_portal: tuple[str, Path], password: str, artifacts: Path
) -> None:
    url, outbox = conference_portal
    page.goto(f"{url}/conference")
    log_in(page, ORGANIZER, password)
    calendar = page.frame_locator('[data-testid="stCustomComponentV1"]').first
    expect(calendar.locator(".fc-daygrid-day").first).to_be_visible(timeout=20_000)
    page.locator(IDLE).wait_for()

    page.get_by_role("button", name="➕ New event").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Conference event")).to_be_visible()
    conference_id = dialog.locator(".st-key-conf_cid input")
    expect(conference_id).to_be_disabled()
    assert len(conference_id.input_value()) == 6
    dialog.locator(".st-key-conf_title input").fill(TITLE)
    dialog.locator(".st-key-conf_location input").fill("Ottawa")
    page.locator(IDLE).wait_for()
    # guide p.38: 1. Click Add Attendee. 2. Add an email and a display name, and click Create.
    dialog.get_by_role("button", name="Add Attendee").click()
    dialog.locator(".st-key-conf_new_email input").fill("nathalie@fortinet")
    dialog.locator(".st-key-conf_new_name input").fill("Nathalie")
    dialog.locator(".st-key-conf_new_name input").press("Tab")
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_text("nathalie@fortinet is not a valid email address.")).to_be_visible()
    page.screenshot(path=str(artifacts / "conference_attendee_refused.png"))
    dialog.locator(".st-key-conf_new_email input").fill("nathalie@fortinet.example")
    dialog.locator(".st-key-conf_new_email input").press("Tab")
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_text("Nathalie - nathalie@fortinet.example")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "conference_event.png"))
    dialog.get_by_role("button", name="OK", exact=True).click()

    expect(page.get_by_text(f"Saved '{TITLE}'. Invitation sent to 1 attendee.")).to_be_visible(timeout=20_000)
    expect(calendar.get_by_text(TITLE)).to_be_visible()
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.locator("td[id^='glide-cell-1-0']")).to_have_text(TITLE)
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "conference.png"), full_page=True)

    (eml,) = outbox.glob("*.eml")
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Subject"].endswith(f"has invited you to a Conference Call - {TITLE}")
    assert msg["To"] == "Nathalie <nathalie@fortinet.example>"
    assert any(p.get_content_type() == "text/calendar" for p in msg.iter_attachments())

    # edit the event (the invitation goes out again), then delete it
    _select_first_row(page)
    page.get_by_role("button", name="✏️ Edit").click()
    title = page.get_by_role("dialog").locator(".st-key-conf_title input")
    expect(title).to_have_value(TITLE)
    title.fill(f"{TITLE} moved")
    title.press("Tab")
    page.locator(IDLE).wait_for()
    page.get_by_role("dialog").get_by_role("button", name="OK", exact=True).click()
    expect(page.get_by_text(f"Saved '{TITLE} moved'. Invitation sent to 1 attendee.")).to_be_visible(timeout=20_000)
    expect(table.locator("td[id^='glide-cell-1-0']")).to_have_text(f"{TITLE} moved")
    assert len(list(outbox.glob("*.eml"))) == 2
    _select_first_row(page)
    page.get_by_role("button", name="🗑️ Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_text(f"Deleted '{TITLE} moved'.")).to_be_visible()
    expect(calendar.get_by_text(TITLE)).to_have_count(0)

    # clicking a day of the calendar opens a new event on that day (guide p.37 step 2)
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Europe/Paris"
    day = calendar.locator(".fc-daygrid-day:not(.fc-day-other)").nth(14)
    clicked = str(day.get_attribute("data-date"))
    day.click()
    start = page.get_by_role("dialog").locator(".st-key-conf_start_date input")
    expect(start).to_have_value(clicked)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator(IDLE).wait_for()
    day = calendar.locator(f'.fc-daygrid-day[data-date="{clicked}"]')
    day.click()  # the same day again opens it again
    expect(page.get_by_role("dialog").locator(".st-key-conf_start_date input")).to_have_value(clicked)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()

    # Conferencing Options: a stereo WAV is refused with the reason (CONF-5)
    page.get_by_role("button", name="⚙️ Conferencing Options").click()
    options = page.get_by_role("dialog")
    options.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "greeting.wav", "mimeType": "audio/wav", "buffer": _wav(channels=2)}]
    )
    page.locator(IDLE).wait_for()
    # refused on upload, with the reason: no other button to press
    expect(
        options.get_by_text("greeting.wav: The announcement must be mono; this file has 2 channels.")
    ).to_be_visible()
    expect(options.locator('[data-testid="stAudio"]')).to_have_count(0)

    # guide p.39: Upload, select the file and Open, Close - the announcement is saved by those steps
    options.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "welcome.wav", "mimeType": "audio/wav", "buffer": _wav(channels=1)}]
    )
    expect(options.get_by_text("welcome.wav is your conference announcement.")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "conference_announcement_uploaded.png"))
    options.locator(".st-key-conf_options_close").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator(IDLE).wait_for()
    page.get_by_role("button", name="⚙️ Conferencing Options").click()
    expect(page.get_by_role("dialog").locator('[data-testid="stAudio"]')).to_have_count(1)  # kept


def _wav(channels: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00" * 1600 * channels)
    return buffer.getvalue()


def _select_first_row(page: Page) -> None:
    """Tick the list's first row, drawn on the grid's canvas below the 35 px header."""
    page.locator(IDLE).wait_for()
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    page.locator(IDLE).wait_for()
    expect(page.get_by_role("button", name="✏️ Edit")).to_be_enabled()


@pytest.mark.e2e
@pytest.mark.req("CONF-1")
@pytest.mark.req("CONF-2")
def test_a_weekly_event_shows_four_chips_and_a_click_on_its_day_opens_a_new_event(
    page: Page, conference_portal: tuple[str, Path], password: str, artifacts: Path
) -> None:
    url, _ = conference_portal
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{url}/conference")
    log_in(page, ORGANIZER, password)
    calendar = page.frame_locator('[data-testid="stCustomComponentV1"]').first
    expect(calendar.locator(".fc-daygrid-day").first).to_be_visible(timeout=20_000)
    page.locator(IDLE).wait_for()

    # New event on the 2nd of the month, Recurrence Weekly, Ends After 4 events
    first = calendar.locator(".fc-daygrid-day:not(.fc-day-other)").nth(1)
    first_day = str(first.get_attribute("data-date"))
    first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("New conference event")).to_be_visible()
    dialog.locator(".st-key-conf_title input").fill("Weekly sync")
    dialog.locator(".st-key-conf_title input").press("Tab")
    page.locator(IDLE).wait_for()
    dialog.locator('[data-testid="stSelectbox"]').filter(has_text="Recurrence").click()
    page.get_by_role("option", name="Weekly", exact=True).click()
    page.locator(IDLE).wait_for()
    events = dialog.get_by_role("spinbutton", name="Events")
    events.fill("4")
    events.press("Tab")
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name="OK", exact=True).click()
    expect(page.get_by_text("Saved 'Weekly sync'.")).to_be_visible(timeout=20_000)
    expect(calendar.locator(".fc-event").filter(has_text="Weekly sync")).to_have_count(4)  # one chip per week
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "conference_weekly.png"))

    # clicking that day again (below its chip) opens a NEW event there, not the weekly one
    day = calendar.locator(f'.fc-daygrid-day[data-date="{first_day}"]')
    box = day.bounding_box()
    assert box is not None
    day.click(position={"x": box["width"] / 2, "y": box["height"] - 6})
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("New conference event")).to_be_visible()
    expect(dialog.locator(".st-key-conf_title input")).to_have_value("")
    expect(dialog.locator(".st-key-conf_start_date input")).to_have_value(first_day)
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator(IDLE).wait_for()
    # the chip opens the existing event, and says so
    calendar.locator(".fc-event").filter(has_text="Weekly sync").nth(2).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Edit conference event")).to_be_visible()
    expect(dialog.locator(".st-key-conf_title input")).to_have_value("Weekly sync")
