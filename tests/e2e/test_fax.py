"""Fax in Chromium: send a fax with a dynamic cover and a PDF attachment, find it in Sent, download it.

NOTE: in the shared e2e organisation 7112 has no Fax privilege and 7101's data must stay
as it is, so this module serves its own copy of that organisation (built with the CLI, as
a user would) in which the administrator gave 7112 the Fax privilege.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.sync_api import Download, Locator, Page, expect
from pypdf import PdfReader

from fvkit.store.db import Store
from tests.e2e.portal import IDLE, log_in, serve

REPO = Path(__file__).resolve().parents[2]
TABLE = '[data-testid="stDataFrame"]'
SENDER = "7112"
RECEIVED_ID = 990_001
RECEIVED_AT = datetime(2026, 10, 5, 17, 30)  # UTC
ROW_PX = 35
DOWNLOAD_COL = 1  # after the selection checkbox: Download, From/To, Time, Pages, Status
CHECKBOX_PX = 33


@pytest.fixture(scope="module")
def fax_db(tmp_path_factory: pytest.TempPathFactory, password: str) -> Path:
    """Build the e2e organisation with `fvkit simulate`, then grant 7112 the Fax privilege."""
    path = tmp_path_factory.mktemp("e2e_fax") / "fvkit.duckdb"
    cli = [sys.executable, "-m", "fvkit.cli", "simulate", "--db", str(path), "--seed", "11"]
    cli += ["--extensions", "16", "--days", "2", "--start", "2026-10-05", "--password", password]
    subprocess.run(cli, cwd=REPO, check=True, capture_output=True, timeout=300)
    store = Store(path)
    for privilege in ("Fax", "Fax extension monitoring"):
        store.execute(
            "UPDATE extension SET privileges = list_append(privileges, ?) "
            "WHERE number = ? AND NOT list_contains(privileges, ?)",
            [privilege, SENDER, privilege],
        )
    store.execute("UPDATE efax_account SET monitors = list_append(monitors, ?)", [SENDER])
    # a fax 7112 received at 17:30 UTC (10:30 in the organisation's Pacific time)
    store.execute(
        "INSERT INTO fax (id, owner, box, linkedid, remote_number, remote_name, time, pages, status, seed) "
        "VALUES (?, ?, 'Inbox', 'e2e-fax', '16045550199', 'Acme Supplies', ?, 2, 'Received', 7)",
        [RECEIVED_ID, SENDER, RECEIVED_AT],
    )
    # and one the first eFax account received, for Monitor
    store.execute(
        "INSERT INTO fax (id, owner, box, linkedid, remote_number, remote_name, time, pages, status, seed) "
        "SELECT ?, extension, 'Inbox', 'e2e-efax', '16045550123', 'Globex', ?, 1, 'Received', 8 "
        "FROM efax_account ORDER BY name LIMIT 1",
        [RECEIVED_ID + 1, RECEIVED_AT],
    )
    store.close()
    return path


@pytest.fixture(scope="module")
def fax_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served portal's log."""
    return tmp_path_factory.getbasetemp() / "portal-fax.log"


@pytest.fixture(scope="module")
def fax_url(fax_db: Path, fax_log: Path) -> Iterator[str]:
    """Serve the database with `fvkit serve` on a free port; stop it after."""
    with serve(fax_db, fax_log) as url:
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


def _download_link(page: Page, row: int) -> Download:
    """Click the Download column's link of a row (the first after the checkboxes) and return the download."""
    table = page.locator(TABLE).first
    cell = table.locator(f"td#glide-cell-{DOWNLOAD_COL}-{row}")
    expect(cell).to_have_text(re.compile(r"^/media/\w+\.pdf$"))  # the a11y copy holds the URL; the grid shows ⬇️ PDF
    box = table.bounding_box()
    assert box is not None
    x, y = box["x"] + CHECKBOX_PX + 14, box["y"] + ROW_PX * (row + 1.5)  # the grid is a canvas
    page.mouse.move(x, y)  # the grid finds the link under the pointer on hover
    page.wait_for_timeout(300)
    with page.expect_download(timeout=20_000) as info:  # the link opens a tab that hands over the file
        page.mouse.click(x, y)
    return info.value


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
    log_in(page, SENDER, password)
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
    download = _download_link(page, row=0)  # guide p.34: the Download column, click the link
    assert download.suggested_filename.startswith("fax_") and "_to_16045550100_" in download.suggested_filename
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) == 3
    assert "Ann Lee" in texts[0] and "Purchase order 42" in texts[0] and "Please sign page 2." in texts[0]
    assert "Purchase order page 1" in texts[1] and "Purchase order page 2" in texts[2]
    assert all("FROM: 7112 (FV-E2E)" in t for t in texts)
    page.mouse.move(0, 0)  # no tooltip over the list
    page.screenshot(path=artifacts / "fax.png", full_page=True)


def _sign_in(page: Page, url: str, password: str) -> None:
    page.context.clear_cookies()  # a new browser session (a reload alone keeps the sign-in)
    page.goto(f"{url}/fax")
    log_in(page, SENDER, password)
    expect(_button(page, "➕ New")).to_be_visible()
    page.locator(IDLE).wait_for()


def _view(page: Page, name: str) -> None:
    """Click one of the Fax views (Inbox, Sent, Cover Page, Monitor)."""
    page.locator('[data-testid="stButtonGroup"]').first.get_by_role("radio", name=name, exact=True).click()
    page.locator(IDLE).wait_for()


def _pdf_text(download: Download) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages]


