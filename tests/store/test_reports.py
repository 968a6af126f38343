"""Organisation reports on DuckDB (ANL-3): each checked against an independent computation in Python."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fvkit.domain.erlang import lines_for
from fvkit.domain.reports import Period, Report
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from fvkit.store.reports import DIALECTS, render, run, sql_text

LA = ZoneInfo("America/Los_Angeles")
WEEK = (date(2026, 10, 12), date(2026, 10, 18))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Two weeks of a 12-extension organisation (a week to report and the week before to compare)."""
    path = tmp_path_factory.mktemp("reports") / "reports.duckdb"
    db = Store(path)
    simulate(db, datetime(2026, 10, 5, 7), seed=5, extensions=12, password="password1", options=Options(days=14))
    yield db
    db.close()


def _rows(store: Store, sql: str, params: list[object] | None = None) -> list[dict[str, object]]:
    cur = store.cursor()
    cur.execute(sql, params or [])
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _local(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone(LA).replace(tzinfo=None)


def _in(period: tuple[date, date], utc: datetime) -> bool:
    return period[0] <= _local(utc).date() <= period[1]


@pytest.mark.req("ANL-3")
def test_report_extension_summary_counts_each_users_history(store: Store) -> None:
    frame = run(store, Report.EXTENSION_SUMMARY, *WEEK)
    history = [r for r in _rows(store, "SELECT * FROM call_history WHERE call_type = 'Voice'") if _in(WEEK, r["start"])]  # type: ignore[arg-type]
    users = [r["number"] for r in _rows(store, "SELECT number FROM extensions WHERE ext_type = 'User' ORDER BY 1")]
    assert frame["extension"].to_list() == users
    for row in frame.iter_rows(named=True):
        mine = [h for h in history if h["owner"] == row["extension"]]
        got_in = [h for h in mine if not h["placed"]]
        took = [h for h in got_in if row["extension"] in (h["answered_by"], h["transferred_to"])]
        assert row["calls_in"] == len(got_in)
        assert row["calls_out"] == len(mine) - len(got_in)
        assert (row["answered"], row["missed"]) == (len(took), len(got_in) - len(took))
        assert row["busy"] == sum(h["disposition"] == "Busy" for h in got_in)
        assert row["voicemail"] == sum(bool(h["left_message"]) for h in got_in)
        rings = [h["ring_seconds"] for h in took]
        expected = round(sum(rings) / len(rings), 1) if rings else None  # type: ignore[arg-type]
        assert row["avg_ring_seconds"] == pytest.approx(expected)
    assert frame["calls_in"].sum() > 0 and frame["answered"].sum() > 0 and frame["missed"].sum() > 0


@pytest.mark.req("ANL-3")
def test_report_hourly_by_local_hour_and_weekday_against_the_week_before(store: Store) -> None:
    frame = run(store, Report.HOURLY, *WEEK)
    calls = _rows(store, "SELECT start, ring_seconds FROM calls WHERE call_type = 'Voice'")
    before = (WEEK[0] - timedelta(days=7), WEEK[1] - timedelta(days=7))
    hours = Counter(_local(c["start"]).hour for c in calls if _in(WEEK, c["start"]))  # type: ignore[arg-type]
    days = Counter(_local(c["start"]).isoweekday() for c in calls if _in(WEEK, c["start"]))  # type: ignore[arg-type]
    old_hours = Counter(_local(c["start"]).hour for c in calls if _in(before, c["start"]))  # type: ignore[arg-type]
    by_hour = frame.filter(dimension="hour")
    assert by_hour["key"].to_list() == list(range(24))  # hours without calls are listed too
    assert by_hour["calls"].to_list() == [hours[h] for h in range(24)]
    assert by_hour["compare_calls"].to_list() == [old_hours[h] for h in range(24)]
    by_day = frame.filter(dimension="weekday")
    assert by_day["label"].to_list() == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert by_day["calls"].to_list() == [days[d] for d in range(1, 8)]
    busiest = by_hour.sort("calls", descending=True).row(0, named=True)
    assert busiest["change_pct"] == round(
        (busiest["calls"] - busiest["compare_calls"]) * 100 / busiest["compare_calls"], 1
    )


@pytest.mark.req("ANL-3")
def test_report_concurrency_peaks_match_a_brute_force_count(store: Store) -> None:
    frame = run(store, Report.CONCURRENCY, *WEEK)
    calls = [
        c
        for c in _rows(store, "SELECT start, start_local, duration, trunk, disposition FROM calls")
        if _in(WEEK, c["start"])  # type: ignore[arg-type]
    ]
    spans = [(c["start_local"], c["start_local"] + timedelta(seconds=c["duration"]), c) for c in calls]  # type: ignore[operator]
    lines = _rows(store, "SELECT trunk_lines FROM organisation_info")[0]["trunk_lines"]
    checked = 0
    for row in frame.iter_rows(named=True):
        begin, end = row["interval_start"], row["interval_start"] + timedelta(hours=1)
        # the level peaks at the hour's start or at a call's start inside the hour
        moments = [begin, *(s for s, _, _ in spans if begin <= s < end)]
        inside = [(s, e, c) for s, e, c in spans if s < end and e >= begin]
        peak = max(sum(1 for s, e, _ in inside if s <= t < e) for t in moments)
        trunk = [(s, e) for s, e, c in inside if c["trunk"] != "" and c["disposition"] != "Failed"]
        trunk_peak = max(sum(1 for s, e in trunk if s <= t < e) for t in moments)
        started = [c for s, _, c in spans if begin <= s < end]
        offered = sum(c["duration"] for c in started if c["trunk"] != "" and c["disposition"] != "Failed")  # type: ignore[misc]
        assert (row["peak_calls"], row["peak_trunk_calls"]) == (peak, trunk_peak), row
        assert row["calls_started"] == len(started)
        assert row["trunk_lines"] == lines
        assert row["lines_for_1pct_blocking"] == lines_for(offered / 3600, 0.01)
        checked += 1
    assert checked > 50 and frame["peak_calls"].max() > 1


@pytest.mark.req("ANL-3")
def test_report_missed_callers_lists_unreturned_and_repeat_callers(store: Store) -> None:
    frame = run(store, Report.MISSED_CALLERS, *WEEK)
    calls = _rows(store, "SELECT src, dst, start, direction, caller_type, call_type, ring_seconds FROM calls")
    inbound = [
        c for c in calls if c["caller_type"] == "External" and c["call_type"] == "Voice" and _in(WEEK, c["start"])
    ]  # type: ignore[arg-type]
    expected = {}
    for number in {c["src"] for c in inbound}:
        mine = [c for c in inbound if c["src"] == number]
        missed = [c["start"] for c in mine if c["ring_seconds"] is None]
        returned = bool(missed) and any(
            (c["direction"] == "Outgoing" and c["dst"] == number and c["start"] > max(missed))  # type: ignore[operator]
            or (c in mine and c["ring_seconds"] is not None and c["start"] > max(missed))  # type: ignore[operator]
            for c in calls
        )
        if (missed and not returned) or len(mine) > 1:
            expected[number] = (len(mine), len(missed), returned, len(mine) > 1)
    got = {
        r["number"]: (r["calls"], r["missed_calls"], r["returned"], r["repeat_caller"])
        for r in frame.iter_rows(named=True)
    }
    assert got == expected
    assert any(not v[2] and v[1] for v in got.values())  # some missed callers were never called back
    assert frame["missed_calls"].to_list() == sorted(frame["missed_calls"].to_list(), reverse=True)


@pytest.mark.req("ANL-4")
def test_report_sql_is_one_text_and_the_dialects_only_rename_functions() -> None:
    period = Period(*WEEK)
    for report in Report:
        duck = render(report, period, "America/Los_Angeles")
        spark = render(report, period, "America/Los_Angeles", engine="spark")
        assert "TIMESTAMP '2026-10-12 07:00:00'" in duck  # local midnight of the first day, in UTC
        assert "isodow(" not in spark and "epoch_us(" not in spark
        assert len(sql_text(report)) > 200
        renamed = [f for f in ("epoch_us(", "isodow(") if f in sql_text(report)]
        assert len(DIALECTS["spark"]) == 2
        assert (duck == spark) == (not renamed)


@pytest.mark.req("ANL-3")
def test_report_refuses_a_reversed_period(store: Store) -> None:
    with pytest.raises(ValueError, match=r"starts \(2026-10-18\) after it ends \(2026-10-12\)"):
        run(store, Report.HOURLY, WEEK[1], WEEK[0])
