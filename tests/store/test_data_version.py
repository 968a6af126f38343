"""The store's data version and its memo: read once, read again after any write (issue 12)."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest

from fvkit.store import Store
from fvkit.store.db import writes


def _counting(store: Store) -> tuple[list[int], object]:
    """Return a list of how often the value was computed, and a compute function (the row count of t)."""
    computed: list[int] = []

    def count() -> int:
        computed.append(1)
        return int(store.execute("SELECT count(*) FROM t").fetchone()[0])

    return computed, count


@pytest.fixture
def store() -> Store:
    db = Store()
    db.execute("CREATE TABLE t (x INTEGER)")
    return db


def test_memo_computes_once_while_nothing_is_written(store: Store) -> None:
    computed, count = _counting(store)
    assert [store.memo("n", count) for _ in range(3)] == [0, 0, 0]  # type: ignore[arg-type]
    store.execute("SELECT * FROM t WHERE x > ?", [1])
    store.arrow("WITH a AS (SELECT 1) SELECT * FROM a")
    assert store.memo("n", count) == 0  # type: ignore[arg-type]
    assert len(computed) == 1


@pytest.mark.parametrize(
    "write",
    [
        lambda db: db.execute("INSERT INTO t VALUES (1)"),
        lambda db: db.execute("  -- a comment first\n insert into t values (1)"),
        lambda db: db.execute("WITH v AS (SELECT 1 AS x) INSERT INTO t SELECT x FROM v"),
        lambda db: db.append("t", pa.table({"x": [1]})),
    ],
    ids=["insert", "commented insert", "with insert", "append"],
)
def test_memo_reads_again_after_a_write(store: Store, write: object) -> None:
    computed, count = _counting(store)
    assert store.memo("n", count) == 0  # type: ignore[arg-type]
    before = store.data_version
    write(store)  # type: ignore[operator]
    assert store.data_version > before
    assert store.memo("n", count) == 1  # type: ignore[arg-type]
    assert len(computed) == 2


def test_memo_sees_a_transaction_after_commit_and_its_own_writes_inside(store: Store) -> None:
    _, count = _counting(store)
    assert store.memo("n", count) == 0  # type: ignore[arg-type]
    with store.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1), (2)")
        assert store.memo("n", count) == 2  # type: ignore[arg-type]  # the block sees its own rows
    assert store.memo("n", count) == 2  # type: ignore[arg-type]


def test_memo_forgets_what_a_rolled_back_transaction_read(store: Store) -> None:
    _, count = _counting(store)
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("refused")
    assert store.memo("n", count) == 0  # type: ignore[arg-type]


def test_memo_does_not_keep_a_value_read_while_another_thread_wrote(store: Store) -> None:
    """A value computed across a write may be stale: the next call reads again."""
    started, go_on = threading.Event(), threading.Event()

    def slow_count() -> int:
        n = int(store.execute("SELECT count(*) FROM t").fetchone()[0])
        started.set()
        go_on.wait(5)
        return n

    reader = threading.Thread(target=lambda: store.memo("n", slow_count))
    reader.start()
    started.wait(5)
    store.execute("INSERT INTO t VALUES (1)")  # while the reader holds its stale 0
    go_on.set()
    reader.join(5)
    _, count = _counting(store)
    assert store.memo("n", count) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1", False),
        ("(SELECT 1) UNION (SELECT 2)", False),
        ("FROM t", False),
        ("WITH a AS (SELECT 1) SELECT * FROM a", False),
        ("SELECT last_update, updated_at FROM t", False),
        ("SET memory_limit = '512MB'", False),
        ("UPDATE t SET x = 1", True),
        ("DELETE FROM t", True),
        ("CREATE TABLE u (x INT)", True),
        ("/* why */ INSERT INTO t VALUES (1)", True),
        ("CHECKPOINT", True),  # not a known read: counted as a write
    ],
)
def test_writes_tells_reads_from_writes(sql: str, expected: bool) -> None:
    assert writes(sql) is expected