@pytest.mark.e2e
@pytest.mark.req("FAX-1")
def test_view_a_received_fax_from_the_download_column_stamped_in_local_time(
    page: Page, fax_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, fax_url, password)  # guide p.33 step 1: Fax > Inbox
    _view(page, "Inbox")
    page.locator(IDLE).wait_for()
    table = page.locator(TABLE).first
    expect(table.locator("td#glide-cell-2-0")).to_have_text("Acme Supplies 16045550199")  # step 2: its row
    shown = table.locator("td#glide-cell-3-0").inner_text().strip()
    assert shown.startswith("2026-10-05 10:30")  # 17:30 UTC in the user's Pacific time
    page.mouse.move(0, 0)
    page.screenshot(path=artifacts / "fax-inbox-download-column.png", full_page=True)
    texts = _pdf_text(_download_link(page, row=0))  # step 3: the Download column's link
    assert len(texts) == 2
    assert all("2026-10-05 10:30" in t for t in texts)  # the fax header shows the time the list shows
    assert not any("2026-10-05 17:30" in t for t in texts)


@pytest.mark.e2e
@pytest.mark.req("FAX-5")
def test_monitor_lists_the_efax_accounts_faxes_with_a_download_link(
    page: Page, fax_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, fax_url, password)
    _view(page, "Monitor")  # guide p.35 step 1: Fax > Monitor
    expect(page.get_by_text("eFax Account")).to_be_visible()  # step 2: the account (the first is chosen)
    page.locator(IDLE).wait_for()
    table = page.locator(TABLE).first
    expect(table.locator("td#glide-cell-1-0")).to_have_text(re.compile(r"^/media/\w+\.pdf$"))
    page.mouse.move(0, 0)
    page.screenshot(path=artifacts / "fax-monitor-download-column.png", full_page=True)
    download = _download_link(page, row=0)  # step 3: "To view a fax, go to the Download column and click the link"
    assert download.suggested_filename.startswith("fax_") and download.suggested_filename.endswith(".pdf")
    assert _pdf_text(download)[0].strip()


@pytest.mark.e2e
@pytest.mark.req("FAX-4")
@pytest.mark.req("FAX-2")
def test_dynamic_cover_page_previews_every_change_then_ok_keeps_it_for_a_new_fax(
    page: Page, fax_url: str, password: str, fax_log: Path, artifacts: Path, tmp_path: Path
) -> None:
    _sign_in(page, fax_url, password)
    _view(page, "Cover Page")  # guide p.35 step 1: Fax > Cover Page
    page.locator(IDLE).wait_for()
    _button(page, "📝 Dynamic Cover Page").click()  # step 2
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("textbox", name="To")).to_be_visible()
    fields = (  # step 3, in the guide's order
        ("To", "Bob Ray"),
        ("From", "Ann Lee"),
        ("Email", "ann@example.com"),
        ("Subject", "Purchase order 42"),
        ("Company", "Acme Supplies"),
        ("Comments", "Please sign page 2."),
    )
    preview = dialog.get_by_role("button", name="👁️ Preview", exact=True)
    for label, text in fields:  # change a field, then Preview straight away - every time (issue 11 item 3)
        box = dialog.get_by_role("textbox", name=label)
        box.fill(text)
        preview.click()
        image = dialog.locator('[data-testid="stImage"] img')
        expect(image).to_be_visible()
        page.locator(IDLE).wait_for()
        page.wait_for_timeout(500)  # a text area hands its value over on blur: maybe one more run
        page.locator(IDLE).wait_for()
        with page.expect_download() as info:
            dialog.get_by_role("button", name="⬇️ Download the preview (PDF)").click()
        (cover,) = _pdf_text(info.value)
        assert text.split()[0] in cover, (label, cover)
    expect(page.get_by_text("Failed to generate file for download")).to_have_count(0)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    page.screenshot(path=artifacts / "fax-dynamic-cover-preview.png", full_page=True)
    _button(page, "OK").click()  # step 4
    expect(page.get_by_text("Dynamic cover page saved: New fax uses it.")).to_be_visible()
    assert "MediaFileStorageError" not in fax_log.read_text(errors="replace")

    # step 5: use it for Sending a fax (p.33) - in a new browser session, so it is kept, not remembered
    page.goto(f"{fax_url}/fax")
    _sign_in(page, fax_url, password)
    _button(page, "➕ New").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("From your Dynamic Cover Page to Bob Ray (Fax > Cover Page)")).to_be_visible()
    for label, text in fields[1:]:
        expect(dialog.get_by_role("textbox", name=label)).to_have_value(text)
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "fax-new-with-saved-cover.png", full_page=True)
    _type(page, dialog.get_by_role("textbox", name="To"), "604 555 0100")
    dialog.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(_attachment(tmp_path / "po.pdf"))
    expect(dialog.get_by_text("po.pdf")).to_be_visible()
    _button(page, "Send").click()
    expect(page.get_by_text("Fax sent to 6045550100: 3 page(s).")).to_be_visible(timeout=20_000)
    page.locator(IDLE).wait_for()
    cover = _pdf_text(_download_link(page, row=0))[0]
    assert "Bob Ray (6045550100)" in cover and "Ann Lee" in cover and "Please sign page 2." in cover


@pytest.mark.e2e
@pytest.mark.req("FAX-2")
def test_new_fax_keeps_cancel_after_a_refused_number(page: Page, fax_url: str, password: str, artifacts: Path) -> None:
    _sign_in(page, fax_url, password)
    _button(page, "➕ New").click()
    dialog = page.get_by_role("dialog")
    _type(page, dialog.get_by_role("textbox", name="To"), "call me")
    _button(page, "Send").click()
    expect(dialog.get_by_text("A fax number holds digits only")).to_be_visible()
    page.screenshot(path=artifacts / "fax-new-refused.png", full_page=True)
    _button(page, "Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
