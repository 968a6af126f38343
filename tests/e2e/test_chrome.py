"""The portal's own look in Chromium (issue 11 "feel"): no Streamlit chrome, Call History's actions in
sight on a 1366x768 screen, the widget jump without a blank option, the search download dialog closing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.cli.main import streamlit_command
from tests.e2e.portal import IDLE, log_in


def _sign_in(page: Page, url: str, slug: str, password: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{url}/{slug}")
    log_in(page, "7101", password)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.locator(IDLE).wait_for()


def _in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366


def test_serve_passes_the_projects_config_to_streamlit() -> None:
    cmd = streamlit_command("127.0.0.1", 8599)
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=False))
    assert flags["--client.toolbarMode"] == "minimal"  # no Deploy button, wherever serve starts from
    assert flags["--client.showErrorDetails"] == "none"  # no tracebacks
    assert flags["--theme.primaryColor"] == "#2e7d32"


@pytest.mark.e2e
@pytest.mark.req("CH-1")
@pytest.mark.req("HOME-3")
def test_call_history_fits_a_laptop_screen_without_streamlit_chrome(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, portal_url, "call_history", password)
    for selector in (".st-key-ch_call", ".st-key-ch_details", ".st-key-ch_download", ".st-key-ch_more"):
        assert _in_viewport(page, selector), selector
    # the ninth column, Call Type, is on screen: its header cell ends inside the table
    table = page.locator('[data-testid="stDataFrame"]').first
    page.screenshot(path=artifacts / "chrome-call_history_1366x768.png")
    table_box = table.bounding_box()
    assert table_box is not None and table_box["x"] + table_box["width"] <= 1366
    expect(table.locator("td[id='glide-cell-9-0']")).to_have_text(re.compile(r"\w"))  # drawn: in view
    assert page.evaluate(
        "() => { const c = document.querySelector('[data-testid=\"stDataFrame\"] .dvn-scroller');"
        " return c ? c.scrollWidth <= c.clientWidth + 1 : true; }"
    )
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    table.hover()
    expect(page.locator('[data-testid="stElementToolbar"]').first).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).not_to_be_visible()
    page.screenshot(path=artifacts / "chrome-call_history_1366x768.png")

    # a click to dial: the message shows above the list, in sight
    table.locator("xpath=.").click(position={"x": 16, "y": 35 + 17})  # tick the first call
    page.locator(IDLE).wait_for()
    page.get_by_role("button", name="📞 Call").click()
    message = page.get_by_text(re.compile(r"^Called .*: the call is at the top"))
    expect(message).to_be_visible()
    box = message.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768

    # Download > Search Result > OK: the file comes and the dialog closes
    page.get_by_role("textbox", name="Search").fill("7")
    page.get_by_role("textbox", name="Search").press("Enter")
    page.locator(IDLE).wait_for()
    page.get_by_role("button", name="⬇️ Download").click()
    page.get_by_role("button", name="Search Result").click()
    dialog = page.get_by_role("dialog").filter(has_text="Download the first 20,000 records")
    expect(dialog).to_be_visible()
    with page.expect_download():
        dialog.get_by_role("button", name="OK").click()
    expect(page.get_by_role("dialog")).to_have_count(0)


@pytest.mark.e2e
@pytest.mark.req("HOME-3")
def test_go_to_widget_lists_the_widgets_without_a_blank_option(
    page: Page, portal_url: str, password: str, artifacts: Path
) -> None:
    _sign_in(page, portal_url, "call_history", password)
    page.locator(".st-key-page_jump").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    names = options.all_inner_texts()
    assert names and all(n.strip() for n in names), names
    assert "Call History" not in names and "Voicemail" in names
    page.get_by_role("option", name="Voicemail", exact=True).click()
    expect(page).to_have_url(re.compile(r"/voicemail$"))
