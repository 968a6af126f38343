"""The data lake export: `calls` and `call_flow` as Hive-partitioned Parquet by call date.

`out_dir/calls/call_date=2026-10-05/*.parquet` and `out_dir/call_flow/call_date=.../*.parquet`;
a call's flow sits in its call's partition. `call_date` is the date of the call's start in
UTC, like every time in the files (docs/SCHEMA.md). Columns and types are the analyst
views' - VARCHAR, INTEGER, SMALLINT, BOOLEAN and TIMESTAMP (microseconds, no time zone) -
so DuckDB, polars and Apache Spark read the directories as they are.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fvkit.store import Store
from fvkit.store.lake import PARTITION, write_partitioned

#: the exported views, each a directory of out_dir
TABLES = ("calls", "call_flow")
_STAGING = ".fvkit-lake-staging"


@dataclass(frozen=True, slots=True)
class Partition:
    """One call date of the export."""

    call_date: date
    calls: int
    flow_events: int


@dataclass(frozen=True, slots=True)
class LakeSummary:
    """What an export wrote."""

    out_dir: Path
    partitions: tuple[Partition, ...]

    @property
    def calls(self) -> int:
        return sum(p.calls for p in self.partitions)

    @property
    def flow_events(self) -> int:
        return sum(p.flow_events for p in self.partitions)


def _ours(path: Path) -> bool:
    """Whether a directory holds nothing but partitions of an earlier export."""
    return all(p.is_dir() and p.name.startswith(f"{PARTITION}=") for p in path.iterdir())


def export_lake(store: Store, out_dir: Path) -> LakeSummary:
    """Write `calls` and `call_flow` under out_dir, replacing an earlier export there.

    The new export is written beside the old one and swapped in, so a failure leaves the
    previous export whole. Refuses (ValueError) to replace an out_dir/calls or
    out_dir/call_flow that holds anything but `call_date=` partitions.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        target = out_dir / name
        if target.exists() and not (target.is_dir() and _ours(target)):
            raise ValueError(f"{target} is not an earlier lake export (only {PARTITION}=... folders); not replacing it")
    staging = out_dir / _STAGING
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        counts = write_partitioned(store, staging / "calls", staging / "call_flow")
        for name in TABLES:
            (staging / name).mkdir(exist_ok=True)  # an empty store writes no partition
            if (out_dir / name).exists():
                shutil.rmtree(out_dir / name)
            (staging / name).rename(out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    partitions = tuple(
        Partition(call_date=row[PARTITION], calls=row["calls"], flow_events=row["flow_events"])
        for row in counts.to_pylist()
    )
    return LakeSummary(out_dir=out_dir, partitions=partitions)
