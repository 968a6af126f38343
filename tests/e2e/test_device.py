"""Device in Chromium against the running portal: Cloud PIN and the mobile login QR code (DEV-3, DEV-5)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.portal.device import parse_payload
from tests.e2e.portal import IDLE, log_in

USER = "7111"  # the one extension these tests change in the shared portal


def _open_device(page: Page, url: str, password: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.context.clear_cookies()  # a new browser session (a reload alone keeps the sign-in)
    page.goto(f"{url}/device")
    log_in(page, USER, password)
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


def _shown_password(page: Page) -> str:
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(f"Username: {USER}")).to_be_visible()
    page.locator(IDLE).wait_for()  # the run has drawn every line (stale ones stay until replaced)
    found = re.search(r"Password: (\S+)", dialog.inner_text())
    assert found is not None
    return found.group(1)


def _view_mobile_login(page: Page) -> str:
    page.get_by_role("button", name="View Mobile Login Information...").click()
    return _shown_password(page)


def _close_dialog(page: Page) -> None:
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator(IDLE).wait_for()


@pytest.mark.e2e
@pytest.mark.req("DEV-3")
def test_viewing_mobile_login_information_again_keeps_the_qr_code_until_generate(
    page: Page, portal_url: str, password: str, artifacts: Path, tmp_path: Path
) -> None:
    _open_device(page, portal_url, password)
    first = _view_mobile_login(page)  # guide p.45 step 2: Soft Phones > View Mobile Login Information
    _close_dialog(page)
    assert _view_mobile_login(page) == first  # viewing again voids nothing
    _close_dialog(page)
    _open_device(page, portal_url, password)  # a new browser session (reload, sign in)
    assert _view_mobile_login(page) == first

    # "The generated QR code expires in 24 hours, however, you can generate a new one."
    page.get_by_role("button", name="🔄 Generate a new QR code").click()
    expect(page.get_by_text("A new QR code was generated: the previous one no longer works.")).to_be_visible()
    fresh = _shown_password(page)
    assert fresh != first
    qr = page.get_by_role("dialog").locator('[data-testid="stImage"] img')
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    page.screenshot(path=artifacts / "device-mobile-login-new.png", full_page=True)
    if shutil.which("zbarimg") is not None:  # the code on screen carries the new password
        shot = tmp_path / "qr.png"
        qr.screenshot(path=shot)
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(shot)], capture_output=True, check=True, timeout=30)
        assert parse_payload(decoded.stdout.decode())["password"] == fresh
    _close_dialog(page)
    assert _view_mobile_login(page) == fresh
