"""13-trunk-sizing: Erlang B as printed, simulated trunks near it, and the recommendation."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from fvkit.domain.erlang import erlang_b, lines_for
from fvkit.store import Store
from fvkit.store.reports import busy_hour
from tests.notebooks.harness import BUDGET_S, run

PLOTLY = "application/vnd.plotly.v1+json"
TOLERANCE = 0.01  # the notebook's stated tolerance (one point): |simulated - Erlang B| per trunk size


@pytest.mark.req("NB-2")
def test_trunk_sizing_follows_erlang_b(analyst_db: Path) -> None:
    notebook_env = analyst_db.parent
    result = run("13-trunk-sizing.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    # the formula table is erlang_b's
    formula = re.findall(r"^\s*(\d+) lines at 5 erlangs: blocking ([\d.]+)$", result.text("formula"), re.M)
    assert [int(n) for n, _b in formula] == list(range(1, 13))
    for n, shown in formula:
        assert shown == f"{erlang_b(int(n), 5.0):.4f}"

    # a blocked call: failed at once on the trunk, its flow says CONGESTION
    blocked = result.text("blocked")
    assert "'disposition': 'Failed'" in blocked and "'answer': None" in blocked
    assert "status: CONGESTION" in blocked

    # the measured table (written to the data folder in full precision)
    results = pl.read_csv(notebook_env / "data" / "13-trunk-sizing.csv")
    assert results.height >= 4
    assert results["outside_calls"].n_unique() == 1  # the same calls offered to every trunk
    assert results["outside_calls"][0] >= 10_000
    assert results["simulated"].to_list() == sorted(results["simulated"].to_list(), reverse=True)
    compare = result.text("compare")
    assert f"(tolerance {TOLERANCE})" in compare
    for row in results.iter_rows(named=True):
        lines, offered, simulated = row["lines"], row["offered_erlangs"], row["simulated"]
        assert row["erlang_b"] == pytest.approx(erlang_b(lines, offered), rel=1e-12)
        assert simulated == pytest.approx(row["blocked"] / row["outside_calls"], rel=1e-12)
        assert abs(simulated - erlang_b(lines, offered)) <= TOLERANCE
        assert (
            f"{lines:2d} lines, {offered:.4f} erlangs: simulated {simulated:.4f}, "
            f"Erlang B {erlang_b(lines, offered):.4f}" in compare
        )

    # the chart: the formula's curve at the mean load, and the simulated points
    figures = result.mime("chart", PLOTLY)
    assert len(figures) == 1
    curve, points = figures[0]["data"]
    load = float(results["offered_erlangs"].mean())
    assert curve["y"] == pytest.approx([erlang_b(n, load) for n in curve["x"]], rel=1e-12)
    assert points["x"] == results["lines"].to_list()
    assert points["y"] == pytest.approx(results["simulated"].to_list(), rel=1e-12)

    # the recommendation
    recommend = result.text("recommend")
    assert f"offered load: {load:.4f} erlangs" in recommend
    assert f"recommendation: {lines_for(load, 0.01)} trunk lines for at most 1% blocking" in recommend

    # the organisation's own busy hour, by notebook 12's method (BUSY_HOUR_SQL), sized with Erlang B
    store = Store(analyst_db, read_only=True)
    hour, calls, busy = busy_hour(store)
    lines_now = store.execute("SELECT trunk_lines FROM organisation_info").fetchall()[0][0]
    store.close()
    sized = result.text("busy-hour")
    assert f"busy hour {hour:02d}:00-{hour + 1:02d}:00 on weekdays: {calls} outside calls, {busy:.4f} erlangs" in sized
    assert f"recommendation: {lines_for(busy, 0.01)} trunk lines for at most 1% blocking in the busy hour" in sized
    assert f"the organisation has {lines_now} lines: they block {erlang_b(lines_now, busy):.4f}" in sized
