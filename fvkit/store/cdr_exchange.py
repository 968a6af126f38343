"""Call records in and out of the store in bulk: every Asterisk field of each call, and imports.

Reads stream (Arrow record batches from a cursor of their own), so an export of any size
never holds the cdr table in Python. Imports write the calls, their history rows and a
flow line per call in one transaction. Values are always parameters.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from fvkit.domain.calls import Disposition
from fvkit.store.analyst import refresh_summary
from fvkit.store.db import Store

#: what a flow line of a trunk that had no free line ends with (fvkit/sim/routing.py)
CONGESTION_FLOW = "%status: CONGESTION"
#: rows per Arrow batch when streaming calls out
BATCH_ROWS = 65_536

#: the cdr columns an imported call carries (the ownership columns are derived here)
CALL_COLUMNS = (
    "uniqueid",
    "linkedid",
    "start_time",
    "answer_time",
    "end_time",
    "duration",
    "billsec",
    "src",
    "dst",
    "from_name",
    "to_name",
    "direction",
    "disposition",
    "call_type",
    "trunk",
    "dnis",
    "destination",
    "department",
    "account_code",
    "dcontext",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "amaflags",
    "userfield",
)

_READ = """
SELECT c.account_code, c.src, c.dst, c.dcontext, c.from_name, c.channel, c.dstchannel,
       c.lastapp, c.lastdata, c.start_time, c.answer_time, c.end_time, c.duration, c.billsec,
       c.disposition, c.amaflags, c.uniqueid, c.userfield,
       (c.disposition = ? AND g.linkedid IS NOT NULL) AS congestion
FROM cdr c
LEFT JOIN (SELECT DISTINCT linkedid FROM flow_event WHERE description LIKE ?) g USING (linkedid)
WHERE c.is_primary
ORDER BY c.start_time, c.uniqueid
"""


def primary_calls(store: Store, batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """Yield every call (its primary cdr row, all Asterisk fields) in start order, batch by batch.

    Besides the cdr columns each batch has `congestion`: the call failed because a trunk had
    no free line (its flow says `status: CONGESTION`).
    """
    # NOTE: a cursor of its own, so the caller may query the store while it consumes the stream.
    cur = store.cursor().cursor()
    try:
        reader = cur.sql(_READ, params=[Disposition.FAILED.value, CONGESTION_FLOW]).to_arrow_reader(batch_rows)
        yield from reader
    finally:
        cur.close()


def extension_directory(store: Store) -> pa.Table:
    """Return the organisation's extensions: number, display_name, department, did."""
    return store.arrow("SELECT number, display_name, department, did FROM extension ORDER BY number")


_FRESH = "FROM _fvkit_import b WHERE NOT EXISTS (SELECT 1 FROM cdr c WHERE c.uniqueid = b.uniqueid)"

_OWNED = f"""
WITH fresh AS (SELECT b.* {_FRESH}),
by_did AS (SELECT did, min(number) AS number FROM extension WHERE did <> '' GROUP BY did),
owned AS (
    SELECT f.*, caller.number AS caller_ext, coalesce(callee.number, by_did.number) AS callee_ext
    FROM fresh f
    LEFT JOIN extension caller ON caller.number = f.src
    LEFT JOIN extension callee ON callee.number = f.dst
    LEFT JOIN by_did ON by_did.did = f.dst
)
"""


def insert_calls(store: Store, calls: pa.Table) -> int:
    """Add calls whose uniqueid the store does not hold yet, all or none; return how many were added.

    `calls` has the cdr columns of `CALL_COLUMNS` and `flow_description`, one row per call
    with distinct uniqueids. Each new call gets the history rows the simulator writes for
    a call: the caller's if the caller (`src`) is an extension of the organisation, plus
    the callee's if `dst` is one (by number, or by its DID); the caller's row is the primary
    one, else the callee's. It also gets one flow event, `flow_description` at its start, so
    every call has a flow. A call with no extension on either side is refused (ValueError):
    it would belong to nobody's history.
    """
    missing = [c for c in (*CALL_COLUMNS, "flow_description") if c not in calls.column_names]
    if missing:
        raise ValueError(f"calls lack columns {missing}")
    uniqueids = calls.column("uniqueid")
    if len(uniqueids.unique()) != calls.num_rows:
        raise ValueError("calls repeat a uniqueid")
    body = ", ".join(CALL_COLUMNS)
    with store.transaction() as cur:
        cur.register("_fvkit_import", calls)
        try:
            new = int(cur.execute(f"SELECT count(*) {_FRESH}").fetchall()[0][0])
            orphans = cur.execute(
                f"{_OWNED} SELECT src, dst FROM owned WHERE caller_ext IS NULL AND callee_ext IS NULL LIMIT 3"
            ).fetchall()
            if orphans:
                shown = ", ".join(f"{src} -> {dst}" for src, dst in orphans)
                raise ValueError(f"calls with no extension of the organisation on either side: {shown}")
            # Flow first: the anti-join must still see only the calls stored before this import.
            cur.execute(
                f"INSERT INTO flow_event (linkedid, seq, time, description) "
                f"SELECT b.linkedid, 1, b.start_time, b.flow_description {_FRESH}"
            )
            cur.execute(
                f"INSERT INTO cdr (owner, is_primary, placed, {body}) {_OWNED} "
                f"SELECT coalesce(caller_ext, callee_ext), true, caller_ext IS NOT NULL, {body} FROM owned "
                f"UNION ALL "
                f"SELECT callee_ext, false, false, {body} FROM owned "
                f"WHERE caller_ext IS NOT NULL AND callee_ext IS NOT NULL AND callee_ext <> caller_ext "
                # NOTE: (owner, start) order keeps the history queries' zone maps tight (store/history.py).
                f"ORDER BY 1, start_time"
            )
            refresh_summary(cur, "_fvkit_import")
        finally:
            cur.unregister("_fvkit_import")
    return new
