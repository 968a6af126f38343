"""Baselines for the benchmarks: what DuckDB alone does with the same rows. Not used by the portal.

`benchmarks/downloads.py` compares a call-record download (query, formatting, safe CSV) with
DuckDB's own `COPY (query) TO 'file.csv'` of the same rows: the fastest a CSV of them can be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fvkit.store.db import Store
from fvkit.store.history import DETAIL_COLUMNS, HistoryQuery, where


def busiest_owner(store: Store) -> tuple[str, int]:
    """Return the extension with the most calls in its history, and how many."""
    row = store.execute("SELECT owner, count(*) AS n FROM cdr GROUP BY owner ORDER BY n DESC, owner LIMIT 1").fetchone()
    if row is None:
        raise LookupError("the store has no calls")
    return str(row[0]), int(row[1])


def download_select(q: HistoryQuery, limit: int, *, with_flow: bool) -> tuple[str, list[Any]]:
    """Return the SELECT and parameters of a call-record download, as `history.page(_with_flow)` run it.

    NOTE: a copy of those queries' shape (their WHERE clause is shared): keep it in step
    with `fvkit.store.history` or the baseline stops being the same rows.
    """
    sql, params = where(q)
    top = f"SELECT {DETAIL_COLUMNS} FROM cdr WHERE {sql} ORDER BY start_time DESC, uniqueid DESC LIMIT ?"
    if not with_flow:
        return top, [*params, limit]
    return (
        f"WITH top AS ({top}) "
        "SELECT top.*, f.seq AS flow_seq, f.time AS flow_time, f.description AS flow_description "
        "FROM top JOIN flow_event f USING (linkedid) "
        "ORDER BY top.start_time DESC, top.uniqueid DESC, f.seq",
        [*params, limit],
    )


def copy_to_csv(store: Store, sql_select: str, params: list[Any], path: str | Path) -> None:
    """Write a SELECT's rows to a CSV file with DuckDB's COPY (header, comma-separated)."""
    target = str(path).replace("'", "''")  # COPY takes the file name as a literal, not a parameter
    store.execute(f"COPY ({sql_select}) TO '{target}' (HEADER, DELIMITER ',')", params)
