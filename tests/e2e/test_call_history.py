"""Call History in Chromium against the running portal (CH-1, CH-4, CH-6, CH-7, CH-8)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DIRECTION_COL, DISPOSITION_COL = 8, 7  # glide columns: 0 is the selection checkbox


def _open_history(page: Page, url: str, password: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{url}/call_history")
    page.get_by_role("textbox", name="Extension").fill("7101")
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text(re.compile(r"^\d+-\d+ of \d+$"))).to_be_visible()
    page.locator(IDLE).wait_for()


def _choose(page: Page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.locator(IDLE).wait_for()
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for()


def _column(page: Page, col: int) -> list[str]:
    table = page.locator('[data-testid="stDataFrame"]').first
    return [c.inner_text() for c in table.locator(f"td[id^='glide-cell-{col}-']").all()]


def _select_first_row(page: Page) -> None:
    """Tick the first row's checkbox, drawn on the grid's canvas below the 35 px header."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    page.locator(IDLE).wait_for()
    expect(page.get_by_role("button", name="🔎 Details")).to_be_enabled()


def _pager_total(page: Page) -> int:
    label = page.get_by_text(re.compile(r"^\d+-\d+ of \d+$|^0 of 0$")).inner_text()
    return int(label.rsplit(" ", 1)[1])


def _csv_rows(path: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_bytes().decode("utf-8-sig"))))


@pytest.mark.e2e
@pytest.mark.req("CH-1")
@pytest.mark.req("CH-6")
def test_filters_by_direction_and_disposition_show_only_matching_rows(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _open_history(page, portal_url, password)
    everything = _pager_total(page)
    _choose(page, "Direction", "Outgoing")
    assert set(_column(page, DIRECTION_COL)) == {"Outgoing"}
    _choose(page, "Disposition", "Answered")
    outgoing_answered = _pager_total(page)
    assert 0 < outgoing_answered < everything
    assert set(_column(page, DIRECTION_COL)) == {"Outgoing"}
    assert set(_column(page, DISPOSITION_COL)) == {"Answered"}
    page.screenshot(path=artifacts / "call_history.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.req("CH-4")
def test_details_show_the_call_information_and_its_flow(page: Page, portal_url: str, password: str) -> None:
    _open_history(page, portal_url, password)
    _select_first_row(page)
    page.get_by_role("button", name="🔎 Details").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Call Information")).to_be_visible()
    expect(dialog.get_by_text("Real duration:")).to_be_visible()
    expect(dialog.get_by_text("Unique ID:")).to_be_visible()
    flow = dialog.locator('[data-testid="stDataFrame"]')
    expect(flow).to_be_visible()
    descriptions = [c.inner_text() for c in flow.locator("td[id^='glide-cell-1-']").all()]
    assert descriptions and all(d for d in descriptions)
    assert any(d.startswith(("dial ", "incoming call from")) for d in descriptions)


@pytest.mark.e2e
@pytest.mark.req("CH-7")
@pytest.mark.req("CH-8")
def test_downloads_all_and_search_result_as_csv(page: Page, portal_url: str, password: str) -> None:
    _open_history(page, portal_url, password)
    total = _pager_total(page)
    page.get_by_role("button", name="⬇️ Download").click()
    with page.expect_download() as all_download:
        page.get_by_role("button", name="All", exact=True).click()
    rows = _csv_rows(all_download.value.path())
    assert rows[0][:9] == [
        "From (Name)",
        "From",
        "To (Name)",
        "To",
        "Start",
        "Duration",
        "Disposition",
        "Direction",
        "Call Type",
    ]
    assert len(rows) - 1 == min(total, 20_000)

    page.keyboard.press("Escape")
    search = page.get_by_role("textbox", name="Search")
    search.fill("1")
    search.press("Enter")
    page.locator(IDLE).wait_for()
    found = _pager_total(page)
    page.get_by_text("With call flow").click()
    page.locator(IDLE).wait_for()
    page.get_by_role("button", name="⬇️ Download").click()
    page.get_by_role("button", name="Search Result").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("with call flow")).to_be_visible()
    with page.expect_download() as search_download:
        dialog.get_by_role("button", name="OK").click()
    rows = _csv_rows(search_download.value.path())
    header = rows[0]
    assert header[-3:] == ["Flow Step", "Flow Time", "Flow Description"]
    unique = {r[header.index("Unique ID")] for r in rows[1:]}
    assert len(unique) == min(found, 20_000)
    assert len(rows) - 1 > len(unique)  # one row per flow event
