"""Fax in Chromium: send a fax with a dynamic cover and a PDF attachment, find it in Sent, download it.

NOTE: in the shared e2e organisation 7112 has no Fax privilege and 7101's data must stay
as it is, so this module serves its own copy of that organisation (built with the CLI, as
a user would) in which the administrator gave 7112 the Fax privilege.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from fvkit.store.db import Store
from tests.e2e.portal import serve

REPO = Path(__file__).resolve().parents[2]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TABLE = '[data-testid="stDataFrame"]'
SENDER = "7112"
ROW_PX = 35


@pytest.fixture(scope="module")
def fax_db(tmp_path_factory: pytest.TempPathFactory, password: str) -> Path:
    """Build the e2e organisation with `fvkit simulate`, then grant 7112 the Fax privilege."""
    path = tmp_path_factory.mktemp("e2e_fax") / "fvkit.duckdb"
    cli = [sys.executable, "-m", "fvkit.cli", "simulate", "--db", str(path), "--seed", "11"]
    cli += ["--extensions", "16", "--days", "2", "--start", "2026-10-05", "--password", password]
    subprocess.run(cli, cwd=REPO, check=True, capture_output=True, timeout=300)
    store = Store(path)
    store.execute(
        "UPDATE extension SET privileges = list_append(privileges, 'Fax') "
        "WHERE number = ? AND NOT list_contains(privileges, 'Fax')",
        [SENDER],
    )
    store.close()
    return path


@pytest.fixture(scope="module")
def fax_url(fax_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the database with `fvkit serve` on a free port; stop it after."""
    with serve(fax_db, tmp_path_factory.getbasetemp() / "portal-fax.log") as url:
        yield url


def _attachment(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=14)
    for n in (1, 2):
        pdf.add_page()
        pdf.cell(text=f"Purchase order page {n}")
    path.write_bytes(bytes(pdf.output()))
    return path


def _type(page: Page, box: Locator, text: str) -> None:
    """Fill a text box and leave it (Streamlit applies a value on blur), then wait for the rerun."""
    box.fill(text)
    box.press("Tab")
    expect(box).to_have_value(text)
    page.locator(IDLE).wait_for()


def _button(page: Page, label: str) -> Locator:
    """Return the visible button with this label (Streamlit draws a hidden twin of buttons with help)."""
    return page.get_by_role("button", name=label, exact=True).filter(visible=True)


@pytest.mark.e2e
@pytest.mark.req("FAX-2")
@pytest.mark.req("FAX-3")
def test_send_a_fax_then_download_it_from_sent(
    page: Page, fax_url: str, password: str, artifacts: Path, tmp_path: Path
) -> None:
    page.goto(f"{fax_url}/fax")
    page.get_by_role("textbox", name="Extension").fill(SENDER)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Login").click()
    new = _button(page, "➕ New")
    expect(new).to_be_visible()
    page.locator(IDLE).wait_for()
    new.click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Cover sheet type")).to_be_visible()
    for label, text in (
        ("To", "+1 604 555 0100"),
        ("From", "Ann Lee"),
        ("Subject", "Purchase order 42"),
        ("Company", "Acme Supplies"),
        ("Comments", "Please sign page 2."),
    ):
        _type(page, dialog.get_by_role("textbox", name=label), text)
    dialog.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(_attachment(tmp_path / "po.pdf"))
    expect(dialog.get_by_text("po.pdf")).to_be_visible()
    dialog.get_by_text("Advanced").click()
    _type(page, dialog.get_by_role("textbox", name="Station ID"), "FV-E2E")
    expect(dialog.get_by_text("Advanced")).to_be_visible()
    for label in ("To", "From", "Subject", "Company", "Comments"):  # every value kept across the reruns
        expect(dialog.get_by_role("textbox", name=label)).not_to_have_value("")
    page.wait_for_timeout(500)  # the expander's opening animation
    page.screenshot(path=artifacts / "fax-new.png", full_page=True)
    _button(page, "Send").click()

    # building the PDF takes a moment on a busy machine
    expect(page.get_by_text("Fax sent to 16045550100: 3 page(s).")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator(IDLE).wait_for()
    expect(page.get_by_text("1-1 of 1", exact=True)).to_be_visible()
    box = page.locator(TABLE).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + ROW_PX * 1.5)  # the first row's checkbox
    download_button = _button(page, "⬇️ Download")
    expect(download_button).to_be_enabled()
    page.locator(IDLE).wait_for()
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.startswith("fax_") and "_to_16045550100_" in download.suggested_filename
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) == 3
    assert "Ann Lee" in texts[0] and "Purchase order 42" in texts[0] and "Please sign page 2." in texts[0]
    assert "Purchase order page 1" in texts[1] and "Purchase order page 2" in texts[2]
    assert all("FROM: 7112 (FV-E2E)" in t for t in texts)
    page.mouse.move(0, 0)  # no tooltip over the list
    page.screenshot(path=artifacts / "fax.png", full_page=True)
