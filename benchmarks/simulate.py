"""Simulate 1,000,000 calls into a fresh database, against DuckDB's plain insert of the same rows.

Run: .venv/bin/python benchmarks/simulate.py [--calls N]. The last line reads `ratio: X.XX`
(simulate time / plain insert time); target <= 3 (issue 9, P1).
The plain insert writes every row the simulation wrote: the five call tables and, since schema
v2, each call's `call_summary` row (the simulator's writes derive it in the same transaction).
The ratio against the five call tables alone is printed too, the way it was measured before v2.
The organisation (200 extensions; argon2 hashing of ~550 secrets) is created first and timed
apart: it is a fixed cost, not a per-call one. The simulator's compiled timeline is cached by numba
on first use (beside fvkit/sim/timeline_jit.py); a first run ever also compiles it (~2.5 s).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from fvkit.sim.run import CALL_TABLES, Options, calls_per_user_day_for, simulate
from fvkit.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sim.duckdb"
        store = Store(db)
        t0 = time.perf_counter()
        simulate(store, datetime(2026, 1, 1, 8), seed=7, extensions=200, options=Options(days=0.0))
        org_s = time.perf_counter() - t0
        days = 365.0
        per_day = calls_per_user_day_for(args.calls, days)
        t0 = time.perf_counter()
        summary = simulate(
            store,
            datetime(2026, 1, 1, 8),
            seed=7,
            options=Options(days=days, calls_per_user_day=per_day, chunk_days=31),
        )
        sim_s = time.perf_counter() - t0
        rows = {name: store.arrow(f"SELECT * FROM {name}") for name in (*CALL_TABLES, "call_summary")}
        store.close()
        n_rows = {k: v.num_rows for k, v in rows.items()}

        plain = duckdb.connect(str(Path(tmp) / "plain.duckdb"))
        for name, table in rows.items():  # same columns and types, no constraints
            plain.register("src", table)
            plain.execute(f"CREATE TABLE {name} AS SELECT * FROM src LIMIT 0")
            plain.unregister("src")
        calls_s = 0.0
        t0 = time.perf_counter()
        for name, table in rows.items():
            if name == "call_summary":
                plain.execute("CHECKPOINT")
                calls_s = time.perf_counter() - t0  # the five call tables, as before schema v2
            plain.register("src", table)
            plain.execute(f"INSERT INTO {name} SELECT * FROM src")
            plain.unregister("src")
        plain.execute("CHECKPOINT")
        plain_s = time.perf_counter() - t0
        plain.close()
    print(f"organisation (200 extensions, not in the ratio): {org_s:.2f} s")
    print(f"simulated calls: {summary.calls:,}  rows: {n_rows}")
    print(f"simulate: {sim_s:.2f} s ({summary.calls / sim_s:,.0f} calls/s)")
    print(f"plain insert of the five call tables from Arrow: {calls_s:.2f} s (ratio {sim_s / calls_s:.2f})")
    print(f"plain insert of the same rows from Arrow (call tables and call_summary): {plain_s:.2f} s")
    print(f"ratio: {sim_s / plain_s:.2f}")


if __name__ == "__main__":
    main()
