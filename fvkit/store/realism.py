"""The measurements behind the realism report (SIM-7, SIM-8): one query per statistic.

The bands and their sources live with the simulator (`fvkit.sim.realism`); this module only
measures a database. Times are stored in UTC; each user's local hour is taken in their
office's time zone (passed in, as the simulator knows where each office is).
"""

from __future__ import annotations

from fvkit.store.db import Store

ANSWERED = "('Answered', 'Transferred - Blind', 'Transferred - Attended')"
#: (owner, call) pairs where the owner talked: placed an answered call, or was answered by PJSIP
TALKED = f"""
    WITH picked_up AS (
        SELECT DISTINCT linkedid, replace(description, 'call answered by PJSIP/', '') AS owner
        FROM flow_event WHERE description LIKE 'call answered by PJSIP/%'
    )
    SELECT h.owner, h.linkedid, h.answer, h."end"
    FROM call_history h JOIN extension e ON e.number = h.owner AND e.ext_type = 'User'
    LEFT JOIN picked_up p ON p.linkedid = h.linkedid AND p.owner = h.owner
    WHERE h.call_type = 'Voice' AND h.answer IS NOT NULL
      AND ((h.placed AND h.disposition IN {ANSWERED}) OR p.owner IS NOT NULL)
"""


def _zones_cte(office_zones: dict[str, str]) -> tuple[str, list[object]]:
    """Return a `user_zone(number, zone)` CTE: each user's office zone, the operator the organisation's."""
    values = ", ".join("(?, ?)" for _ in office_zones) or "(NULL, NULL)"
    params: list[object] = [x for pair in office_zones.items() for x in pair]
    sql = f"""
    office(location, zone) AS (VALUES {values}),
    user_zone AS (
        SELECT e.number, CASE WHEN e.number = o.operator THEN o.time_zone
                              ELSE coalesce(f.zone, o.time_zone) END AS zone, e.location
        FROM extension e CROSS JOIN organisation o LEFT JOIN office f ON f.location = e.location
        WHERE e.ext_type = 'User'
    )"""
    return sql, params


def _value(store: Store, sql: str, params: list[object] | None = None) -> float | None:
    row = store.execute(sql, params or []).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def over_limit_owners(store: Store) -> float | None:
    """Return how many users were ever on more answered calls at once than allowed.

    Allowed: one, or two with call waiting (the second while the first is held).
    """
    return _value(
        store,
        f"""
        WITH talked AS ({TALKED}),
        edges AS (
            SELECT owner, answer AS t, 1 AS step FROM talked
            UNION ALL SELECT owner, "end" AS t, -1 AS step FROM talked
        ),
        running AS (
            SELECT owner, sum(step) OVER (PARTITION BY owner ORDER BY t, step
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS on_calls
            FROM edges
        ),
        peak AS (SELECT owner, max(on_calls) AS most FROM running GROUP BY owner)
        SELECT count(*) FROM peak p JOIN handling h ON h.owner = p.owner
        WHERE p.most > CASE WHEN h.call_waiting THEN 2 ELSE 1 END
        """,
    )


def held_second_calls(store: Store) -> float | None:
    """Return how many answered calls overlapped another of the same user (call waiting)."""
    return _value(
        store,
        f"""
        WITH talked AS ({TALKED})
        SELECT count(*) FROM talked a JOIN talked b
          ON a.owner = b.owner AND a.linkedid < b.linkedid AND a.answer < b."end" AND b.answer < a."end"
        """,
    )


def operator_answer_rate(store: Store) -> float | None:
    """Return the share of main-number calls passed to the operator that someone answered."""
    return _value(
        store,
        f"""
        SELECT avg(CASE WHEN c.disposition IN {ANSWERED} THEN 1.0 ELSE 0.0 END)
        FROM calls c JOIN organisation o ON TRUE
        WHERE EXISTS (SELECT 1 FROM flow_event f WHERE f.linkedid = c.linkedid
                      AND f.description = 'auto attendant transfer to extension:' || o.operator)
        """,
    )


