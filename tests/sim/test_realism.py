"""The realism report on the demo organisation (SIM-7, SIM-8): 30 days, 200 extensions, default trunk."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from fvkit.sim import behaviour
from fvkit.sim.org import user_count
from fvkit.sim.realism import Statistic, realism
from fvkit.sim.run import Options, default_trunk_lines, simulate
from fvkit.store.db import Store
from fvkit.store.realism import TALKED

START = datetime(2026, 4, 6, 7, 0)  # Monday 00:00 in Los Angeles
DAYS = 30


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Store, dict[str, Statistic]]]:
    """Return the demo database as `fvkit simulate` builds it (200 extensions, 30 days)."""
    path = tmp_path_factory.mktemp("realism") / "demo.duckdb"
    store = Store(path)
    simulate(store, START, seed=1, extensions=200, trunk_lines=None, options=Options(days=DAYS))
    rows = {r.name: r for r in realism(store)}
    yield path, store, rows
    store.close()


def _stat(rows: dict[str, Statistic], prefix: str) -> Statistic:
    return next(r for name, r in rows.items() if name.startswith(prefix))


@pytest.mark.slow
@pytest.mark.req("SIM-7")
@pytest.mark.req("SIM-8")
def test_realism_every_statistic_is_inside_its_band(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    rows = demo[2]
    outside = [(r.name, r.value, (r.low, r.high)) for r in rows.values() if not r.ok]
    assert outside == []
    assert len(rows) >= 20


@pytest.mark.slow
@pytest.mark.req("SIM-7")
@pytest.mark.req("PREF-6")
def test_realism_nobody_talks_on_more_calls_than_allowed(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    _, store, rows = demo
    assert _stat(rows, "users on more answered calls").value == 0
    # the overlaps there are, are held call-waiting calls of users who have call waiting on
    overlaps = store.execute(
        f"""
        WITH talked AS ({TALKED})
        SELECT bool_and(w.call_waiting), count(*) FROM talked a JOIN talked b
          ON a.owner = b.owner AND a.linkedid < b.linkedid AND a.answer < b."end" AND b.answer < a."end"
        JOIN handling w ON w.owner = a.owner
        """
    ).fetchone()
    assert overlaps is not None
    assert overlaps[0] is True and overlaps[1] > 0


@pytest.mark.slow
@pytest.mark.req("SIM-8")
def test_realism_operator_answers_fewer_than_95_percent(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    value = _stat(demo[2], "operator answer rate").value
    assert value is not None and 0.60 <= value < 0.95


@pytest.mark.slow
@pytest.mark.req("SIM-8")
def test_realism_nights_are_answered_far_less_than_office_hours(
    demo: tuple[Path, Store, dict[str, Statistic]],
) -> None:
    rows = demo[2]
    day = _stat(rows, "answer rate of weekday calls to users, 09:00").value
    night = _stat(rows, "answer rate of weekday calls to users, 20:00").value
    assert day is not None and night is not None
    assert night <= day - 0.15


@pytest.mark.slow
@pytest.mark.req("SIM-8")
def test_realism_voicemail_leave_rate_and_weekday_shape(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    rows = demo[2]
    leave = _stat(rows, "voicemail leave rate").value
    assert leave is not None and 0.20 <= leave <= 0.45
    monday_friday = _stat(rows, "Monday / Friday").value
    assert monday_friday is not None and 1.05 <= monday_friday <= 1.40


@pytest.mark.slow
@pytest.mark.req("SIM-4")
@pytest.mark.req("SIM-8")
def test_realism_demo_trunk_congests_in_the_busy_hour(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    _, store, rows = demo
    assert store.execute("SELECT lines FROM trunk").fetchone() == (default_trunk_lines(user_count(200), 8.0),)
    blocked = _stat(rows, "outside calls blocked in the busy hour").value
    assert blocked is not None and 0.005 <= blocked <= 0.02
    flow = store.execute(
        "SELECT count(*) FROM call_flow WHERE description = 'all lines busy on trunk:fve126, status: CONGESTION'"
    ).fetchone()
    assert flow is not None and flow[0] > 0


@pytest.mark.slow
@pytest.mark.req("SIM-8")
def test_realism_every_office_peaks_in_its_own_local_hours(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    _, store, rows = demo
    peaks = {name: r.value for name, r in rows.items() if name.startswith("local hour when")}
    assert len(peaks) == len(behaviour.OFFICE_TIME_ZONES)
    assert all(v is not None and 9 <= v <= 16 for v in peaks.values())
    # in Los Angeles hours, Toronto staff's day comes three hours before Sunnyvale's
    mean_la_hour = dict(
        store.execute(
            """
            SELECT e.location, avg(hour(timezone('America/Los_Angeles', h.start AT TIME ZONE 'UTC')))
            FROM call_history h
            JOIN extension e ON e.number = h.owner AND e.ext_type = 'User' AND e.location IN ('Toronto', 'Sunnyvale')
            WHERE e.number <> (SELECT operator FROM organisation) AND h.placed
            GROUP BY e.location
            """
        ).fetchall()
    )
    assert 2.0 <= mean_la_hour["Sunnyvale"] - mean_la_hour["Toronto"] <= 4.0


@pytest.mark.req("SIM-8")
def test_behaviour_every_parameter_cites_its_source_and_use() -> None:
    names = [p.name for p in behaviour.PARAMETERS]
    assert len(names) == len(set(names)) >= 15
    for p in behaviour.PARAMETERS:
        assert p.source and p.published and p.use
        assert p.source == behaviour.ASSUMPTION or "." in p.source  # a web address, or said to be assumed
    assert behaviour.RATE["leave_message"] <= 0.45
    assert behaviour.WEEKDAY_VOLUME[0] / behaviour.WEEKDAY_VOLUME[4] > 1.05


@pytest.mark.slow
@pytest.mark.req("SIM-8")
def test_cli_realism_prints_every_statistic_with_its_band(demo: tuple[Path, Store, dict[str, Statistic]]) -> None:
    path, store, rows = demo
    copy = path.with_name("copy.duckdb")
    store.execute("CHECKPOINT")
    copy.write_bytes(path.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "fvkit.cli", "realism", "--db", str(copy), "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["statistic", "band", "measured"]
    assert lines[-1] == f"{len(rows)} of {len(rows)} statistics inside their bands"
    assert any(line.startswith("voicemail leave rate") and "0.200 - 0.450" in line for line in lines)
