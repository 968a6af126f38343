"""The user's theme (Preferences > Display Preference > Theme) colours every primary control, in Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.domain.prefs import Theme
from fvkit.portal import preferences
from fvkit.portal.auth import acting_as
from fvkit.store.db import Store
from tests.e2e.portal import IDLE, log_in, serve

BLUE = "rgb(21, 101, 192)"  # #1565c0


@pytest.fixture(scope="module")
def blue_portal(e2e_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a copy of the e2e organisation in which 7101 chose the Blue theme."""
    folder = tmp_path_factory.mktemp("e2e_theme")
    db_path = folder / "fvkit.duckdb"
    shutil.copyfile(e2e_db, db_path)
    store = Store(db_path)
    user = acting_as(store, "7101")
    current = preferences.display(store, user)
    preferences.save_display(
        store, user, preferences.Display(current.phone_language, current.web_language, Theme.BLUE, current.time_zone)
    )
    store.close()
    with serve(db_path, folder / "portal.log") as url:
        yield url


def _background(page: Page, selector: str) -> str:
    return str(page.locator(selector).first.evaluate("e => getComputedStyle(e).backgroundColor"))


@pytest.mark.e2e
@pytest.mark.req("PREF-5")
def test_a_blue_theme_colours_buttons_switches_and_radios(
    page: Page, blue_portal: str, password: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{blue_portal}/call_handling")
    log_in(page, "7101", password)
    expect(page.get_by_text("User's call handling")).to_be_visible()
    page.locator(IDLE).wait_for()
    page.locator(".st-key-hd_dnd label").click()  # a switch turned ON
    expect(page.get_by_text("Do not disturb is ON.")).to_be_visible()
    page.locator(IDLE).wait_for()
    assert _background(page, ".st-key-hd_dnd label[data-selected='true'] > span + div") == BLUE
    assert _background(page, ".st-key-hd_user_mode_NORMAL [data-selected='true'] > div > div:first-child") == BLUE
    page.locator(".st-key-hd_user_new button").click()
    page.locator(".st-key-hd_rule_from").wait_for()
    assert (
        _background(page, '[data-testid="stDialog"] [data-testid="stMultiSelectTagsContainer"] [data-tag]') == BLUE
    )  # Call from: Internal...
    assert _background(page, '[data-testid="stDialog"] [data-testid^="stBaseButton-primary"]') == BLUE  # OK
    page.screenshot(path=str(artifacts / "theme-blue-call_handling.png"))
