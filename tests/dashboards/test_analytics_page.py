"""The Analytics page in AppTest: the signed-in user's own figures and four charts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st

from dashboards import session
from fvkit.portal import analytics
from fvkit.portal.auth import acting_as
from fvkit.portal.display import hms
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import open_page, portal_copy

#: the clock of these tests: the page reads it through dashboards.session.now, patched below
NOW = datetime(2026, 10, 21, 18, 30)


def _now() -> datetime:
    return NOW


@pytest.fixture(scope="module")
def recent_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve extensions and the twelve days of traffic before NOW: some older than the last 7 days."""
    path = tmp_path_factory.mktemp("analytics") / "fvkit.duckdb"
    db = Store(path)
    start = (_now() - timedelta(days=12)).replace(minute=0, second=0, microsecond=0)
    simulate(db, start, seed=4, extensions=12, password=SEED_PASSWORD, options=Options(days=11.5))
    db.close()
    return path


@pytest.fixture
def recent_db(recent_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(session, "now", _now)  # the page's "today" is the fixture's
    yield from portal_copy(recent_path, tmp_path, monkeypatch)


def _expected(path: Path, number: str, period: str) -> analytics.Kpis:
    st.cache_resource.clear()  # the portal's handle: open the file ourselves
    store = Store(path)
    try:
        return analytics.report(store, acting_as(store, number), _now(), period).kpis
    finally:
        store.close()


def _metrics(at: object) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}  # type: ignore[attr-defined]


@pytest.mark.parametrize("number", ["7101", "7104"])
def test_page_shows_the_users_own_figures_and_four_charts(recent_db: Path, number: str) -> None:
    at = open_page("analytics", number)
    k = _expected(recent_db, number, "Last 30 days")
    assert k.calls > 0
    assert _metrics(at) == {
        "Calls": f"{k.calls:,}",
        "Received": f"{k.received:,}",
        "Answered": f"{k.received - k.missed:,}",
        "Missed": f"{k.missed:,}",
        "Answer rate": f"{k.answer_rate:.1%}",
        "Voicemails": f"{k.voicemails:,}",
        "Average talk time": hms(round(k.average_talk_s)),
    }
    # the figures agree with each other: Answered / Received is the answer rate
    shown = _metrics(at)
    received, answered = (int(shown[x].replace(",", "")) for x in ("Received", "Answered"))
    assert f"{answered / received:.1%}" == shown["Answer rate"]
    charts = at.get("plotly_chart")
    assert len(charts) == 4
    assert not at.exception


def test_a_shorter_period_counts_fewer_calls(recent_db: Path) -> None:
    at = open_page("analytics")
    month = _metrics(at)["Calls"]
    at.segmented_control(key="an_period").set_value("Last 7 days").run()
    week = _expected(recent_db, "7101", "Last 7 days")
    assert _metrics(at)["Calls"] == f"{week.calls:,}"
    assert 0 < week.calls < int(month.replace(",", ""))
    at.segmented_control(key="an_period").set_value("Last 90 days").run()
    assert _metrics(at)["Calls"] == month
    assert not at.exception


def test_a_period_without_calls_says_so_and_draws_no_chart(db: Path) -> None:
    # the seeded organisation's day lies before the last 7 days
    at = open_page("analytics")
    at.segmented_control(key="an_period").set_value("Last 7 days").run()
    assert _metrics(at)["Calls"] == "0"
    assert "No calls in this period" in at.info[0].value
    assert len(at.get("plotly_chart")) == 0
