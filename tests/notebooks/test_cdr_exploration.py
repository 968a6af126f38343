"""12-cdr-exploration: the busy hour, answer rates, charts and one user's answer rate, checked against the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from fvkit.portal.analytics import kpis
from fvkit.portal.auth import acting_as
from fvkit.store import Store
from tests.notebooks.harness import BUDGET_S, Run, run

PLOTLY = "application/vnd.plotly.v1+json"
TZ = "America/Los_Angeles"  # the simulated organisation's time zone
TAKEN = "('Answered', 'Transferred - Blind', 'Transferred - Attended')"


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    rows: list[tuple[Any, ...]] = con.sql(sql).fetchall()
    assert len(rows) == 1
    return rows[0]


def _traces(result: Run, tag: str) -> list[dict[str, Any]]:
    figures = result.mime(tag, PLOTLY)
    assert len(figures) == 1, f"one plotly figure shown by the cell tagged {tag!r}"
    figure = figures[0]
    assert isinstance(figure, dict)
    traces: list[dict[str, Any]] = figure["data"]
    return traces


def _check_busy_hour(result: Run, con: duckdb.DuckDBPyConnection) -> None:
    per_hour = con.sql(
        f"""
        SELECT hour(timezone('{TZ}', start AT TIME ZONE 'UTC')) AS h, count(*), sum(duration)
        FROM calls GROUP BY h
        """
    ).fetchall()
    (days,) = _one(con, f"SELECT count(DISTINCT CAST(timezone('{TZ}', start AT TIME ZONE 'UTC') AS DATE)) FROM calls")
    erlangs = {h: seconds / 3600 / days for h, _calls, seconds in per_hour}
    calls = {h: n for h, n, _seconds in per_hour}
    busy = max(erlangs, key=lambda h: (erlangs[h], -h))
    text = result.text("busy")
    assert f"busy hour: {busy:02d}:00-{busy + 1:02d}:00 {TZ}" in text
    assert f"busy hour calls: {calls[busy]}, busy hour traffic: {erlangs[busy]:.4f} erlangs" in text
    (bars,) = _traces(result, "busy-chart")
    assert dict(zip(bars["x"], bars["y"], strict=True)) == pytest.approx(erlangs)


def _check_answer_rates(result: Run, con: duckdb.DuckDBPyConnection) -> None:
    where = "direction = 'Incoming' AND call_type = 'Voice'"
    calls, taken = _one(
        con, f"SELECT count(*), count(*) FILTER (WHERE disposition IN {TAKEN}) FROM calls WHERE {where}"
    )
    assert f"inbound answer rate: {taken / calls:.4f} ({taken} of {calls} incoming voice calls)" in result.text(
        "answer-rate"
    )
    expected = {
        (dept or "(none)"): (n, t, round(t / n, 4))
        for dept, n, t in con.sql(
            f"SELECT department, count(*), count(*) FILTER (WHERE disposition IN {TAKEN}) "
            f"FROM calls WHERE {where} GROUP BY department"
        ).fetchall()
    }
    table = result.text("answer-rate-dept")
    shown = {
        dept.strip(): (int(n), int(t), float(rate))
        for dept, n, t, rate in re.findall(r"│ ([^┆│]+?)\s*┆ (\d+)\s+┆ (\d+)\s+┆ ([\d.]+)\s+│", table)
    }
    assert shown == expected


def _check_missed_and_daily(result: Run, con: duckdb.DuckDBPyConnection) -> None:
    (missed,) = _one(
        con,
        "SELECT count(*) FROM call_history h JOIN extensions e ON e.number = h.owner "
        f"WHERE NOT h.placed AND h.disposition NOT IN {TAKEN} AND e.ext_type = 'User'",
    )
    assert f"missed calls: {missed} in " in result.text("missed")
    (heatmap,) = _traces(result, "missed-chart")
    assert heatmap["type"] == "heatmap"
    assert sum(map(sum, heatmap["z"])) == missed
    (calls,) = _one(con, "SELECT count(*) FROM calls")
    (dispositions,) = _one(con, "SELECT count(DISTINCT disposition) FROM calls")
    bars = _traces(result, "daily")
    assert len(bars) == dispositions
    assert all(t["type"] == "bar" for t in bars)
    assert sum(sum(t["y"]) for t in bars) == calls  # every call in exactly one stacked bar


def _check_sankey(result: Run, con: duckdb.DuckDBPyConnection) -> None:
    (incoming,) = _one(con, "SELECT count(*) FROM calls WHERE direction = 'Incoming'")
    said = re.search(r"Sankey: (\d+) incoming calls", result.text("sankey"))
    assert said, "the notebook says how many calls the Sankey shows"
    claimed = int(said.group(1))
    assert claimed == incoming
    (sankey,) = _traces(result, "sankey")
    assert sankey["type"] == "sankey"
    labels, link = sankey["node"]["label"], sankey["link"]
    links = list(zip(link["source"], link["target"], link["value"], strict=True))
    assert labels[0] == "Incoming call"
    assert sum(v for s, _t, v in links if s == 0) == claimed  # every incoming call takes a first step ...
    outcomes = {t for _s, t, _v in links} - {s for s, _t, _v in links}
    assert {labels[o] for o in outcomes} <= set(
        r[0] for r in con.sql("SELECT DISTINCT disposition FROM calls").fetchall()
    )
    assert sum(v for _s, t, v in links if t in outcomes) == claimed  # ... and ends in one outcome


@pytest.mark.req("NB-2")
def test_cdr_exploration_figures_match_the_database_and_the_portal(analyst_db: Path) -> None:
    result = run("12-cdr-exploration.ipynb", analyst_db.parent)
    assert result.seconds < BUDGET_S
    assert f"organisation time zone: {TZ}" in result.text("tz")

    con = duckdb.connect(str(analyst_db), read_only=True)
    _check_busy_hour(result, con)
    _check_answer_rates(result, con)
    _check_missed_and_daily(result, con)
    _check_sankey(result, con)
    con.close()

    # 7101's answer rate is the one the portal's Analytics screen shows 7101
    store = Store(analyst_db, read_only=True)
    figures = kpis(store, acting_as(store, "7101"))
    store.close()
    taken = figures.received - figures.missed
    assert figures.received > 0
    line = f"7101 answer rate: {figures.answer_rate:.4f} ({taken} of {figures.received} received calls taken)"
    assert line in result.text("ext-7101")
