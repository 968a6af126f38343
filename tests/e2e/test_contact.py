"""Contact in Chromium against the running portal: import, export, block list (CT-6, CT-7, CT-10)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.portal import IDLE, log_in

#: 7108 and 7107 are Standard with the Block list privilege in the e2e organisation
IMPORTER, BLOCKER = "7108", "7107"
CONTACTS_CSV = (
    "Name,Phone,Mobile,Email\n"
    "Ada Lovelace,+1 408 555 0101,,ada@example.com\n"
    "Alan Turing,(650) 555-0102,650 555 0103,alan@example.org\n"
    "No Number,,,nobody@example.com\n"
    "Grace Hopper,7102,,\n"
)
NAME_COL = 2  # glide columns: 0 is the selection checkbox, 1 the star


def _open_contacts(page: Page, url: str, number: str, password: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{url}/contact")
    log_in(page, number, password)
    expect(page.get_by_role("button", name="➕ New")).to_be_visible()
    page.locator(IDLE).wait_for()


def _idle(page: Page) -> None:
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()


def _cells(table: Locator, col: int, rows: int) -> list[str]:
    """Return a column's cells once the grid shows `rows` rows (it fills in after the script ends)."""
    cells = table.locator(f"td[id^='glide-cell-{col}-']")
    expect(cells).to_have_count(rows)
    return [c.inner_text() for c in cells.all()]


def _tick(page: Page, table: Locator, row: int) -> None:
    """Tick a row's checkbox, drawn on the grid's canvas: 35 px header, then 35 px rows."""
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 * row + 17)
    _idle(page)


@pytest.mark.e2e
@pytest.mark.req("CT-6")
@pytest.mark.req("CT-7")
def test_import_a_csv_through_the_upload_widget_then_export_it(
    page: Page, portal_url: str, password: str, tmp_path: Path, artifacts: Path
) -> None:
    _open_contacts(page, portal_url, IMPORTER, password)
    page.get_by_role("button", name="⋮").click()
    page.get_by_role("button", name="Import").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Delete all existing contacts before importing")).to_be_visible()
    expect(dialog.get_by_text("Skip CSV first line")).to_be_visible()
    upload = tmp_path / "contacts.csv"
    upload.write_text(CONTACTS_CSV, encoding="utf-8")
    dialog.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(upload)
    expect(dialog.get_by_text("Select Mapping Fields")).to_be_visible()
    expect(dialog.get_by_role("combobox", name="Main number *")).to_have_value("2: Phone")
    expect(dialog.get_by_role("combobox", name="Display name")).to_have_value("1: Name")
    _idle(page)
    page.screenshot(path=artifacts / "contact-import.png", full_page=True)
    dialog.get_by_role("button", name="OK").click()

    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("3 of 4 imported", exact=True)).to_be_visible()
    _idle(page)
    notes = page.locator('[data-testid="stDataFrame"]').first
    assert _cells(notes, 0, 1) == ["Skipped line 4: no main number"]
    table = page.locator('[data-testid="stDataFrame"]').last
    assert _cells(table, NAME_COL, 3) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    _tick(page, table, 1)  # Alan Turing: the actions come alive
    expect(page.get_by_role("button", name="✏️ Edit")).to_be_enabled()
    page.screenshot(path=artifacts / "contact.png", full_page=True)

    page.get_by_role("button", name="⋮").click()
    with page.expect_download() as exported:
        page.get_by_role("button", name="Export").click()
    rows = list(csv.reader(io.StringIO(Path(exported.value.path()).read_bytes().decode("utf-8-sig"))))
    assert rows[0][:2] == ["Display name", "Main number"]
    assert [r[:2] for r in rows[1:]] == [
        ["Ada Lovelace", "+14085550101"],
        ["Alan Turing", "+16505550102"],
        ["Grace Hopper", "7102"],
    ]


@pytest.mark.e2e
@pytest.mark.req("CT-10")
def test_block_a_number_through_the_personal_block_list(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _open_contacts(page, portal_url, BLOCKER, password)
    page.get_by_role("button", name="🚫 Personal Block List").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator('[data-testid="stDataFrame"]')).to_be_visible()
    dialog.get_by_text("➕ New").click()
    dialog.get_by_role("textbox", name="Number *").fill("+1 212 555 0199")
    dialog.get_by_role("textbox", name="Display name").fill("Robocaller")
    dialog.get_by_role("textbox", name="Description").fill("extended warranty")
    dialog.get_by_role("button", name="Create").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("+1 212 555 0199 blocked.")).to_be_visible()
    _idle(page)
    listed = dialog.locator('[data-testid="stDataFrame"]')
    numbers = _cells(listed, 1, 3)  # the two numbers the simulator blocked for 7107, then ours
    assert numbers[-1] == "+12125550199"
    assert _cells(listed, 2, 3)[-1] == "Robocaller"
    page.screenshot(path=artifacts / "contact-block-list.png", full_page=True)

    dialog.get_by_test_id("stBaseButton-secondary").filter(has_text="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
