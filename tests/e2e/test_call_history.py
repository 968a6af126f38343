"""Call History in Chromium against the running portal (CH-1, CH-4, CH-6, CH-7, CH-8)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in, pick

DIRECTION_COL, DISPOSITION_COL = 8, 7  # glide columns: 0 is the selection checkbox


def _open_history(page: Page, url: str, password: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{url}/call_history")
    log_in(page, "7101", password)
    expect(page.get_by_text(re.compile(r"^\d+-\d+ of \d+$"))).to_be_visible()
    page.locator(IDLE).wait_for()
    # the run that writes the new session cookie follows; until it ends, its elements and the
    # previous run's stand side by side (two filter bars), so wait for one of each again
    expect(page.get_by_role("combobox", name="Direction")).to_have_count(1)
    page.locator(IDLE).wait_for()


PAGER = re.compile(r"^\d+-\d+ of \d+$|^0 of 0$")


def _choose(page: Page, label: str, option: str) -> None:
    """Pick a filter value and wait until the list shows its result (the box shows it, grid filled).

    The pager need not change: a filter may keep every row shown (all outgoing calls answered).
    """
    pick(page, page.locator('[data-testid="stSelectbox"]').filter(has_text=label), option)
    combobox = page.get_by_role("combobox", name=label)
    expect(combobox.first).to_have_value(option)
    page.locator(IDLE).wait_for()
    expect(combobox).to_have_count(1)  # the run's elements and the previous run's stand side by side until it ends
    page.locator(IDLE).wait_for()
    after = page.get_by_text(PAGER).inner_text()
    first, last = (int(x) for x in after.split(" ")[0].split("-")) if after != "0 of 0" else (1, 0)
    shown = last - first + 1
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.locator("td[id^='glide-cell-1-']")).to_have_count(shown)


def _only(page: Page, col: int, value: str) -> None:
    """Wait until every row shown holds `value` in column `col` (the filtered list replaced the old one)."""
    cells = page.locator('[data-testid="stDataFrame"]').first.locator(f"td[id^='glide-cell-{col}-']")
    expect(cells).not_to_have_count(0)  # the grid's accessible table: present, not painted
    expect(cells.filter(has_not_text=value)).to_have_count(0)


def _column(page: Page, col: int) -> list[str]:
    table = page.locator('[data-testid="stDataFrame"]').first
    page.locator(IDLE).wait_for()
    return table.locator(f"td[id^='glide-cell-{col}-']").all_inner_texts()  # one read: no re-render race


def _select_first_row(page: Page) -> None:
    """Tick the first row's checkbox, drawn on the grid's canvas below the 35 px header."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    page.locator(IDLE).wait_for()
    expect(page.get_by_role("button", name="🔎 Details")).to_be_enabled()


def _pager_total(page: Page) -> int:
    label = page.get_by_text(PAGER).inner_text()
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
    _only(page, DIRECTION_COL, "Outgoing")
    assert set(_column(page, DIRECTION_COL)) == {"Outgoing"}
    _choose(page, "Disposition", "Answered")
    _only(page, DISPOSITION_COL, "Answered")
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
    cells = flow.locator("td[id^='glide-cell-1-']")
    expect(cells).not_to_have_count(0)
    descriptions = cells.all_inner_texts()
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
        "Start (GMT -8:00 Pacific Time US & Canada)",  # the times' zone, as the user's Preferences name it
        "Duration",
        "Disposition",
        "Direction",
        "Call Type",
    ]
    assert len(rows) - 1 == min(total, 20_000)

    page.locator(IDLE).wait_for()
    page.keyboard.press("Escape")
    page.locator(IDLE).wait_for()
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
    assert header[-3:] == ["Flow Step", "Flow Time (GMT -8:00 Pacific Time US & Canada)", "Flow Description"]
    unique = {r[header.index("Unique ID")] for r in rows[1:]}
    assert len(unique) == min(found, 20_000)
    assert len(rows) - 1 > len(unique)  # one row per flow event


@pytest.mark.e2e
@pytest.mark.req("CH-10")
@pytest.mark.req("CT-10")
def test_block_a_caller_from_call_history_then_find_it_in_the_block_list(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _open_history(page, portal_url, password)
    _choose(page, "Direction", "Incoming")
    _only(page, DIRECTION_COL, "Incoming")
    first_from = page.locator('[data-testid="stDataFrame"]').first.locator("td[id='glide-cell-2-0']")
    caller = first_from.inner_text()  # From of the newest incoming call
    _select_first_row(page)
    page.get_by_role("button", name="More Action").click()
    page.get_by_role("button", name="Block", exact=True).click()
    dialog = page.get_by_role("dialog").filter(has_text="Block calls from")
    expect(dialog.get_by_text(f"({caller})")).to_be_visible()
    dialog.get_by_role("textbox", name="Description").fill("blocked from call history")
    dialog.get_by_role("button", name="Block", exact=True).click()
    expect(page.get_by_text(f"{caller} is on your personal block list")).to_be_visible()

    page.context.clear_cookies()  # a new browser session (a reload alone keeps the sign-in)
    page.goto(f"{portal_url}/contact")  # a new session: sign in again on the Contact page
    log_in(page, "7101", password)
    page.get_by_role("button", name="🚫 Personal Block List").click()
    listed = page.get_by_role("dialog").locator('[data-testid="stDataFrame"]')
    expect(listed).to_be_visible()
    cells = listed.locator("td[id^='glide-cell-1-']")
    expect(cells).not_to_have_count(0)
    page.locator(IDLE).wait_for()
    numbers = cells.all_inner_texts()
    assert any(n.lstrip("+") == caller for n in numbers), numbers
    page.screenshot(path=artifacts / "call_history-blocked.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.req("CH-4")
def test_a_click_on_a_call_opens_its_details_and_again_after_closing(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _open_history(page, portal_url, password)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.locator("td[id^='glide-cell-5-']")).not_to_have_count(0)
    starts = _column(page, 5)
    box = table.bounding_box()
    assert box is not None
    for _ in range(2):  # guide p.13: double-click a call; here any click on its row opens it, every time
        page.mouse.dblclick(box["x"] + 420, box["y"] + 35 + 35 * 2 + 17)  # the third call's Start
        dialog = page.get_by_role("dialog").filter(has_text="Call Information")
        expect(dialog).to_be_visible()
        page.locator(IDLE).wait_for()
        page.screenshot(path=artifacts / "call_history-details_by_click.png")
        expect(dialog.get_by_text(f"Start: {starts[2]}")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
        page.locator(IDLE).wait_for()
    expect(page.get_by_role("button", name="🔎 Details")).to_be_disabled()  # no row was ticked by the clicks
