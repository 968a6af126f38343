"""Reports in Chromium (ANL-3): the analyst's table, drawn chart and CSV download; Page not found for others."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboards.session import COOKIE
from fvkit.domain.reports import Report
from fvkit.store import reports as queries
from fvkit.store.db import Store
from pipelines.reports import report_csv
from tests.e2e.portal import IDLE, log_in


def _sign_in(page: Page, url: str, number: str, password: str, *, remember: bool = False) -> None:
    page.goto(url)
    log_in(page, number, password, remember=remember)


@pytest.mark.e2e
@pytest.mark.req("ANL-3")
def test_reports_shows_the_analyst_a_table_a_chart_and_the_csv(
    page: Page, portal_url: str, e2e_db: Path, password: str, artifacts: Path, tmp_path: Path
) -> None:
    _sign_in(page, portal_url, "7101", password)
    page.get_by_role("link", name="Reports").first.click()
    expect(page).to_have_url(f"{portal_url}/reports")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)  # a shared machine
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1)
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "reports.png", full_page=True)
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button").click()
    download = info.value
    data = Path(download.path()).read_bytes()
    named = re.fullmatch(r"extension-summary_(\d{4}-\d\d-\d\d)_(\d{4}-\d\d-\d\d)\.csv", download.suggested_filename)
    assert named is not None, download.suggested_filename
    day = [date.fromisoformat(d) for d in named.groups()]
    expect(page.get_by_role("spinbutton", name="day, From")).to_have_text(f"{day[0]:%d}")
    expect(page.get_by_role("spinbutton", name="day, To")).to_have_text(f"{day[1]:%d}")
    header = data.decode("utf-8").splitlines()[0]
    assert header.startswith("extension,name,department,calls_in,calls_out,answered,missed")
    # the rows are the report the CLI writes for the same days (read from a copy: the portal holds the file)
    # with its write-ahead log: earlier tests' calls may not be checkpointed into the file yet
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(e2e_db, copy)
    wal = e2e_db.with_name(e2e_db.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    store = Store(copy)
    try:
        assert data == report_csv(queries.run(store, Report.EXTENSION_SUMMARY, day[0], day[1]))
    finally:
        store.close()
    assert data.count(b"\n") > 10


@pytest.mark.e2e
@pytest.mark.req("ANL-3")
def test_reports_address_is_page_not_found_for_a_non_analyst(page: Page, portal_url: str, password: str) -> None:
    _sign_in(page, portal_url, "7102", password, remember=True)
    expect(page.get_by_role("link", name="Call History").first).to_be_visible()
    expect(page.get_by_role("link", name="Reports")).to_have_count(0)
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')")
    page.goto(f"{portal_url}/reports")
    expect(page.get_by_text("Page not found")).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)