def answer_rate_by_local_hours(store: Store, office_zones: dict[str, str], first: int, last: int) -> float | None:
    """Return the answer rate of weekday calls to users whose local start hour is in [first, last).

    `first > last` wraps round midnight (20, 7: the night). Fax and congested calls are left out.
    """
    cte, params = _zones_cte(office_zones)
    hour_test = "h >= ? AND h < ?" if first <= last else "(h >= ? OR h < ?)"
    return _value(
        store,
        f"""
        WITH {cte},
        rung AS (
            SELECT c.disposition, timezone(z.zone, c.start AT TIME ZONE 'UTC') AS local_start
            FROM calls c JOIN user_zone z ON z.number = c.dst
            WHERE c.direction IN ('Internal', 'Incoming') AND c.call_type = 'Voice' AND c.disposition <> 'Failed'
        ),
        local AS (SELECT disposition, hour(local_start) AS h, isodow(local_start) AS dow FROM rung)
        SELECT avg(CASE WHEN disposition IN {ANSWERED} THEN 1.0 ELSE 0.0 END)
        FROM local WHERE dow <= 5 AND {hour_test}
        """,
        [*params, first, last],
    )


def voicemail_leave_rate(store: Store) -> float | None:
    """Return the share of callers who reached a voicemail box and left a message."""
    return _value(
        store,
        """
        WITH reached AS (
            SELECT linkedid, bool_or(description LIKE 'record voicemail message for account %') AS left_one
            FROM flow_event WHERE description LIKE 'enter voicemail number:%'
               OR description LIKE 'record voicemail message for account %'
            GROUP BY linkedid
        )
        SELECT avg(CASE WHEN left_one THEN 1.0 ELSE 0.0 END) FROM reached
        """,
    )


def weekday_volume_ratio(store: Store, first_day: int, second_day: int) -> float | None:
    """Return the mean calls on one local weekday over another (ISO: 1 = Monday, 5 = Friday)."""
    return _value(
        store,
        """
        WITH days AS (
            SELECT CAST(timezone(o.time_zone, c.start AT TIME ZONE 'UTC') AS DATE) AS day, count(*) AS n
            FROM calls c CROSS JOIN organisation o GROUP BY day
        )
        SELECT avg(n) FILTER (WHERE isodow(day) = ?) / avg(n) FILTER (WHERE isodow(day) = ?) FROM days
        """,
        [first_day, second_day],
    )


def busy_hour_blocking(store: Store) -> float | None:
    """Return the share of outside calls blocked (CONGESTION) in the time-consistent busy hour.

    The busy hour is the local hour of a weekday that carries the most outside calls over
    the period; blocking is measured over all weekdays' calls in that hour.
    """
    return _value(
        store,
        """
        WITH outside AS (
            SELECT hour(timezone(o.time_zone, c.start AT TIME ZONE 'UTC')) AS h,
                   isodow(timezone(o.time_zone, c.start AT TIME ZONE 'UTC')) AS dow,
                   c.disposition = 'Failed' AND c.trunk <> '' AND c.answer IS NULL AND c.duration = 0 AS blocked
            FROM calls c CROSS JOIN organisation o WHERE c.direction IN ('Incoming', 'Outgoing')
        ),
        busiest AS (SELECT h FROM outside WHERE dow <= 5 GROUP BY h ORDER BY count(*) DESC, h LIMIT 1)
        SELECT avg(CASE WHEN blocked THEN 1.0 ELSE 0.0 END) FROM outside WHERE dow <= 5 AND h = (SELECT h FROM busiest)
        """,
    )


def peak_local_hours(store: Store, office_zones: dict[str, str]) -> dict[str, int]:
    """Return, per office location, the local hour when its users' calls peak."""
    cte, params = _zones_cte(office_zones)
    rows = store.execute(
        f"""
        WITH {cte},
        mine AS (
            SELECT z.location, hour(timezone(z.zone, h.start AT TIME ZONE 'UTC')) AS hr
            FROM call_history h JOIN user_zone z ON z.number = h.owner
        ),
        counts AS (SELECT location, hr, count(*) AS n FROM mine GROUP BY location, hr)
        SELECT location, arg_max(hr, n) FROM counts GROUP BY location ORDER BY location
        """,
        params,
    ).fetchall()
    return {str(loc): int(hr) for loc, hr in rows}


def group_not_first_member(store: Store) -> float | None:
    """Return the share of answered ring-group calls taken by a member other than the first listed."""
    return _value(
        store,
        """
        WITH answered AS (
            SELECT a.linkedid, split_part(split_part(a.description, 'members:', 2), ',', 1) AS first_member,
                   replace(b.description, 'call answered by PJSIP/', '') AS who
            FROM flow_event a JOIN flow_event b ON a.linkedid = b.linkedid AND b.seq = a.seq + 1
            WHERE a.description LIKE 'dial ring group:%' AND b.description LIKE 'call answered by PJSIP/%'
        )
        SELECT avg(CASE WHEN who <> first_member THEN 1.0 ELSE 0.0 END) FROM answered
        """,
    )


