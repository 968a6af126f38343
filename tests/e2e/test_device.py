"""Device in Chromium against the running portal: Cloud PIN and the mobile login QR code (DEV-3, DEV-5)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.portal.device import parse_payload

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
USER = "7111"  # the one extension these tests change in the shared portal


def _open_device(page: Page, url: str, password: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{url}/device")
    page.get_by_role("textbox", name="Extension").fill(USER)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("button", name="View Mobile Login Information...")).to_be_visible()
    page.locator(IDLE).wait_for()


@pytest.mark.e2e
@pytest.mark.req("DEV-3")
@pytest.mark.req("DEV-5")
def test_generate_a_cloud_pin_and_scan_the_mobile_login_qr_code(
    page: Page, portal_url: str, password: str, artifacts: Path, tmp_path: Path
) -> None:
    _open_device(page, portal_url, password)
    expect(page.get_by_text(re.compile(r"Cloud ID: \d{3}-\d{3}-\d{4}"))).to_be_visible()
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.get_by_text(re.compile(r"Cloud PIN: \d{6} \(expires at "))).to_be_visible()
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "device_cloud_pin.png", full_page=True)

    page.get_by_role("button", name="View Mobile Login Information...").click()
    dialog = page.get_by_role("dialog")
    qr = dialog.locator('[data-testid="stImage"] img')
    expect(qr).to_be_visible()
    expect(dialog.get_by_text(f"Username: {USER}")).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    page.screenshot(path=artifacts / "device.png", full_page=True)

    # the QR code as the browser draws it is what a phone's camera reads
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian zbar-tools) is not installed")
    shot = tmp_path / "qr.png"
    qr.screenshot(path=shot)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(shot)], capture_output=True, check=True, timeout=30)
    fields = parse_payload(decoded.stdout.decode())
    assert fields["username"] == USER
    expect(dialog.get_by_text(f"Password: {fields['password']}")).to_be_visible()
