"""The DuckDB store: one connection per process, a cursor per thread, migrations."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import pyarrow as pa

from fvkit.store.analyst import SOURCES, refresh_summary

MIGRATIONS = "fvkit.store.migrations"
#: the database the CLI and the portal use when given none, relative to the project
DEFAULT_DB = "data/fvkit.duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
#: statements that only read: everything else counts as a write (an unknown one included)
_READS = frozenset({"SELECT", "FROM", "VALUES", "TABLE", "PRAGMA", "DESCRIBE", "SHOW", "EXPLAIN", "SUMMARIZE", "SET"})
_WRITE_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|COPY)\b", re.IGNORECASE)
_COMMENTS = re.compile(r"(--[^\n]*|/\*.*?\*/)", re.DOTALL)
#: rows in one of DuckDB's row groups
ROW_GROUP_ROWS = 122_880
MEMO_ENTRIES = 512  # results kept for the current data version, least recently used dropped first
T = TypeVar("T")


def writes(sql: str) -> bool:
    """Return whether a statement may change data: anything but a plain read (WITH ... INSERT is a write)."""
    text = _COMMENTS.sub(" ", sql).lstrip(" \t\r\n(")
    first = text.split(None, 1)[0].upper() if text else ""
    if first == "WITH":
        return bool(_WRITE_WORD.search(text))
    return first not in _READS


class StoreLocked(RuntimeError):
    """Another process holds the database file (DuckDB allows one writer per file)."""


class Store:
    """A DuckDB database holding one organisation and its traffic.

    Open it once per process: Streamlit sessions share it, each thread gets its own
    cursor from `cursor()`.
    """

    def __init__(
        self, path: str | Path | None = None, *, read_only: bool = False, memory_limit: str | None = None
    ) -> None:
        self.path = str(path) if path is not None else ":memory:"
        if path is not None and not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLocked(
                    f"{self.path} is in use by another process (DuckDB allows one writer); "
                    "stop the portal or simulator that has it open and try again"
                ) from exc
            raise
        if memory_limit is not None:
            # DuckDB's buffer pool defaults to 80% of RAM; a long-running portal caps it
            if not re.fullmatch(r"\d+(\.\d+)?\s?(KB|MB|GB|KiB|MiB|GiB)", memory_limit):
                raise ValueError(f"bad memory limit {memory_limit!r}")
            self._con.execute(f"SET memory_limit = '{memory_limit}'")
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._version = 0
        self._memo: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._memo_lock = threading.Lock()
        if not read_only:
            self.migrate()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return this thread's cursor on the shared connection."""
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    @property
    def data_version(self) -> int:
        """Return a number that changes after every write through this store (none by another process).

        DuckDB lets one process write a file, so in the process that owns it (the portal) this
        says whether anything read before may have changed.
        """
        return self._version

    def written(self) -> None:
        """Note that data changed: bump the data version, forget the memo."""
        with self._memo_lock:
            self._version += 1
            self._memo.clear()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return `compute()` as of the current data version: computed once, again only after a write.

        Treat the result as read-only: every caller until the next write gets the same object.
        """
        if getattr(self._local, "in_transaction", False):
            return compute()  # the block must see its own writes, not what was committed before
        version = self._version  # read first: a write during compute() must not be hidden
        with self._memo_lock:
            hit = self._memo.get(key)
            if hit is not None and hit[0] == version:
                self._memo.move_to_end(key)
                return cast(T, hit[1])
        value = compute()
        with self._memo_lock:
            if version == self._version:  # else a write came meanwhile: the value may be stale
                self._memo[key] = (version, value)
                while len(self._memo) > MEMO_ENTRIES:
                    self._memo.popitem(last=False)
        return value

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run the block's writes all-or-nothing; roll back on any exception."""
        cur = self.cursor()
        with self._write_lock:
            cur.execute("BEGIN TRANSACTION")
            outer = getattr(self._local, "in_transaction", False)
            self._local.in_transaction = True
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                self._local.in_transaction = outer
                self.written()  # after COMMIT (or ROLLBACK): other threads see the data as it now is

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> Any:
        """Run one parameterised statement on this thread's cursor."""
        result = self.cursor().execute(sql, params or [])
        if writes(sql):
            self.written()
        return result

    def arrow(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pa.Table:
        """Run a parameterised query and return its rows as an Arrow table."""
        cur = self.cursor()
        # NOTE: DuckDB 2 refuses `.sql()` while an earlier result is partly fetched
        # (a fetchone()); abandon it first. Arrow from a DB-API result would copy the rows.
        cur.abort()
        table = cur.sql(sql, params=params or None).to_arrow_table()
        if writes(sql):
            self.written()
        return table

    def append(self, table: str, data: pa.Table, cur: duckdb.DuckDBPyConnection | None = None) -> None:
        """Bulk-insert an Arrow table whose columns are named as the table's."""
        if not re.fullmatch(r"[a-z_]+", table):
            raise ValueError(f"bad table name {table!r}")
        con = cur or self.cursor()
        con.abort()  # drop a half-read earlier result (DuckDB 2 refuses register() otherwise)
        con.register("_fvkit_batch", _in_row_groups(data))
        try:
            cols = ", ".join(f'"{c}"' for c in data.column_names)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _fvkit_batch")
            if table in SOURCES:
                refresh_summary(con, "_fvkit_batch", table)
        finally:
            con.unregister("_fvkit_batch")
        self.written()

    def migrate(self) -> list[str]:
        """Apply the numbered migrations not yet applied; return their names."""
        cur = self.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        done = {row[0] for row in cur.execute("SELECT version FROM schema_migration").fetchall()}
        applied = []
        for name in sorted(p.name for p in resources.files(MIGRATIONS).iterdir()):
            match = _MIGRATION_NAME.match(name)
            if not match or int(match.group(1)) in done:
                continue
            sql = resources.files(MIGRATIONS).joinpath(name).read_text(encoding="utf-8")
            with self.transaction() as tx:
                tx.execute(sql)
                # NOTE: migration bookkeeping is the one place that reads the clock.
                stamp = datetime.now(UTC).replace(tzinfo=None)
                tx.execute(
                    "INSERT INTO schema_migration VALUES (?, ?, ?)",
                    [int(match.group(1)), name, stamp],
                )
            applied.append(name)
        return applied

    def schema_version(self) -> int:
        """Return the highest migration applied."""
        row = self.execute("SELECT max(version) FROM schema_migration").fetchone()
        return int(row[0] or 0)

    def close(self) -> None:
        """Close the connection; cursors of all threads become unusable."""
        self._con.close()


def _in_row_groups(data: pa.Table) -> pa.Table:
    """Return `data` in chunks of one row group each (the last one shorter) if it came in shorter chunks.

    NOTE: DuckDB appends the chunks in parallel, each thread's share as row groups of its own,
    so chunks shorter than a row group leave short row groups inside the table, and the next
    checkpoint rewrites them: 1.4M cdr rows in ~117k-row chunks cost 0.73 s more to checkpoint
    and 0.27 s more to append than the same rows in row-group chunks, which take 0.5 s to
    re-chunk. Chunks longer than a row group (a flow of ~470k rows) left nothing to rewrite.
    """
    if data.num_rows <= ROW_GROUP_ROWS or all(len(c) >= ROW_GROUP_ROWS for c in data.column(0).chunks[:-1]):
        return data
    return pa.Table.from_batches(data.combine_chunks().to_batches(max_chunksize=ROW_GROUP_ROWS))
