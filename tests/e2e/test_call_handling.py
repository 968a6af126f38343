"""Call Handling in Chromium against the running portal (HD-1, HD-4), as extension 7109."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in, pick

USER = "7109"  # Standard access with Call forwarding in the e2e organisation; no other test uses it


def _sign_in(page: Page, url: str, password: str) -> None:
    page.goto(f"{url}/call_handling")
    log_in(page, USER, password)
    expect(page.get_by_text("User's call handling")).to_be_visible()
    page.locator(IDLE).wait_for()


def _rule_cells(page: Page, col: int) -> list[str]:
    page.locator(IDLE).wait_for()
    table = page.locator(".st-key-hd_user_rules_NORMAL")
    return table.locator(f"td[id^='glide-cell-{col}-']").all_inner_texts()


@pytest.mark.e2e
@pytest.mark.req("HD-1")
@pytest.mark.req("HD-4")
def test_dnd_and_a_user_defined_rule_are_listed_after_a_reload(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, portal_url, password)
    dnd = page.get_by_role("switch", name="Do not disturb")
    expect(dnd).not_to_be_checked()
    page.locator(".st-key-hd_dnd label").click()
    expect(page.get_by_text("Do not disturb is ON.")).to_be_visible()

    page.locator(".st-key-hd_user_new button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Call process rule")).to_be_visible()
    pick(page, dialog.locator('[data-testid="stSelectbox"]').filter(has_text="Action"), "Play announcement")
    expect(dialog.get_by_text("Announcement", exact=True)).to_be_visible()
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_text("Normal: rule saved.")).to_be_visible()

    page.context.clear_cookies()  # a new browser session (a reload alone keeps the sign-in)
    page.reload()  # a new session: what shows now comes from the store
    log_in(page, USER, password)
    expect(page.get_by_text("User's call handling")).to_be_visible()
    page.locator(IDLE).wait_for()
    expect(page.get_by_role("switch", name="Do not disturb")).to_be_checked()
    expect(page.get_by_role("radio", name="User defined").first).to_be_checked()
    expect(page.locator(".st-key-hd_user_rules_NORMAL td[id^='glide-cell-3-0']")).to_have_text("Play announcement")
    assert _rule_cells(page, 1) == ["All day"]  # the dialog's defaults: always, by its label; every caller
    assert _rule_cells(page, 4) == ["blocked_caller"]  # and the first sound file
    page.screenshot(path=str(artifacts / "call_handling.png"), full_page=True)


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 4000)
    return buf.getvalue()


@pytest.mark.e2e
@pytest.mark.req("HD-5")
def test_a_sound_file_upload_is_checked_by_its_content(page: Page, portal_url: str, password: str) -> None:
    _sign_in(page, portal_url, password)
    sounds = page.locator(".st-key-hd_sound_table")
    expect(sounds.locator("td[id^='glide-cell-1-']")).to_have_count(3)  # the system files
    page.get_by_text("+ New sound file").click()
    page.get_by_role("textbox", name="Name").fill("e2e fake")
    page.get_by_role("textbox", name="Name").press("Enter")  # a text input commits on Enter or blur
    page.locator(IDLE).wait_for()
    files = page.locator(".st-key-hd_sound_file input[type=file]")
    files.set_input_files({"name": "fake.wav", "mimeType": "audio/wav", "buffer": b"not audio at all" * 64})
    expect(page.get_by_text("fake.wav")).to_be_visible()
    page.locator(IDLE).wait_for()
    expect(page.locator(".st-key-hd_sound_upload button")).to_be_enabled()
    page.locator(".st-key-hd_sound_upload button").click()
    expect(page.get_by_text("Only MP3 or WAV sound files are accepted")).to_be_visible()
    expect(sounds.locator("td[id^='glide-cell-1-']")).to_have_count(3)  # nothing saved

    page.get_by_role("button", name="Remove fake.wav").click()
    expect(page.get_by_text("fake.wav")).to_have_count(0)
    expect(page.locator(".st-key-hd_sound_upload button")).to_be_disabled()  # the rerun without the file is done
    page.get_by_role("textbox", name="Name").fill("e2e hello")
    page.get_by_role("textbox", name="Name").press("Enter")  # a text input commits on Enter or blur
    page.locator(IDLE).wait_for()
    files.set_input_files({"name": "hello.wav", "mimeType": "audio/wav", "buffer": _wav()})
    expect(page.get_by_text("hello.wav")).to_be_visible()
    expect(page.get_by_text("fake.wav")).to_have_count(0)
    page.locator(IDLE).wait_for()
    expect(page.locator(".st-key-hd_sound_upload button")).to_be_enabled()
    page.locator(".st-key-hd_sound_upload button").click()
    expect(page.get_by_text("e2e hello uploaded.")).to_be_visible()
    expect(sounds.locator("td[id^='glide-cell-1-']")).to_have_count(4)
    expect(sounds.locator("td[id^='glide-cell-3-3']")).to_have_text("Personal, uploaded")


@pytest.mark.e2e
@pytest.mark.req("HD-2")
@pytest.mark.req("HD-4")
@pytest.mark.req("HD-5")
@pytest.mark.req("HD-7")
def test_the_guides_call_handling_procedures_word_for_word(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 2400})
    _sign_in(page, portal_url, password)

    # p.26 Enabling the Call forward setting: set Call forward to ON; enter the number in the field provided
    page.locator(".st-key-hd_forward label").click()
    expect(page.get_by_text("Enter the telephone number to forward the calls to.")).to_be_visible()
    page.get_by_role("textbox", name="Forward to").fill("+1 408 555 0199")
    page.get_by_role("textbox", name="Forward to").press("Enter")
    expect(page.get_by_text("Call forward is ON to +1 408 555 0199.")).to_be_visible()
    expect(page.get_by_role("button", name="Save call forward")).to_have_count(0)

    # p.26 Managing a call: choose a status, set Call Process to User defined, then click New
    pick(
        page, page.locator('[data-testid="stSelectbox"]').filter(has_text="Configure how to handle calls").first, "Busy"
    )
    page.locator(IDLE).wait_for()
    page.locator(".st-key-hd_user_mode_BUSY").get_by_text("User defined").click()
    expect(page.get_by_text("No rule yet: click New.")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.locator(".st-key-hd_user_new button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("combobox", name="Schedule")).to_have_value("All day")
    # p.28 steps 4-8: Action Play announcement; New (+) beside the list; Name; Action Call me; Close
    pick(page, dialog.locator('[data-testid="stSelectbox"]').filter(has_text="Action"), "Play announcement")
    expect(dialog.get_by_role("combobox", name="Announcement")).to_be_visible()
    page.locator(IDLE).wait_for()
    dialog.get_by_role("button", name="➕ New").first.click()  # a button with help is drawn in two layers
    dialog.locator(".st-key-hd_rule_sound_name input").fill("busy message")
    dialog.locator(".st-key-hd_rule_sound_name input").press("Tab")
    page.locator(IDLE).wait_for()
    dialog.locator(".st-key-hd_rule_sound_action").get_by_text("Call me").click()
    expect(dialog.get_by_text("A voice recording request was sent to your extension")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "call_handling-new_announcement.png"))
    dialog.locator(".st-key-hd_rule_sound_close button").click()
    expect(dialog.get_by_role("combobox", name="Announcement")).to_have_value("busy message")
    page.locator(IDLE).wait_for()
    dialog.locator(".st-key-hd_rule_ok button").click()
    expect(page.get_by_text("Busy: rule saved.")).to_be_visible()
    busy = page.locator(".st-key-hd_user_rules_BUSY")
    expect(busy.locator("td[id='glide-cell-4-0']")).to_have_text("busy message")
    expect(busy.locator("td[id='glide-cell-1-0']")).to_have_text("All day")

    # p.29 Follow Me: New; Name; Follow Me Numbers > New: number and Ring duration, OK; OK
    page.locator(".st-key-hd_fm_new button").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox", name="Name").fill("cell then desk")
    for number, ring in (("+1 408 555 0142", "25"), ("7103", "15")):
        dialog.locator(".st-key-hd_fm_number_new button").first.click()  # drawn in two layers (help)
        dialog.get_by_role("textbox", name="Phone number").fill(number)
        dialog.get_by_role("spinbutton", name="Ring duration (seconds)").fill(ring)
        dialog.get_by_role("spinbutton", name="Ring duration (seconds)").press("Tab")
        page.locator(IDLE).wait_for()
        dialog.locator(".st-key-hd_fm_number_ok button").click()
        expect(dialog.get_by_text(f"{number} - Ring duration {ring} s")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=str(artifacts / "call_handling-follow_me.png"))
    dialog.locator(".st-key-hd_fm_ok button").click()
    expect(page.get_by_text("Follow me profile cell then desk saved.")).to_be_visible()
    profiles = page.locator(".st-key-hd_fm_table")
    expect(profiles.locator("td[id='glide-cell-2-0']")).to_have_text("14085550142 (25s) → 7103 (15s)")
