"""Keep `call_summary` (analyst schema v2, migration 012) in step with every write of calls or flow."""

from __future__ import annotations

import duckdb

#: the tables whose rows a call's summary is derived from
SOURCES = ("cdr", "flow_event")


def refresh_summary(cur: duckdb.DuckDBPyConnection, batch: str, written: str = "") -> None:
    """Recompute the summary of the calls whose linkedids lie in the range of the registered relation `batch`.

    Runs inside the writer's statement sequence (its transaction when it has one); the
    derivation is the table macro `call_summary_of` of migration 012, so it is written once.
    NOTE: the whole [min, max] linkedid range is recomputed, not just the batch's ids: a
    summary is a pure function of the stored rows, so that is as correct, and restricting
    to the ids (a semi-join) made DuckDB drop the range pushdown - 8x slower. Simulated
    and live batches are a contiguous range anyway.

    `written` names the table the batch went into ("cdr" or "flow_event"); when the other one
    holds nothing of the range yet (the simulator writes a batch's cdr rows, then its flow),
    the later write refreshes instead - the summary needs both.
    """
    lo, hi = cur.execute(f"SELECT min(linkedid), max(linkedid) FROM {batch}").fetchall()[0]
    if lo is None:
        return
    other = {"cdr": "flow_event", "flow_event": "cdr"}.get(written)
    if other is not None:
        found = cur.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {other} WHERE linkedid BETWEEN ? AND ? LIMIT 1)", [lo, hi]
        )
        if found.fetchall()[0][0] == 0:
            return
    cur.execute("DELETE FROM call_summary WHERE linkedid BETWEEN ? AND ?", [lo, hi])
    # NOTE: in linkedid order DuckDB appends the rows as whole row groups: unordered, the parallel
    # query left short ones, which cost the next checkpoint 0.3 s per 1M calls to rewrite
    cur.execute("INSERT INTO call_summary SELECT * FROM call_summary_of(?, ?) ORDER BY linkedid", [lo, hi])
