"""In Chromium: user text rendered through Markdown stays text (issue 13 item 6)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from fvkit.store.db import Store
from tests.e2e.portal import log_in, serve

NAME = "Eve ![x](http://127.0.0.1:9/track.png) [t](http://127.0.0.1:9/go) **b**"


@pytest.fixture(scope="module")
def marked_url(tmp_path_factory: pytest.TempPathFactory, e2e_db: Path) -> Iterator[str]:
    """Serve a copy of the organisation in which 7103's display name is Markdown."""
    copy = tmp_path_factory.mktemp("marked") / "fvkit.duckdb"
    shutil.copyfile(e2e_db, copy)
    db = Store(copy)
    db.execute("UPDATE extension SET display_name = ? WHERE number = '7103'", [NAME])
    db.close()
    with serve(copy, copy.parent / "portal.log") as url:
        yield url


@pytest.mark.e2e
@pytest.mark.req("HOME-2")
def test_a_markdown_image_in_a_name_renders_as_text(page: Page, marked_url: str, password: str) -> None:
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    page.on("request", note)
    page.goto(marked_url)
    log_in(page, "7103", password)
    menu = page.get_by_role("button", name=f"👤 {NAME}")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_text(NAME, exact=True).first).to_be_visible()
    assert page.locator("img[src*='track.png']").count() == 0
    assert page.locator("a[href*='127.0.0.1:9']").count() == 0
    assert not [url for url in requested if "127.0.0.1:9/" in url]
