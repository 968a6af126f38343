"""Upload boxes state the guide's limit and refuse a larger file on upload, before any OK (issue 11, Feel).

Reminder's Customized audio (guide p.40: WAV PCM, at most 5 MB) in the shared portal, as 7106.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in


@pytest.mark.e2e
@pytest.mark.req("REM-3")
def test_reminder_audio_upload_states_5_mb_and_refuses_a_larger_file(
    page: Page, portal_url: str, password: str, artifacts: Path, tmp_path: Path
) -> None:
    page.goto(f"{portal_url}/reminder")
    log_in(page, "7106", password)
    page.get_by_role("button", name="➕ New").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Customized", exact=True).click()  # Reminder audio: Customized, then Create New
    box = dialog.locator('[data-testid="stFileUploader"]')
    expect(box).to_be_visible()
    expect(box.get_by_text("5MB per file")).to_be_visible()
    expect(box.get_by_text("200MB")).to_have_count(0)
    big = tmp_path / "long-message.wav"
    big.write_bytes(b"RIFF" + b"\0" * (6 * 1024 * 1024))
    box.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(big)
    expect(box.get_by_text("File must be 5.0MB or smaller.")).to_be_visible()
    page.locator(IDLE).wait_for()
    expect(dialog.get_by_role("button", name="Upload", exact=True)).to_have_count(0)  # nothing to upload
    page.screenshot(path=artifacts / "upload-limit-reminder.png", full_page=True)


def _sign_in(page: Page, url: str, slug: str, number: str, password: str) -> None:
    page.goto(f"{url}/{slug}")
    log_in(page, number, password)


@pytest.mark.e2e
@pytest.mark.req("VM-8")
def test_voicemail_options_uploads_state_10_mb(page: Page, portal_url: str, password: str, artifacts: Path) -> None:
    _sign_in(page, portal_url, "voicemail", "7106", password)
    page.get_by_role("button", name="⚙️ Voicemail Options").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Personal", exact=True).first.click()  # Name: Personal, to upload one's name (p.19)
    boxes = dialog.locator('[data-testid="stFileUploader"]')
    expect(boxes.first).to_be_visible()
    page.locator(IDLE).wait_for()
    assert boxes.count() >= 1
    for n in range(boxes.count()):
        expect(boxes.nth(n).get_by_text("10MB per file")).to_be_visible()
    expect(dialog.get_by_text("200MB")).to_have_count(0)
    page.screenshot(path=artifacts / "upload-limit-voicemail-options.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.req("HD-5")
def test_call_handling_sound_file_upload_states_5_mb(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, portal_url, "call_handling", "7106", password)
    page.get_by_text("+ New sound file").click()
    box = page.locator('[data-testid="stFileUploader"]').filter(has_text="at most 5 MB")
    expect(box.get_by_text("5MB per file")).to_be_visible()
    expect(box.get_by_text("200MB")).to_have_count(0)
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "upload-limit-sound-file.png", full_page=True)