def transfer_stats(store: Store) -> tuple[float | None, float | None]:
    """Return the share of transfers nobody took, and distinct colleagues per transferring user."""
    row = store.execute(
        """
        WITH t AS (
            SELECT f.linkedid,
                   regexp_extract(f.description, 'transfer to extension:([0-9]+)', 1) AS colleague,
                   regexp_extract(f.description, 'by user:<([0-9]+)>', 1) AS by_user
            FROM flow_event f
            WHERE f.description LIKE 'blind transfer to extension:%'
               OR f.description LIKE 'attended transfer to extension:%'
        ),
        taken AS (
            SELECT t.*, EXISTS (SELECT 1 FROM flow_event g WHERE g.linkedid = t.linkedid
                                AND g.description = 'call answered by PJSIP/' || t.colleague) AS answered
            FROM t
        ),
        per_user AS (SELECT by_user, count(DISTINCT colleague) AS k FROM taken GROUP BY by_user HAVING count(*) >= 3)
        SELECT (SELECT avg(CASE WHEN answered THEN 0.0 ELSE 1.0 END) FROM taken), (SELECT avg(k) FROM per_user)
        """
    ).fetchone()
    assert row is not None
    return (None if row[0] is None else float(row[0]), None if row[1] is None else float(row[1]))


def fax_one_page_share(store: Store) -> float | None:
    """Return the share of faxes that are one page long."""
    return _value(store, "SELECT avg(CASE WHEN pages = 1 THEN 1.0 ELSE 0.0 END) FROM fax")


def busiest_outside_caller_per_30_days(store: Store) -> float | None:
    """Return the calls the busiest outside number made, scaled to 30 days."""
    return _value(
        store,
        """
        WITH span AS (SELECT greatest(epoch(max(start)) - epoch(min(start)), 86400) / 86400 AS days FROM calls)
        SELECT max(n) * 30 / (SELECT days FROM span)
        FROM (SELECT src, count(*) AS n FROM calls WHERE direction = 'Incoming' AND length(src) > 4 GROUP BY src)
        """,
    )


def median_talk_seconds(store: Store, direction: str) -> float | None:
    """Return the median billed seconds of answered voice calls of one direction."""
    return _value(
        store,
        f"SELECT median(billsec) FROM calls WHERE direction = ? AND call_type = 'Voice' AND disposition IN {ANSWERED}",
        [direction],
    )


def auto_attendant_abandon_rate(store: Store) -> float | None:
    """Return the share of callers who entered the auto attendant and hung up in its menu."""
    return _value(
        store,
        """
        SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM flow_event g WHERE g.linkedid = f.linkedid
                                     AND g.description = 'caller hung up in auto attendant') THEN 1.0 ELSE 0.0 END)
        FROM flow_event f WHERE f.description LIKE 'enter auto attendant:%'
        """,
    )


def follow_up_shares(store: Store) -> tuple[float | None, float | None]:
    """Return the share of outside calls followed within 2 hours by the same number calling
    again or being called back: after a missed call, and after an answered one."""
    row = store.execute(
        f"""
        WITH outside AS (
            SELECT linkedid, src, start, disposition IN {ANSWERED} AS taken FROM calls
            WHERE direction = 'Incoming' AND call_type = 'Voice' AND length(src) > 4
        ),
        followed AS (
            SELECT o.taken, EXISTS (
                SELECT 1 FROM calls c
                WHERE c.start > o.start AND c.start <= o.start + INTERVAL 2 HOUR
                  AND ((c.direction = 'Incoming' AND c.src = o.src) OR (c.direction = 'Outgoing' AND c.dst = o.src))
            ) AS again
            FROM outside o
        )
        SELECT avg(CASE WHEN again THEN 1.0 ELSE 0.0 END) FILTER (WHERE NOT taken),
               avg(CASE WHEN again THEN 1.0 ELSE 0.0 END) FILTER (WHERE taken)
        FROM followed
        """
    ).fetchone()
    assert row is not None
    return (None if row[0] is None else float(row[0]), None if row[1] is None else float(row[1]))
