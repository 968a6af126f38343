"""The Voicemail page in Chromium: play a new voicemail, forward one to another user (VM-1/3/6).

The e2e organisation (seed 11) leaves new voicemails for 7104 and 7108 (among others); these tests
use 7104, 7108 and 7106 only, so the other screens' tests keep 7101's data as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.portal import IDLE, log_in

ROW_PX = 35  # st.dataframe's row height; the header row has the same
# users of the e2e organisation with new voicemails whom no other test changes in a way the list shows
PLAYER, SENDER, RECEIVER = "7108", "7104", "7106"


def _table(page: Page, has_text: str = "") -> Locator:
    """Return the list once the page settled: one table left, holding `has_text`.

    A new filter or an action draws a new table (its selection starts empty), and the old
    one lingers until the rerun ends, so wait for the new content, not for the state alone.
    """
    tables = page.get_by_test_id("stDataFrame")
    table = tables.filter(has_text=has_text) if has_text else tables
    expect(table).to_have_count(1)
    expect(tables).to_have_count(1)
    page.locator(IDLE).wait_for()
    return table


def _redrawn(page: Page, act: Callable[[], object]) -> None:
    """Do `act` (a new filter or an action), then wait until a new table replaced the old one."""
    old = page.get_by_test_id("stDataFrame").element_handle()
    act()
    page.wait_for_function("el => !el.isConnected", arg=old)


def _sign_in(page: Page, number: str, password: str) -> None:
    log_in(page, number, password)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()


def _column(table: Locator, col: int) -> list[str]:
    """Return a column's cells, top to bottom, from the grid's accessible table (col 1 = From)."""
    expect(table.locator(f"td#glide-cell-{col}-0")).to_have_text(re.compile(r"\S"))
    return [t.strip() for t in table.locator(f'td[id^="glide-cell-{col}-"]').all_inner_texts()]


def _show(page: Page, starts: str) -> list[str]:
    """Pick a box filter by its label ("Inbox" picks "Inbox (2)"); return every option's label."""
    page.get_by_role("combobox", name="Show").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    labels = [t.strip() for t in options.all_inner_texts()]
    _redrawn(page, options.filter(has_text=starts).first.click)
    expect(page.get_by_role("combobox", name="Show")).to_have_value(re.compile(f"^{starts}"))
    return labels


def _select_row(page: Page, table: Locator, row: int) -> None:
    """Tick a row's checkbox: it is drawn on the grid's canvas, left of the first column."""
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
    page.locator(IDLE).wait_for()


@pytest.mark.e2e
@pytest.mark.req("VM-1")
@pytest.mark.req("VM-3")
def test_playing_a_new_voicemail_plays_it_and_moves_it_to_old(page: Page, portal_url: str, password: str) -> None:
    page.goto(f"{portal_url}/voicemail")
    _sign_in(page, PLAYER, password)
    _table(page, "New")
    labels = _show(page, "Inbox")
    inbox = next(int(label.split("(")[1].rstrip(")")) for label in labels if label.startswith("Inbox"))
    assert inbox >= 1
    table = _table(page, "New")
    caller = _column(table, 1)[0]
    _select_row(page, table, 0)
    _redrawn(page, page.get_by_role("button", name="Play").click)
    expect(page.get_by_test_id("stAudio")).to_be_visible()
    _table(page)
    assert f"Inbox ({inbox - 1})" in _show(page, "Old")
    assert caller in _column(_table(page, caller), 1)


@pytest.mark.e2e
@pytest.mark.req("VM-6")
@pytest.mark.req("VM-7")
def test_a_forwarded_voicemail_is_in_the_targets_inbox(
    page: Page, portal_url: str, password: str, names: dict[str, str], artifacts: Path
) -> None:
    page.goto(f"{portal_url}/voicemail")
    _sign_in(page, SENDER, password)
    table = _table(page, "New")
    caller = _column(table, 1)[0]
    _select_row(page, table, 0)
    page.get_by_role("button", name="Forward").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("combobox", name="Forward to").click()
    target = f"{RECEIVER} - {names[RECEIVER]}"
    page.get_by_role("option", name=target).click()
    _redrawn(page, dialog.get_by_role("button", name="OK").click)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(f"Forwarded 1 voicemail to {target}.")
    _table(page)

    page.get_by_role("button", name=f"👤 {names[SENDER]}").click()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("textbox", name="Extension")).to_be_visible()
    _sign_in(page, RECEIVER, password)
    _table(page, caller)
    _show(page, "Inbox")
    table = _table(page, f"Forwarded from {SENDER}")
    froms, statuses = _column(table, 1), _column(table, 4)
    forwarded = [s for f, s in zip(froms, statuses, strict=True) if f == caller]
    assert forwarded and forwarded[0].startswith("New") and forwarded[0].endswith(f"Forwarded from {SENDER}")
    _select_row(page, table, froms.index(caller))
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name="Download").click()
    name = download.value.suggested_filename
    assert name.startswith("voicemail_") and name.endswith(".wav")
    assert Path(download.value.path()).read_bytes()[:4] == b"RIFF"
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "voicemail.png", full_page=True)
