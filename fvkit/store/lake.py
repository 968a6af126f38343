"""Copy the analyst views `calls` and `call_flow` out as Hive-partitioned Parquet (DuckDB COPY)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from fvkit.store.db import Store

#: the partition column: the call's UTC start date, the same for a call and its flow
PARTITION = "call_date"

_CALLS = f"""
COPY (SELECT *, CAST(start AS DATE) AS {PARTITION} FROM calls ORDER BY start, uniqueid)
TO ? (FORMAT PARQUET, PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE)
"""
_FLOW = f"""
COPY (
    SELECT f.*, CAST(c.start AS DATE) AS {PARTITION}
    FROM call_flow f JOIN calls c USING (linkedid)
    ORDER BY c.start, f.linkedid, f.seq
)
TO ? (FORMAT PARQUET, PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE)
"""
_COUNTS = f"""
WITH c AS (SELECT CAST(start AS DATE) AS {PARTITION}, count(*) AS calls FROM calls GROUP BY ALL),
     f AS (SELECT CAST(c.start AS DATE) AS {PARTITION}, count(*) AS flow_events
           FROM call_flow JOIN calls c USING (linkedid) GROUP BY ALL)
SELECT {PARTITION}, calls, coalesce(flow_events, 0) AS flow_events
FROM c LEFT JOIN f USING ({PARTITION})
ORDER BY {PARTITION}
"""


def write_partitioned(store: Store, calls_dir: Path, flow_dir: Path) -> pa.Table:
    """Write `calls` under calls_dir and `call_flow` under flow_dir, `call_date=YYYY-MM-DD/` each.

    Both copies and the counts come from one snapshot, so a partition's calls and flow
    match even while the simulator writes. Columns and types are the views' (docs/SCHEMA.md);
    the partition column lives in the directory names only. Returns one row per partition:
    call_date, calls, flow_events.
    """
    with store.transaction() as cur:
        cur.execute(_CALLS, [str(calls_dir)])
        cur.execute(_FLOW, [str(flow_dir)])
        return cur.sql(_COUNTS).to_arrow_table()
