"""The run's writer thread: whole batches, in order, with their counters; a failed write stops the run (SIM-3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from fvkit.sim.run import Options, simulate
from fvkit.sim.writer import CALL_TABLES, Counters, Writer
from fvkit.store.db import ROW_GROUP_ROWS, Store
from fvkit.store.org import MESSAGE_COUNTER, get_state

START = datetime(2026, 3, 2, 8)


@pytest.fixture(scope="module")
def source() -> Iterator[Store]:
    """A week of a 20-extension organisation's traffic, to take rows from."""
    store = Store(None)
    simulate(store, START, seed=5, extensions=20, options=Options(days=7, chunk_days=7))
    yield store
    store.close()


def _batches(source: Store, parts: int) -> list[dict[str, pa.Table]]:
    """The source's rows cut into `parts` batches of whole calls, in call order."""
    ids = source.arrow("SELECT linkedid FROM cdr WHERE is_primary ORDER BY start_time, linkedid").column(0)
    bounds = [ids[len(ids) * k // parts].as_py() for k in range(parts)] + [None]
    batches = []
    for lo, hi in pairwise(bounds):
        where = "linkedid >= ?" + ("" if hi is None else " AND linkedid < ?")
        args = [lo] if hi is None else [lo, hi]
        # NOTE: linkedids are "<start seconds>.<seq>": a week's starts all have ten digits, so text order is time order
        batches.append({name: source.arrow(f"SELECT * FROM {name} WHERE {where}", args) for name in CALL_TABLES})
    return batches


def _count(store: Store, table: str) -> int:
    return int(store.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.req("SIM-3")
def test_every_batch_lands_once_with_the_counters_after_the_last(source: Store) -> None:
    target = Store(None)
    writer = Writer(target, flush_rows=1)  # writes whatever it holds whenever it is free
    batches = _batches(source, 5)
    for k, rows in enumerate(batches):
        writer.add(rows, Counters(next_seq=100 + k, last_media=200 + k, until_us=300 + k))
    writer.finish()

    for name in CALL_TABLES:
        assert _count(target, name) == _count(source, name) > 0, name
    assert target.arrow("SELECT * FROM flow_event ORDER BY linkedid, seq").equals(
        source.arrow("SELECT * FROM flow_event ORDER BY linkedid, seq")
    )
    assert (get_state(target, "next_seq", 0), get_state(target, MESSAGE_COUNTER, 0)) == (104, 204)
    assert get_state(target, "simulated_until", 0) == 304


@pytest.mark.req("SIM-3")
@pytest.mark.timeout(60)  # a writer that died without a word would leave the run waiting
def test_a_failed_write_stops_the_run_with_its_error_and_leaves_whole_batches(
    source: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = Store(None)
    appended: list[str] = []
    append = Store.append

    def failing(self: Store, table: str, data: pa.Table, cur: Any = None) -> None:
        appended.append(table)
        if table == "flow_event" and appended.count("flow_event") == 2:
            raise OSError("disk full")
        append(self, table, data, cur)

    monkeypatch.setattr(Store, "append", failing)
    writer = Writer(target, flush_rows=1, held_rows=1)  # one batch per write, each waited for
    batches = _batches(source, 3)
    with pytest.raises(OSError, match="disk full"):
        for k, rows in enumerate(batches):
            writer.add(rows, Counters(k + 1, 0, 0))
        writer.finish()
    writer.abandon()

    # the first batch is there with its counter; the second's transaction was rolled back whole
    first = batches[0]
    assert _count(target, "cdr") == first["cdr"].num_rows
    assert _count(target, "flow_event") == first["flow_event"].num_rows
    assert _count(target, "call_summary") == first["cdr"].filter(first["cdr"].column("is_primary")).num_rows
    assert get_state(target, "next_seq", 0) == 1


@pytest.mark.req("SIM-3")
def test_rows_appended_in_short_chunks_are_stored_in_whole_row_groups(tmp_path: Path) -> None:
    store = Store(tmp_path / "groups.duckdb")  # a file: in memory, DuckDB appends differently
    store.execute("CREATE TABLE t (x BIGINT, s VARCHAR)")
    n = 11 * ROW_GROUP_ROWS + 65_000
    whole = pa.table({"x": pa.array(range(n), pa.int64()), "s": pa.array([str(i % 97) for i in range(n)])})
    chunks = pa.Table.from_batches(whole.to_batches(max_chunksize=100_000))  # as a run's batches come

    store.append("t", chunks)

    groups = store.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('t')").fetchone()[0]
    assert groups == 12  # eleven whole row groups and the rest
    assert store.arrow("SELECT * FROM t ORDER BY x").equals(whole)
