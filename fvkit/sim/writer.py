"""A run's writer: a thread that appends the rows of finished batches while the next ones route and expand.

DuckDB appends without holding the GIL, so one core writes while the other simulates.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import pyarrow as pa

from fvkit.store import Store
from fvkit.store.db import ROW_GROUP_ROWS
from fvkit.store.org import MESSAGE_COUNTER, set_state

CALL_TABLES = ("cdr", "flow_event", "voicemail", "recording", "fax")
#: history rows the writer waits for before each write but a run's last: a DuckDB row group. An
#: insert of less than a row group goes through the write-ahead log at commit: twelve writes of
#: 117k rows took 12.1 s, six of 234k 7.1 s, one of them all 5.6 s.
FLUSH_ROWS = ROW_GROUP_ROWS
#: the most history rows a run holds unwritten (then it waits for the writer to take them):
#: memory holds about 300 MB of rows at most, these and the write in progress
HELD_ROWS = 500_000


class Counters(NamedTuple):
    """The simulator's counters after a batch: next call sequence, last media id, simulated until."""

    next_seq: int
    last_media: int
    until_us: int


class Writer:
    """Write a run's batches, in order, on a thread of its own.

    `add` hands a batch over with the counters after it. Whenever the thread is free and
    holds `FLUSH_ROWS` history rows or more, it takes every batch held and writes them, and
    the counters after the last one, in one transaction: the store never holds part of a
    batch, and a run that stops early leaves whole batches behind. So a write starts as soon
    as the last one ends, however the batches fall. `add` waits while `HELD_ROWS` are held;
    `finish` writes the rest and raises what a write raised (so does the next `add`).
    """

    def __init__(self, store: Store, flush_rows: int = FLUSH_ROWS, held_rows: int = HELD_ROWS) -> None:
        self._store = store
        self._flush_rows = flush_rows
        self._held_rows = held_rows
        self._held: list[tuple[dict[str, pa.Table], Counters]] = []
        self._rows = 0  # history rows held
        self._closing = False
        self._error: BaseException | None = None
        self._change = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="fvkit-sim-write", daemon=True)
        self._thread.start()

    def add(self, rows: dict[str, pa.Table], after: Counters) -> None:
        """Hold a batch's rows for writing; wait while too many are held."""
        with self._change:
            self._raise()
            self._held.append((rows, after))
            self._rows += rows["cdr"].num_rows
            self._change.notify_all()
            while self._rows >= self._held_rows and self._error is None:
                self._change.wait()
            self._raise()

    def finish(self) -> None:
        """Write every batch held, wait for the thread, and raise what a write raised."""
        self._close()
        self._raise()

    def abandon(self) -> None:
        """Drop the batches not being written yet and wait for the write in progress (a run that failed)."""
        with self._change:
            self._held.clear()
        self._close()

    def _close(self) -> None:
        with self._change:
            self._closing = True
            self._change.notify_all()
        self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            with self._change:
                while not (self._closing or (self._held and self._rows >= self._flush_rows)):
                    self._change.wait()
                if not self._held:
                    return
                batches, self._held, self._rows = self._held, [], 0
                self._change.notify_all()  # a run waiting for room goes on
            try:
                _write_held(self._store, batches)
            except BaseException as exc:  # handed to the run, which raises it
                with self._change:
                    self._error = exc
                    self._held.clear()
                    self._change.notify_all()
                return


def _write_held(store: Store, batches: list[tuple[dict[str, pa.Table], Counters]]) -> None:
    """Write batches of rows and the counters after the last one, in one transaction."""
    # NOTE: a chunk per batch; `Store.append` re-chunks a table into whole row groups
    merged = {
        name: pa.concat_tables(parts, promote_options="default")
        for name in CALL_TABLES
        if (parts := [rows[name] for rows, _ in batches if name in rows and rows[name].num_rows])
    }
    with store.transaction():
        write(store, merged, batches[-1][1])


def write(store: Store, rows: dict[str, pa.Table], after: Counters) -> None:
    """Write one batch of rows and the simulator's counters after it, inside the caller's transaction."""
    for name in CALL_TABLES:
        if name in rows and rows[name].num_rows:
            store.append(name, rows[name])
    for key, value in (
        ("next_seq", after.next_seq),
        (MESSAGE_COUNTER, after.last_media),
        ("simulated_until", after.until_us),
    ):
        set_state(store, key, value)
