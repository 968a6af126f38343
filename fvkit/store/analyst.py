"""Keep `call_summary` (analyst schema v2, migration 012) in step with every write of calls or flow."""

from __future__ import annotations

import duckdb

#: the tables whose rows a call's summary is derived from
SOURCES = ("cdr", "flow_event")


def refresh_summary(cur: duckdb.DuckDBPyConnection, batch: str) -> None:
    """Recompute the summary of every call whose linkedid is in the registered relation `batch`.

    Runs inside the writer's statement sequence (its transaction when it has one); the
    derivation is the table macro `call_summary_of` of migration 012, so it is written once.
    """
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _fvkit_summary_ids AS SELECT DISTINCT linkedid FROM {batch}")
    try:
        lo, hi = cur.execute("SELECT min(linkedid), max(linkedid) FROM _fvkit_summary_ids").fetchall()[0]
        if lo is None:
            return
        cur.execute("DELETE FROM call_summary WHERE linkedid IN (SELECT linkedid FROM _fvkit_summary_ids)")
        cur.execute(
            "INSERT INTO call_summary SELECT * FROM call_summary_of(?, ?) "
            "WHERE linkedid IN (SELECT linkedid FROM _fvkit_summary_ids)",
            [lo, hi],
        )
    finally:
        cur.execute("DROP TABLE IF EXISTS _fvkit_summary_ids")
