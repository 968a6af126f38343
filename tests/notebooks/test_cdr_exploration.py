"""12-cdr-exploration: the busy hour, answer rates, charts and one user's answer rate, checked against the file."""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
from nbconvert import HTMLExporter

from fvkit.portal.analytics import kpis
from fvkit.portal.auth import acting_as
from fvkit.sim.realism import as_table, realism
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
    """Weekdays, outside calls (they hold a trunk line), local hours: computed here in Python."""
    rows = con.sql("SELECT start, duration, trunk, disposition FROM calls").fetchall()
    zone = ZoneInfo(TZ)
    local = [(s.replace(tzinfo=UTC).astimezone(zone), d, t, disp) for s, d, t, disp in rows]
    weekdays = {when.date() for when, *_ in local if when.isoweekday() <= 5}
    seconds: dict[int, int] = {}
    calls: dict[int, int] = {}
    for when, duration, trunk, disposition in local:
        if when.isoweekday() <= 5 and trunk != "" and disposition != "Failed":
            seconds[when.hour] = seconds.get(when.hour, 0) + duration
            calls[when.hour] = calls.get(when.hour, 0) + 1
    erlangs = {h: s / 3600 / len(weekdays) for h, s in seconds.items()}
    busy = max(erlangs, key=lambda h: (erlangs[h], -h))
    text = result.text("busy")
    assert f"busy hour: {busy:02d}:00-{busy + 1:02d}:00 {TZ}, weekdays, outside calls" in text
    assert (
        f"busy hour calls: {calls[busy]}, busy hour traffic: {erlangs[busy]:.4f} erlangs (call-hours per hour)" in text
    )
    (bars,) = _traces(result, "busy-chart")
    assert dict(zip(bars["x"], bars["y"], strict=True)) == pytest.approx(erlangs)
    assert "erlangs (call-hours per hour)" in str(result.mime("busy-chart", PLOTLY)[0]["layout"]["yaxis"])
    # the week-end and inside calls are left out: the whole file's figure would differ
    everything = sum(d for _w, d, _t, _x in local) / 3600
    assert sum(erlangs.values()) * len(weekdays) < everything


def _check_html_export(result: Run) -> None:
    """`jupyter nbconvert --to html` keeps every chart, with plotly.js inside the file (no CDN)."""
    html, _resources = HTMLExporter().from_notebook_node(result.nb)
    figures = sum(len(result.mime(tag, PLOTLY)) for tag in ("busy-chart", "missed-chart", "daily", "sankey"))
    assert figures == 4
    assert html.count("Plotly.newPlot(") >= figures
    assert "* plotly.js v" in html  # the library itself is in the file ...
    assert not re.search(r"<script[^>]+src=[\"'][^\"']*plotly", html)  # ... not fetched from a CDN


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
@pytest.mark.req("SIM-8")
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
    _check_html_export(result)

    # 7101's answer rate is the one the portal's Analytics screen shows 7101
    store = Store(analyst_db, read_only=True)
    figures = kpis(store, acting_as(store, "7101"))
    store.close()
    taken = figures.received - figures.missed
    assert figures.received > 0
    line = f"7101 answer rate: {figures.answer_rate:.4f} ({taken} of {figures.received} received calls taken)"
    assert line in result.text("ext-7101")

    # the realism report shows every statistic of the same file, as the library measures it (SIM-8)
    store = Store(analyst_db, read_only=True)
    checks = realism(store)
    store.close()
    report = result.text("realism")
    assert f"{sum(c.ok for c in checks)} of {len(checks)} statistics inside their bands" in report
    assert as_table(checks) in report
