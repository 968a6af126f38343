"""Organisation reports on a large store (DuckDB) and on its lake (Spark local), and the lake export.

Run: .venv/bin/python benchmarks/reports.py [--calls N] [--dir DIR] [--master URL] [--reuse-lake]. Builds (once,
cached in DIR) a store of N simulated calls (default 10,000,000; 200 extensions), exports its lake,
and prints the export time and each report's time over all calls, by DuckDB on the store and by
Spark on the lake, with whether both engines' CSVs are identical. The Spark session's start
is timed apart (it is paid once per process). `--reuse-lake` keeps a lake an earlier run exported
in DIR (the export is not timed then) to time the reports alone again.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from fvkit.domain.reports import Report
from fvkit.sim.run import Options, calls_per_user_day_for, simulate
from fvkit.store import Store
from fvkit.store import reports as duck
from pipelines.lake import export_lake
from pipelines.reports import report_csv


def build(path: Path, calls: int) -> float:
    """Simulate about `calls` calls into a new store; return the seconds it took."""
    store = Store(path)
    t0 = time.perf_counter()
    simulate(store, datetime(2026, 1, 1, 8), seed=7, extensions=200, options=Options(days=0.0))
    days = 365.0
    per_day = calls_per_user_day_for(calls, days)
    simulate(
        store,
        datetime(2026, 1, 1, 8),
        seed=7,
        options=Options(days=days, calls_per_user_day=per_day, chunk_days=31),
    )
    store.close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="keep the store and lake here between runs")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--reuse-lake", action="store_true", help="keep DIR's lake from an earlier run")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="fvkit-reports-"))
    work.mkdir(parents=True, exist_ok=True)
    db, lake = work / f"reports-{args.calls}.duckdb", work / f"lake-{args.calls}"
    if not db.exists():
        print(f"built the store in {build(db, args.calls):.1f} s (includes analyst v2 summaries)")
    store = Store(db, read_only=True)
    total = store.execute("SELECT count(*) FROM calls").fetchall()[0][0]
    flow = store.execute("SELECT count(*) FROM call_flow").fetchall()[0][0]
    print(f"store: {total:,} calls, {flow:,} flow events")
    if args.reuse_lake and (lake / "_manifest.json").exists():
        print(f"lake export: reused {lake} (not timed)")
    else:
        if lake.exists():
            shutil.rmtree(lake)
        t0 = time.perf_counter()
        summary = export_lake(store, lake)
        print(f"lake export (8 views, {len(summary.partitions)} call dates): {time.perf_counter() - t0:.1f} s")
    csv: dict[Report, bytes] = {}
    for report in Report:
        t0 = time.perf_counter()
        frame = duck.run(store, report)
        csv[report] = report_csv(frame)
        print(f"duckdb {report.value:<18} {time.perf_counter() - t0:8.2f} s  {frame.height:>7,} rows")
    store.close()
    from pipelines import spark_reports

    t0 = time.perf_counter()
    spark = spark_reports.session(args.master)
    print(f"spark session start ({args.master}): {time.perf_counter() - t0:.1f} s")
    for report in Report:
        t0 = time.perf_counter()
        frame = spark_reports.run(spark, lake, report)
        same = report_csv(frame) == csv[report]
        print(f"spark  {report.value:<18} {time.perf_counter() - t0:8.2f} s  identical CSV: {same}")
    spark.stop()
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
