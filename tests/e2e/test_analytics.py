"""Analytics in Chromium: the signed-in user's figures and four drawn charts, on recent traffic."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fvkit.portal import analytics
from fvkit.portal.auth import acting_as
from fvkit.store.db import Store
from tests.e2e.portal import IDLE, log_in, serve

REPO = Path(__file__).resolve().parents[2]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def recent_db(tmp_path_factory: pytest.TempPathFactory, password: str) -> Path:
    """Build the ten days before today with `fvkit simulate`: some of it older than the last 7 days."""
    path = tmp_path_factory.mktemp("e2e_analytics") / "fvkit.duckdb"
    start = f"{_now() - timedelta(days=10):%Y-%m-%d}"
    cli = [sys.executable, "-m", "fvkit.cli", "simulate", "--db", str(path), "--seed", "11"]
    cli += ["--extensions", "16", "--days", "9", "--start", start, "--password", password]
    subprocess.run(cli, cwd=REPO, check=True, capture_output=True, timeout=300)
    return path


@pytest.fixture(scope="module")
def expected(recent_db: Path) -> dict[str, analytics.Kpis]:
    """7101's figures per period, read before the portal takes the file (the traffic ended a day ago)."""
    store = Store(recent_db, read_only=True)
    try:
        user = acting_as(store, "7101")
        return {period: analytics.report(store, user, _now(), period).kpis for period in analytics.PERIODS}
    finally:
        store.close()


@pytest.fixture(scope="module")
def recent_url(
    recent_db: Path, expected: dict[str, analytics.Kpis], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with serve(recent_db, tmp_path_factory.getbasetemp() / "portal-analytics.log") as url:
        yield url


@pytest.mark.e2e
def test_analytics_shows_the_users_figures_and_charts(
    page: Page, recent_url: str, expected: dict[str, analytics.Kpis], password: str, artifacts: Path
) -> None:
    page.goto(recent_url)
    log_in(page, "7101", password)
    page.get_by_role("link", name="Analytics").first.click()
    expect(page).to_have_url(f"{recent_url}/analytics")
    k = expected["Last 30 days"]
    assert k.calls > 0
    calls = page.get_by_test_id("stMetric").filter(has_text="Calls")
    expect(calls.get_by_test_id("stMetricValue")).to_have_text(f"{k.calls:,}")
    missed = page.get_by_test_id("stMetric").filter(has_text="Missed")
    expect(missed.get_by_test_id("stMetricValue")).to_have_text(f"{k.missed:,}")
    expect(page.locator(".js-plotly-plot")).to_have_count(4)
    expect(page.locator(".js-plotly-plot .sankey-node").first).to_be_visible()  # the Sankey is drawn
    expect(page.locator(".js-plotly-plot .heatmaplayer").first).to_be_attached()
    talk = page.get_by_test_id("stMetric").filter(has_text="Average talk time")
    expect(talk).to_have_count(1)
    expect(page.get_by_text("today, so far")).to_be_visible()  # the partial day is marked
    expect(page.locator(".js-plotly-plot .g-xtitle").filter(has_text="Hour of day")).to_have_count(1)
    expect(page.locator(".js-plotly-plot .bartext").first).to_be_visible()  # values on the bars
    page.locator(IDLE).wait_for()
    page.screenshot(path=artifacts / "analytics.png", full_page=True)

    page.get_by_text("Last 7 days", exact=True).click()
    week = expected["Last 7 days"]
    assert 0 < week.calls < k.calls
    expect(calls.get_by_test_id("stMetricValue")).to_have_text(f"{week.calls:,}")
