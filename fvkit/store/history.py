"""Call history queries: one owner's calls, filtered and searched (CH-1, CH-5, CH-6).

Every query filters on `owner` first: the cdr table keeps one row per owning extension,
written in (owner, start) order, so DuckDB's zone maps skip other owners' row groups and a
page costs the same whatever the store's size. Values are always parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from fvkit.domain.calls import TAKEN, Direction, Disposition, HistoryFilter
from fvkit.store.db import Store

#: columns a search may look in (CH-5 search settings), by the list's labels
SEARCH_FIELDS: dict[str, str] = {
    "From (Name)": "from_name",
    "From": "src",
    "To (Name)": "to_name",
    "To": "dst",
}
#: the list's columns (guide p.14) plus the call's id
LIST_COLUMNS = (
    "uniqueid, linkedid, from_name, src, to_name, dst, start_time, duration, disposition, direction, call_type"
)
#: everything the call details show (CH-4)
DETAIL_COLUMNS = (
    LIST_COLUMNS + ", placed, answer_time, end_time, billsec, trunk, dnis, destination, department, account_code"
)


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """Which of one extension's calls to list."""

    owner: str
    view: HistoryFilter = HistoryFilter.ALL
    direction: Direction | None = None
    disposition: Disposition | None = None
    search: str = ""
    fields: tuple[str, ...] = tuple(SEARCH_FIELDS)
    since: datetime | None = None  # naive UTC, inclusive
    until: datetime | None = None  # naive UTC, exclusive


def _like(text: str) -> str:
    """Return an ILIKE pattern matching `text` anywhere, its own % _ and \\ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(q: HistoryQuery) -> tuple[str, list[Any]]:
    """Return the WHERE clause and its parameters for a query."""
    clauses: list[str] = ["owner = ?"]
    params: list[Any] = [q.owner]
    if q.view is HistoryFilter.PLACED:
        clauses.append("placed")
    elif q.view in (HistoryFilter.RECEIVED, HistoryFilter.MISSED):
        negate = "NOT " if q.view is HistoryFilter.MISSED else ""
        clauses.append(f"NOT placed AND disposition {negate}IN ({', '.join('?' * len(TAKEN))})")
        params += [d.value for d in TAKEN]
    if q.direction is not None:
        clauses.append("direction = ?")
        params.append(q.direction.value)
    if q.disposition is not None:
        clauses.append("disposition = ?")
        params.append(q.disposition.value)
    if q.search:
        columns = [SEARCH_FIELDS[f] for f in q.fields if f in SEARCH_FIELDS] or list(SEARCH_FIELDS.values())
        clauses.append("(" + " OR ".join(f"{c} ILIKE ? ESCAPE '\\'" for c in columns) + ")")
        params += [_like(q.search)] * len(columns)
    if q.since is not None:
        clauses.append("start_time >= ?")
        params.append(q.since)
    if q.until is not None:
        clauses.append("start_time < ?")
        params.append(q.until)
    return " AND ".join(clauses), params


def count(store: Store, q: HistoryQuery) -> int:
    """Return how many calls match (the pager's "of N"); read once per data version (each click asks)."""
    sql, params = where(q)

    def read() -> int:
        row = store.execute(f"SELECT count(*) FROM cdr WHERE {sql}", params).fetchone()
        return int(row[0]) if row else 0

    return store.memo(("cdr_count", sql, tuple(params)), read)


def page(store: Store, q: HistoryQuery, limit: int, offset: int = 0, *, detail: bool = False) -> pa.Table:
    """Return matching calls, newest first."""
    sql, params = where(q)
    columns = DETAIL_COLUMNS if detail else LIST_COLUMNS
    return store.arrow(
        f"SELECT {columns} FROM cdr WHERE {sql} ORDER BY start_time DESC, uniqueid DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )


def page_with_flow(store: Store, q: HistoryQuery, limit: int) -> pa.Table:
    """Return the first `limit` matching calls joined with their call-flow events, one row per event."""
    sql, params = where(q)
    return store.arrow(
        f"WITH top AS (SELECT {DETAIL_COLUMNS} FROM cdr WHERE {sql} "
        "ORDER BY start_time DESC, uniqueid DESC LIMIT ?) "
        "SELECT top.*, f.seq AS flow_seq, f.time AS flow_time, f.description AS flow_description "
        "FROM top LEFT JOIN flow_event f USING (linkedid) "
        "ORDER BY top.start_time DESC, top.uniqueid DESC, f.seq",
        [*params, limit],
    )


def call(store: Store, owner: str, uniqueid: str) -> dict[str, Any] | None:
    """Return one call of the owner's history with every detail, or None."""
    rows = store.arrow(
        f"SELECT {DETAIL_COLUMNS} FROM cdr WHERE owner = ? AND uniqueid = ?", [owner, uniqueid]
    ).to_pylist()
    return rows[0] if rows else None


def flow(store: Store, owner: str, linkedid: str) -> pa.Table:
    """Return a call's flow events in order, if the call is in the owner's history."""
    return store.arrow(
        "SELECT seq, time, description FROM flow_event WHERE linkedid = ? "
        "AND EXISTS (SELECT 1 FROM cdr WHERE owner = ? AND linkedid = ?) ORDER BY seq",
        [linkedid, owner, linkedid],
    )


def personal_names(store: Store, owner: str, numbers: list[str]) -> dict[str, str]:
    """Return the owner's personal-contact name for each number that matches a contact (CH-2)."""
    if not numbers:
        return {}
    rows = store.execute(
        "SELECT regexp_replace(main_number, '[^0-9]', '', 'g') AS digits, min(display_name) "
        "FROM contact WHERE owner = ? AND regexp_replace(main_number, '[^0-9]', '', 'g') IN "
        "(SELECT unnest(?::VARCHAR[])) GROUP BY digits",
        [owner, numbers],
    ).fetchall()
    return {str(d): str(n) for d, n in rows}


def saved_searches(store: Store, owner: str) -> dict[str, str]:
    """Return the owner's saved searches: name -> JSON spec."""
    rows = store.execute("SELECT name, spec FROM saved_search WHERE owner = ? ORDER BY name", [owner]).fetchall()
    return {str(n): str(s) for n, s in rows}


def save_search(store: Store, owner: str, name: str, spec: str) -> None:
    """Save (or replace) a named search."""
    store.execute(
        "INSERT INTO saved_search VALUES (?, ?, ?) ON CONFLICT (owner, name) DO UPDATE SET spec = excluded.spec",
        [owner, name, spec],
    )


def delete_search(store: Store, owner: str, name: str) -> None:
    """Forget a named search."""
    store.execute("DELETE FROM saved_search WHERE owner = ? AND name = ?", [owner, name])
