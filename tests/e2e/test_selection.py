"""A ticked row follows its record when the list changes (issue 11 item 1) in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.portal import IDLE, log_in


def _sign_in(page: Page, url: str, slug: str, password: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{url}/{slug}")
    log_in(page, "7101", password)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.locator(IDLE).wait_for()


def _tick(page: Page, table: str, row: int) -> None:
    """Tick a row's checkbox, drawn on the grid's canvas below the 35 px header."""
    box = page.locator(table).locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 35 * row + 17)
    page.locator(IDLE).wait_for()


@pytest.mark.e2e
@pytest.mark.req("CH-3")
def test_call_twice_from_call_history_dials_the_same_person(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, portal_url, "call_history", password)
    history = ".st-key-ch_table"
    page.locator(history).wait_for()
    _tick(page, "body", 2)  # the third call of the list
    expect(page.get_by_role("button", name="📞 Call")).to_be_enabled()
    page.get_by_role("button", name="📞 Call").click()
    called = page.get_by_text(re.compile(r"^Called .*: the call is at the top"))
    expect(called).to_be_visible()
    first = called.inner_text().split(":")[0]
    page.locator(IDLE).wait_for()
    # the new call tops the list; the tick is still on the call the user ticked, so Call again dials the same
    expect(page.get_by_role("button", name="📞 Call")).to_be_enabled()
    page.screenshot(path=artifacts / "selection-call_history-after_call.png")
    page.get_by_role("button", name="📞 Call").click()
    expect(page.get_by_text(re.compile(r"^Called .*: the call is at the top"))).to_contain_text(first + ":")


@pytest.mark.e2e
@pytest.mark.req("HD-4")
def test_move_up_keeps_the_rule_ticked_so_edit_opens_it(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, portal_url, "call_handling", password)
    for action in ("Play announcement", "Auto attendant"):
        page.get_by_role("button", name="+ New...").first.click()
        dialog = page.get_by_role("dialog")
        dialog.locator('[data-testid="stSelectbox"]').filter(has_text="Action").click()
        page.get_by_role("option", name=action, exact=True).click()
        page.locator(IDLE).wait_for()
        dialog.get_by_role("button", name="OK").click()
        expect(page.get_by_role("dialog")).to_have_count(0)
        page.locator(IDLE).wait_for()
    rules = ".st-key-hd_user_rules_NORMAL"
    expect(page.locator(f"{rules} td[id^='glide-cell-3-']")).to_have_count(2)
    _tick(page, rules, 1)  # Auto attendant, the second rule
    page.get_by_role("button", name="↑ Up").first.click()
    expect(page.locator(f"{rules} td[id='glide-cell-3-0']")).to_have_text("Auto attendant")
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "selection-call_handling-after_move_up.png")
    page.get_by_role("button", name="Edit...").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("combobox", name="Action")).to_have_value("Auto attendant")
    expect(dialog.get_by_label("Auto attendant", exact=True)).to_be_visible()  # the target list of that action
