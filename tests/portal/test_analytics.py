"""Analytics (beyond the guide): the user's own calls in figures - counted as the other screens count them."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from fvkit.domain.analytics import MAX_FLOW_STEPS
from fvkit.domain.calls import HistoryFilter
from fvkit.portal import analytics, call_handling, call_history, preferences
from fvkit.portal.auth import User, acting_as
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import Store
from fvkit.store import analytics as queries

NOW = datetime(2026, 10, 6, 17, 30)  # the seeded day is 2026-10-05 07:00 .. 10-06 07:00 UTC


def _count(store: Store, user: User, view: HistoryFilter) -> int:
    return call_history.count(store, user, call_history.query(user, view=view))


def test_kpis_count_as_call_history_and_voicemail_count(seeded_store: Store) -> None:
    # the seeded day need not hold a call 7101 missed: add one (nobody answers, no message)
    missed = Behaviour(answers=False, leaves_message=False)
    place_call(seeded_store, "7102", "7101", datetime(2026, 10, 5, 20), behaviour=missed)
    user = acting_as(seeded_store, "7101")
    k = analytics.kpis(seeded_store, user)
    assert k.calls == _count(seeded_store, user, HistoryFilter.ALL) > 10
    assert k.missed == _count(seeded_store, user, HistoryFilter.MISSED) > 0
    assert k.received == _count(seeded_store, user, HistoryFilter.RECEIVED) + k.missed
    assert k.placed == _count(seeded_store, user, HistoryFilter.PLACED)
    assert k.answer_rate == pytest.approx((k.received - k.missed) / k.received)
    (answered, talk) = seeded_store.execute(
        "SELECT count(*), avg(billsec) FROM call_history WHERE owner = '7101' "
        "AND disposition IN ('Answered', 'Transferred - Blind', 'Transferred - Attended')"
    ).fetchone()
    assert (k.answered, k.average_talk_s) == (answered, pytest.approx(talk))
    (left,) = seeded_store.execute("SELECT count(*) FROM voicemails WHERE owner = '7101'").fetchone()
    assert k.voicemails == left


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_days_and_hours_are_the_users_local_ones(seeded_store: Store, zone: str) -> None:
    user = acting_as(seeded_store, "7101")
    user = preferences.save_display(
        seeded_store, user, replace(preferences.display(seeded_store, user), time_zone=zone)
    )
    starts = [r[0] for r in seeded_store.execute("SELECT start FROM call_history WHERE owner = '7101'").fetchall()]
    local = [t.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)) for t in starts]
    report = analytics.report(seeded_store, user, NOW, "Last 7 days")
    assert report.daily.height == 7
    assert report.daily["day"].to_list()[-1] == NOW.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()
    per_day = dict(zip(report.daily["day"].to_list(), report.daily["calls"].to_list(), strict=True))
    assert {d: n for d, n in per_day.items() if n} == dict(Counter(t.date() for t in local))
    cells = {(w, h): n for w, h, n in report.heatmap.iter_rows() if n}
    assert report.heatmap.height == 7 * 24
    assert cells == dict(Counter((t.isoweekday(), t.hour) for t in local))
    assert report.daily["calls"].sum() == report.kpis.calls == len(starts)
    assert report.daily["missed"].sum() == report.kpis.missed
    assert report.dispositions["calls"].sum() == report.kpis.calls


def test_a_period_starts_at_local_midnight_and_leaves_older_calls_out(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    since, until = analytics.window(user, NOW, "Last 7 days")
    local = until - since
    assert timedelta(days=6) < local < timedelta(days=7)
    later = analytics.report(seeded_store, user, NOW + timedelta(days=40), "Last 30 days")
    assert later.kpis.calls == 0 and later.daily["calls"].sum() == 0 and later.flow.height == 0
    with pytest.raises(ValueError, match="Unknown period 'Last year'"):
        analytics.window(user, NOW, "Last year")


@pytest.mark.req("AUTH-5")
def test_report_counts_only_the_users_own_calls(seeded_store: Store) -> None:
    alice, bob = acting_as(seeded_store, "7101"), acting_as(seeded_store, "7105")
    before = analytics.kpis(seeded_store, alice), analytics.kpis(seeded_store, bob)
    place_call(seeded_store, "7105", "5551230000", NOW, behaviour=Behaviour(answers=True, talk_seconds=60))
    after = analytics.kpis(seeded_store, alice), analytics.kpis(seeded_store, bob)
    assert after[0] == before[0]
    assert (after[1].calls, after[1].placed) == (before[1].calls + 1, before[1].placed + 1)


def test_flow_paths_follow_the_call_handling_to_the_outcome(seeded_store: Store) -> None:
    callee = acting_as(seeded_store, "7103")
    call_handling.set_dnd(seeded_store, callee, on=True)
    quiet = NOW + timedelta(days=3)  # nothing else happens then
    place_call(seeded_store, "7101", "7103", quiet, behaviour=Behaviour(leaves_message=True))
    links = queries.flow_links(seeded_store, "7103", quiet, quiet + timedelta(minutes=10), MAX_FLOW_STEPS)
    path = [(r["source"], r["target"]) for r in links.to_pylist()]
    assert path == [
        ("Internal", "Handling: Do not disturb"),
        ("Handling: Do not disturb", "Voicemail"),
        ("Voicemail", "Message left"),
        ("Message left", "Voicemail"),  # the outcome: the call's disposition
    ]
    assert links["target_pos"].to_pylist()[-1] == -1


def test_every_call_enters_the_sankey_once_and_flows_through(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    report = analytics.report(seeded_store, user, NOW, "Last 7 days")
    flow = report.flow
    (calls,) = seeded_store.execute("SELECT count(DISTINCT linkedid) FROM call_history WHERE owner = '7101'").fetchone()
    assert flow.filter(flow["pos"] == 0)["calls"].sum() == calls
    assert flow.filter(flow["target_pos"] == -1)["calls"].sum() == calls  # every call reaches an outcome
    for pos, step, inflow in (
        flow.filter(flow["target_pos"] > 0).group_by("target_pos", "target").agg(pl.col("calls").sum()).iter_rows()
    ):
        out = flow.filter((flow["pos"] == pos) & (flow["source"] == step))["calls"].sum()
        assert out == inflow, (pos, step)
    fig = analytics.sankey_figure(flow)
    assert sum(fig.data[0].link.value) == flow["calls"].sum()
    assert {"Incoming", "Answered"} <= set(fig.data[0].node.label)


def test_figures_show_the_reports_numbers(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    report = analytics.report(seeded_store, user, NOW, "Last 7 days")
    trend = analytics.trend_figure(report.daily)
    assert [t.name for t in trend.data] == ["Calls", "Answered", "Missed"]
    assert list(trend.data[0].y) == report.daily["calls"].to_list()
    heat = analytics.heatmap_figure(report.heatmap)
    assert sum(map(sum, heat.data[0].z)) == report.kpis.calls and heat.data[0].y[0] == "Mon"
    bars = analytics.dispositions_figure(report.dispositions)
    assert list(bars.data[0].y) == report.dispositions["disposition"].to_list()


def test_charts_name_their_axes_mark_today_and_label_small_bars() -> None:
    daily = pl.DataFrame(
        {
            "day": [date(2026, 9, 1) + timedelta(days=i) for i in range(90)],
            "calls": [0] * 70 + [3] * 20,
            "answered": [0] * 70 + [2] * 20,
            "missed": [0] * 70 + [1] * 20,
        }
    )
    trimmed = analytics.from_first_call(daily)
    assert trimmed["day"][0] == date(2026, 9, 1) + timedelta(days=70)  # the 90-day view starts at the data
    trend = analytics.trend_figure(trimmed)
    assert (trend.layout.xaxis.title.text, trend.layout.yaxis.title.text) == ("Day", "Calls")
    assert [a.text for a in trend.layout.annotations] == ["today, so far"]
    bars = analytics.dispositions_figure(pl.DataFrame({"disposition": ["Answered", "Busy"], "calls": [900, 2]}))
    assert list(bars.data[0].text) == ["900", "2"]
    assert bars.layout.xaxis.type == "log"
    assert len(set(analytics.OUTCOME_COLOURS.values())) == len(analytics.OUTCOME_COLOURS)
