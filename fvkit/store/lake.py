"""Copy the analyst views out as Parquet (DuckDB COPY): calls and their rows partitioned by local date.

Timestamps leave as UTC instants (TIMESTAMPTZ, Parquet `isAdjustedToUTC`), except `start_local`,
which is a wall-clock time by definition. The partition column `call_date` is the call's date
in the organisation's time zone (= `calls.local_date`), the same for a call, its history rows
and its flow, and lives in the folder names only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa

from fvkit.store.db import Store

#: the partition column: the call's date in the organisation's time zone
PARTITION = "call_date"
#: views written one folder per call date, and the expression of each row's date
PARTITIONED = ("calls", "call_history", "call_flow")
#: views written whole on every export (small, and their rows change: heard, deleted, moved)
WHOLE = ("voicemails", "recordings", "faxes", "extensions", "organisation_info")
#: wall-clock columns that stay naive
_LOCAL_COLUMNS = {"start_local"}

_TZ = "(SELECT coalesce(max(time_zone), 'UTC') FROM organisation_info)"
#: per partitioned view: its FROM clause (the view as `v`) and the expression of a row's call date
_SOURCES = {
    "calls": ("calls v", "v.local_date"),
    "call_history": ("call_history v", f"CAST(timezone({_TZ}, v.start AT TIME ZONE 'UTC') AS DATE)"),
    "call_flow": ("call_flow v JOIN calls c USING (linkedid)", "c.local_date"),
}
_ORDER = {
    "calls": "v.start, v.uniqueid",
    "call_history": "v.owner, v.start, v.uniqueid",
    "call_flow": "v.linkedid, v.seq",
    "voicemails": "v.id",
    "recordings": "v.id",
    "faxes": "v.id",
    "extensions": "v.number",
    "organisation_info": "v.name",
}


def _columns(store: Store, view: str) -> str:
    """The view's columns, TIMESTAMPs as UTC instants."""
    out = []
    for name, kind in store.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall():
        col = f'v."{name}"'
        if kind == "TIMESTAMP" and name not in _LOCAL_COLUMNS:
            out.append(f"timezone('UTC', {col}) AS \"{name}\"")
        else:
            out.append(f"{col}")
    return ", ".join(out)


def write_views(store: Store, out_dir: Path, first: date | None, last: date | None) -> pa.Table:
    """Write every analyst view under out_dir/<view>/, from one snapshot; return the partitions written.

    The partitioned views get `call_date=YYYY-MM-DD/` folders for the call dates in
    [first, last] (all when None); the others one file each. Returns view, call_date, rows
    for every partition written.
    """
    if store.arrow("SELECT count(*) AS n FROM organisation_info").column("n")[0].as_py() == 0:
        raise ValueError("the database holds no organisation yet: nothing to export")
    counts = []
    with store.transaction() as cur:
        for view in PARTITIONED:
            source, day = _SOURCES[view]
            where = f"FROM {source} WHERE {day} BETWEEN $first AND $last"
            params = {"first": first or date.min, "last": last or date.max, "out": str(out_dir / view)}
            cur.execute(
                f"COPY (SELECT {_columns(store, view)}, {day} AS {PARTITION} {where} ORDER BY {_ORDER[view]}) "
                f"TO $out (FORMAT PARQUET, PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE)",
                params,
            )
            del params["out"]
            sql = f"SELECT '{view}' AS view, {day} AS {PARTITION}, count(*) AS rows {where} GROUP BY ALL"
            counts.append(cur.sql(sql, params=params).to_arrow_table())
        for view in WHOLE:
            (out_dir / view).mkdir(parents=True, exist_ok=True)
            cur.execute(
                f"COPY (SELECT {_columns(store, view)} FROM {view} v ORDER BY {_ORDER[view]}) TO ? (FORMAT PARQUET)",
                [str(out_dir / view / "data_0.parquet")],
            )
    return pa.concat_tables(counts).sort_by([("view", "ascending"), (PARTITION, "ascending")])


def lake_partition_counts(store: Store, lake_dir: Path, view: str) -> list[tuple[date, int]]:
    """Rows per call date of a partitioned view as the lake holds it now (after an incremental export)."""
    files = list((lake_dir / view).glob(f"{PARTITION}=*/*.parquet"))
    if not files:
        return []
    rows = store.execute(
        f"SELECT {PARTITION}, count(*) FROM read_parquet(?, hive_partitioning = true) GROUP BY ALL ORDER BY 1",
        [str(lake_dir / view / "**" / "*.parquet")],
    ).fetchall()
    return [(r[0], int(r[1])) for r in rows]


def lake_row_count(store: Store, lake_dir: Path, view: str) -> int:
    """Rows of a whole (unpartitioned) view in the lake."""
    rows = store.execute("SELECT count(*) FROM read_parquet(?)", [str(lake_dir / view / "*.parquet")]).fetchall()
    return int(rows[0][0])


def view_schema(store: Store, view: str) -> list[tuple[str, str]]:
    """Column names and the DuckDB types they have in the lake (TIMESTAMP WITH TIME ZONE for instants)."""
    out = []
    for name, kind in store.execute(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall():
        out.append((name, "TIMESTAMP WITH TIME ZONE" if kind == "TIMESTAMP" and name not in _LOCAL_COLUMNS else kind))
    return out


def time_zone(store: Store) -> str:
    """The organisation's time zone (the lake's call dates follow it)."""
    rows = store.execute("SELECT time_zone FROM organisation_info").fetchall()
    return str(rows[0][0]) if rows else "UTC"
