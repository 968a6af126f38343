"""Time a 20,000-call download with call flow against DuckDB's own COPY of the same rows (PIPE-2).

Run: .venv/bin/python benchmarks/downloads.py [--db PATH] [--search TEXT] [--runs N].
Without --db (or with a --db that does not exist yet) it first simulates ~1M calls (200
extensions, one year; ~30 s) - into PATH if given, so the next run can reuse it.

The download is `download_search_result(..., with_flow=True)` for the extension with most
calls, searching "1" by default: one digit that nearly every call's numbers contain, so the
first 20,000 matches are (almost) the newest 20,000 calls of the list, ~180k flow rows. The
baseline is `COPY (the same query) TO 'file.csv'`: the rows without local times, HH:MM:SS,
labels or injection escaping. Both are timed warm and alternately (the machine's load hits
both alike), median of N runs each. The last line reads
`ratio: X.XX` (download time / COPY time); target <= 2.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import polars as pl

from fvkit.domain.limits import MAX_DOWNLOAD_ROWS
from fvkit.portal.auth import User, acting_as
from fvkit.portal.call_history import count, query
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from fvkit.store.bench import busiest_owner, copy_to_csv, download_select
from fvkit.store.history import HistoryQuery
from pipelines.call_records import download, read_call_records


def _medians(runs: int, first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    """Return the median times of two jobs, run alternately so both meet the same machine load."""
    first(), second()  # warm: both read the same pages from DuckDB's cache
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for job, spent in ((first, times[0]), (second, times[1])):
            begun = time.perf_counter()
            job()
            spent.append(time.perf_counter() - begun)
    return statistics.median(times[0]), statistics.median(times[1])


def _build(path: Path) -> None:
    store = Store(path)
    begun = time.perf_counter()
    summary = simulate(
        store,
        datetime(2025, 10, 1, 7),
        seed=11,
        extensions=200,
        options=Options(days=365, calls_per_user_day=20, chunk_days=31),
    )
    store.close()
    print(
        f"simulated {summary.calls:,} calls, {summary.flow_events:,} flow events in {time.perf_counter() - begun:.1f} s"
    )


def _compare(
    store: Store, user: User, q: HistoryQuery, *, with_flow: bool, runs: int, copy: Path
) -> tuple[float, float]:
    """Check both sides write the same rows, print their timings, return (download s, COPY s)."""
    result = download(store, user, q, search_result=True, with_flow=with_flow)
    sql, params = download_select(q, MAX_DOWNLOAD_ROWS, with_flow=with_flow)
    copy_to_csv(store, sql, params, copy)
    copied = pl.scan_csv(copy).select(pl.len()).collect().item()
    assert copied == result.rows == read_call_records(result.data).height, (copied, result.rows)
    download_s, copy_s = _medians(
        runs,
        lambda: download(store, user, q, search_result=True, with_flow=with_flow),
        lambda: copy_to_csv(store, sql, params, copy),
    )
    label = "with call flow" if with_flow else "without call flow"
    print(
        f"{label}: {result.records:,} calls, {result.rows:,} rows, {len(result.data) / 1e6:.1f} MB; "
        f"download {download_s * 1000:.0f} ms, DuckDB COPY {copy_s * 1000:.0f} ms "
        f"(median of {runs}), ratio {download_s / copy_s:.2f}"
    )
    return download_s, copy_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, default=None, help="database to reuse, or to build and keep")
    parser.add_argument("--search", default="1", help="search text of the Search Result download")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "downloads.duckdb"
        if not db.exists():
            _build(db)
        store = Store(db)
        owner, calls = busiest_owner(store)
        user = acting_as(store, owner)
        q = query(user, search=args.search)
        matched = count(store, user, q)
        print(f"extension {owner}: {calls:,} calls in its history, {matched:,} match search {args.search!r}")
        if matched < MAX_DOWNLOAD_ROWS:
            print(f"warning: fewer than {MAX_DOWNLOAD_ROWS:,} matches; the download is not at its cap")

        for with_flow in (False, True):
            download_s, copy_s = _compare(
                store, user, q, with_flow=with_flow, runs=args.runs, copy=Path(tmp) / "copy.csv"
            )
        store.close()
    print(f"ratio: {download_s / copy_s:.2f}")


if __name__ == "__main__":
    main()
