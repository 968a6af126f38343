"""Aggregates of one extension's calls for the Analytics screen: computed in DuckDB, returned small."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa

from fvkit.domain.analytics import FLOW_STEPS, Kpis
from fvkit.domain.calls import TAKEN
from fvkit.store.db import Store

_MINE = "owner = ? AND start_time >= ? AND start_time < ?"
_LOCAL = "timezone(?, start_time AT TIME ZONE 'UTC')"  # naive UTC -> the user's wall clock
_TAKEN = [d.value for d in TAKEN]
#: A call's flow events fall after its start; they can run past the period's end by a long call.
_FLOW_SLACK = timedelta(days=1)


def kpis(store: Store, owner: str, since: datetime, until: datetime) -> Kpis:
    """Return the headline figures of the owner's calls that started in [since, until)."""
    row = store.execute(
        "SELECT count(*), count(*) FILTER (WHERE placed), count(*) FILTER (WHERE NOT placed), "
        "count(*) FILTER (WHERE disposition IN (?, ?, ?)), "
        "count(*) FILTER (WHERE NOT placed AND disposition NOT IN (?, ?, ?)), "
        "coalesce(avg(billsec) FILTER (WHERE disposition IN (?, ?, ?)), 0), "
        "(SELECT count(*) FROM voicemail WHERE owner = ? AND received >= ? AND received < ?) "
        f"FROM cdr WHERE {_MINE}",
        [*_TAKEN * 3, owner, since, until, owner, since, until],
    ).fetchone()
    assert row is not None
    calls, placed, received, answered, missed, talk, voicemails = row
    return Kpis(
        calls=int(calls),
        placed=int(placed),
        received=int(received),
        answered=int(answered),
        missed=int(missed),
        voicemails=int(voicemails),
        average_talk_s=float(talk),
    )


def daily(store: Store, owner: str, time_zone: str, since: datetime, until: datetime) -> pa.Table:
    """Return one row per local day of the period, days without calls included: day, calls, answered, missed."""
    return store.arrow(
        "WITH days AS (SELECT CAST(d AS DATE) AS day FROM range("
        "  CAST(timezone(?, CAST(? AS TIMESTAMP) AT TIME ZONE 'UTC') AS DATE),"
        "  CAST(timezone(?, CAST(? AS TIMESTAMP) AT TIME ZONE 'UTC') AS DATE) + 1, INTERVAL 1 DAY) AS t(d)),"
        f" mine AS (SELECT CAST({_LOCAL} AS DATE) AS day, placed, disposition FROM cdr WHERE {_MINE}) "
        "SELECT days.day, count(mine.day) AS calls, "
        "count(mine.day) FILTER (WHERE disposition IN (?, ?, ?)) AS answered, "
        "count(mine.day) FILTER (WHERE NOT placed AND disposition NOT IN (?, ?, ?)) AS missed "
        "FROM days LEFT JOIN mine USING (day) GROUP BY days.day ORDER BY days.day",
        [time_zone, since, time_zone, until - timedelta(microseconds=1), time_zone, owner, since, until, *_TAKEN * 2],
    )


def hour_by_weekday(store: Store, owner: str, time_zone: str, since: datetime, until: datetime) -> pa.Table:
    """Return calls per local (ISO weekday 1-7, hour 0-23), all 168 cells, empty ones as 0."""
    return store.arrow(
        "WITH grid AS (SELECT w.weekday, h.hour FROM range(1, 8) AS w(weekday), range(24) AS h(hour)),"
        f" mine AS (SELECT isodow({_LOCAL}) AS weekday, hour({_LOCAL}) AS hour FROM cdr WHERE {_MINE}) "
        "SELECT grid.weekday, grid.hour, count(mine.hour) AS calls "
        "FROM grid LEFT JOIN mine USING (weekday, hour) GROUP BY ALL ORDER BY grid.weekday, grid.hour",
        [time_zone, time_zone, owner, since, until],
    )


def dispositions(store: Store, owner: str, since: datetime, until: datetime) -> pa.Table:
    """Return calls per disposition, most frequent first."""
    return store.arrow(
        f"SELECT disposition, count(*) AS calls FROM cdr WHERE {_MINE} GROUP BY disposition "
        "ORDER BY calls DESC, disposition",
        [owner, since, until],
    )


def flow_links(store: Store, owner: str, since: datetime, until: datetime, max_steps: int) -> pa.Table:
    """Return the Sankey links of the owner's calls: (pos, source, target, calls).

    A call's path is its direction (pos 0), then up to `max_steps` flow steps (FLOW_STEPS, repeats
    folded), then its disposition. Links from the last step to the disposition carry target_pos -1,
    so every outcome is one node. Each call counts once, by its linked id.
    """
    cases = " ".join("WHEN starts_with(f.description, ?) THEN ?" for _ in FLOW_STEPS)
    steps: list[Any] = [v for pair in FLOW_STEPS for v in pair]
    return store.arrow(
        "WITH mine AS (SELECT linkedid, arg_min(direction, start_time) AS direction, "
        f"  arg_min(disposition, start_time) AS disposition FROM cdr WHERE {_MINE} GROUP BY linkedid),"
        f" lines AS (SELECT f.linkedid, f.seq, CASE {cases} END AS step FROM flow_event f "
        "  SEMI JOIN mine ON f.linkedid = mine.linkedid WHERE f.time >= ? AND f.time < ?),"
        " marked AS (SELECT linkedid, seq, step, lag(step) OVER (PARTITION BY linkedid ORDER BY seq) AS prev "
        "  FROM lines WHERE step IS NOT NULL),"
        " numbered AS (SELECT linkedid, step, row_number() OVER (PARTITION BY linkedid ORDER BY seq) AS pos "
        "  FROM marked WHERE prev IS DISTINCT FROM step),"
        " path AS (SELECT linkedid, pos, step FROM numbered WHERE pos <= ? "
        "  UNION ALL SELECT linkedid, 0, direction FROM mine),"
        " last AS (SELECT linkedid, max(pos) AS pos FROM path GROUP BY linkedid),"
        " links AS (SELECT a.pos, a.step AS source, b.pos AS target_pos, b.step AS target "
        "   FROM path a JOIN path b ON a.linkedid = b.linkedid AND b.pos = a.pos + 1"
        "  UNION ALL SELECT last.pos, path.step, -1, mine.disposition FROM last"
        "   JOIN path ON path.linkedid = last.linkedid AND path.pos = last.pos"
        "   JOIN mine ON mine.linkedid = last.linkedid) "
        "SELECT pos, source, target_pos, target, count(*) AS calls FROM links GROUP BY ALL "
        "ORDER BY pos, calls DESC, source, target",
        [owner, since, until, *steps, since, until + _FLOW_SLACK, max_steps],
    )
