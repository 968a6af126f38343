"""Basic access (guide p.56) in Chromium: Call History offers no Call or Add to Contact, Block works,
and the blocked number can be seen and removed (issue 11 item 16).

NOTE: the shared e2e organisation's Basic user (7105) lacks the Block list privilege and other
modules use it, so this module serves its own copy (built with the CLI) in which the
administrator granted it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.store.db import Store
from tests.e2e.portal import IDLE, log_in, serve

REPO = Path(__file__).resolve().parents[2]
BASIC = "7105"


@pytest.fixture(scope="module")
def basic_url(tmp_path_factory: pytest.TempPathFactory, password: str) -> Iterator[str]:
    """Serve an e2e organisation where the Basic user 7105 may block numbers."""
    path = tmp_path_factory.mktemp("e2e_basic") / "fvkit.duckdb"
    cli = [sys.executable, "-m", "fvkit.cli", "simulate", "--db", str(path), "--seed", "11"]
    cli += ["--extensions", "16", "--days", "2", "--start", "2026-10-05", "--password", password]
    subprocess.run(cli, cwd=REPO, check=True, capture_output=True, timeout=300)
    store = Store(path)
    level = store.execute("SELECT access_level FROM extension WHERE number = ?", [BASIC]).fetchone()
    assert level == ("Basic",)
    store.execute("UPDATE extension SET privileges = list_append(privileges, 'Block list') WHERE number = ?", [BASIC])
    store.close()
    with serve(path, tmp_path_factory.getbasetemp() / "portal-basic.log") as url:
        yield url


@pytest.mark.e2e
@pytest.mark.req("AUTH-4")
@pytest.mark.req("CH-10")
@pytest.mark.req("CT-10")
def test_basic_user_blocks_a_caller_then_sees_and_removes_the_block(
    page: Page, basic_url: str, password: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{basic_url}/call_history")
    log_in(page, BASIC, password)
    expect(page.get_by_text(re.compile(r"^\d+-\d+ of \d+$"))).to_be_visible()
    page.locator(IDLE).wait_for()
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first call's checkbox
    page.locator(IDLE).wait_for()
    expect(page.get_by_role("button", name="🔎 Details")).to_be_enabled()
    expect(page.get_by_role("button", name="📞 Call")).to_have_count(0)  # p.56: no click to dial

    # guide p.16: More Action > Block
    page.get_by_role("button", name="More Action").click()
    expect(page.get_by_role("button", name="Block", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Add to Contact")).to_have_count(0)  # p.56: no Contacts
    page.screenshot(path=artifacts / "call-history-basic-more-action.png", full_page=True)
    page.get_by_role("button", name="Block", exact=True).click()
    dialog = page.get_by_role("dialog").filter(has_text="Block calls from")
    number = re.search(r"\(([^()]+)\)\?", dialog.inner_text())
    assert number is not None
    blocked = number.group(1)
    dialog.get_by_role("button", name="Block", exact=True).click()
    expect(page.get_by_text(f"{blocked} is on your personal block list")).to_be_visible()
    page.locator(IDLE).wait_for()

    # the block list: seen and removed
    page.get_by_role("button", name="More Action").click()
    page.get_by_role("button", name="🚫 Personal Block List").click()
    dialog = page.get_by_role("dialog").filter(has_text="Personal Block List")
    table = dialog.locator('[data-testid="stDataFrame"]')
    expect(table.locator("td#glide-cell-1-0")).to_have_text(re.compile(re.escape(blocked.lstrip("+"))))
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "call-history-basic-block-list.png", full_page=True)
    grid = table.bounding_box()
    assert grid is not None
    page.mouse.click(grid["x"] + 16, grid["y"] + 35 + 17)
    remove = dialog.get_by_role("button", name="🗑️ Remove")
    expect(remove).to_be_enabled()
    remove.click()
    expect(page.get_by_text("1 number removed from the block list.")).to_be_visible()
    expect(dialog.locator('[data-testid="stDataFrame"]').locator("td#glide-cell-1-0")).to_have_count(0)
