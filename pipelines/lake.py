"""The data lake: every analyst view as Parquet, calls and their rows partitioned by local call date.

```
out_dir/
  _manifest.json  README.md                      what each table is, its columns, rows per date
  calls/call_date=2026-10-05/data_0.parquet      one folder per call date (the organisation's day)
  call_history/call_date=.../  call_flow/call_date=.../
  voicemails/ recordings/ faxes/ extensions/ organisation_info/   data_0.parquet, rewritten each time
```
`call_date` is a call's date in the organisation's time zone (`calls.local_date`), the same
for the call, its history rows and its flow; readers type the folder value as a DATE (DuckDB
with `hive_partitioning`, polars, Spark; pyarrow when given the partitioning schema). Times
are UTC instants (Parquet `isAdjustedToUTC`: DuckDB TIMESTAMPTZ, polars Datetime("us", "UTC"),
Spark TIMESTAMP) except `start_local`, the wall clock of the owner/organisation. An export
for a date range replaces only those dates' folders; every export rewrites the small tables.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fvkit.store import Store
from fvkit.store.lake import (
    PARTITION,
    PARTITIONED,
    WHOLE,
    lake_partition_counts,
    lake_row_count,
    time_zone,
    view_schema,
    write_views,
)

#: every table of the lake, each a folder of out_dir
TABLES = (*PARTITIONED, *WHOLE)
MANIFEST = "_manifest.json"
README = "README.md"
_STAGING = ".fvkit-lake-staging"
LAKE_VERSION = 2

#: what each table is (docs/SCHEMA.md has every column)
DESCRIPTIONS = {
    "calls": "One row per call: the organisation-wide call log, analyst schema v2.",
    "call_history": "One row per call and owning extension: what each user's Call History lists.",
    "call_flow": "The call-flow events of each call, in FortiVoice's wording (join on linkedid).",
    "voicemails": "Voicemail messages, per mailbox.",
    "recordings": "Personal call recordings (*30).",
    "faxes": "Faxes, per mailbox (Inbox and Sent).",
    "extensions": "The organisation's directory, without secrets.",
    "organisation_info": "The organisation (one row): name, time zone, operator, trunk lines.",
}


@dataclass(frozen=True, slots=True)
class Partition:
    """One call date the export wrote."""

    call_date: date
    calls: int
    call_history: int
    flow_events: int


@dataclass(frozen=True, slots=True)
class LakeSummary:
    """What an export wrote."""

    out_dir: Path
    partitions: tuple[Partition, ...]
    tables: tuple[str, ...] = TABLES

    @property
    def calls(self) -> int:
        return sum(p.calls for p in self.partitions)

    @property
    def flow_events(self) -> int:
        return sum(p.flow_events for p in self.partitions)


def _ours(path: Path, partitioned: bool) -> bool:
    """Whether a folder holds nothing but what an earlier export writes there."""
    if partitioned:
        return all(p.is_dir() and p.name.startswith(f"{PARTITION}=") for p in path.iterdir())
    return all(p.is_file() and p.suffix == ".parquet" for p in path.iterdir())


def _check(out_dir: Path) -> None:
    for name in TABLES:
        target = out_dir / name
        if target.exists() and not (target.is_dir() and _ours(target, name in PARTITIONED)):
            raise ValueError(f"{target} is not an earlier lake export (only lake files); not replacing it")
    for name in (MANIFEST, README):
        target = out_dir / name
        if target.exists() and not (out_dir / "calls").is_dir():
            raise ValueError(f"{target} exists but {out_dir} holds no earlier lake export; not replacing it")


def export_lake(store: Store, out_dir: Path, first: date | None = None, last: date | None = None) -> LakeSummary:
    """Write every analyst view under out_dir; with first/last, replace only those call dates' folders.

    The export is written beside the lake and swapped in folder by folder, so a failure
    leaves the earlier export whole. Refuses (ValueError) to replace a folder that holds
    anything an export does not write, and a range whose first date is after its last.
    """
    if first is not None and last is not None and first > last:
        raise ValueError(f"--from {first} is after --to {last}")
    out_dir.mkdir(parents=True, exist_ok=True)
    _check(out_dir)
    staging = out_dir / _STAGING
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        counts = write_views(store, staging, first, last)
        for name in PARTITIONED:
            _swap_partitions(staging / name, out_dir / name, first, last)
        for name in WHOLE:
            if (out_dir / name).exists():
                shutil.rmtree(out_dir / name)
            (staging / name).rename(out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    by_date: dict[date, dict[str, int]] = {}
    for row in counts.to_pylist():
        by_date.setdefault(row[PARTITION], {})[row["view"]] = row["rows"]
    partitions = tuple(
        Partition(d, c.get("calls", 0), c.get("call_history", 0), c.get("call_flow", 0))
        for d, c in sorted(by_date.items())
    )
    _write_manifest(store, out_dir)
    return LakeSummary(out_dir=out_dir, partitions=partitions)


def _swap_partitions(new: Path, old: Path, first: date | None, last: date | None) -> None:
    """Move the new call-date folders in; drop the old ones of the exported range (all without one)."""
    old.mkdir(exist_ok=True)
    for folder in old.iterdir():
        day = date.fromisoformat(folder.name.removeprefix(f"{PARTITION}="))
        if (first is None or day >= first) and (last is None or day <= last):
            shutil.rmtree(folder)
    if new.exists():
        for folder in new.iterdir():
            folder.rename(old / folder.name)


def _write_manifest(store: Store, out_dir: Path) -> None:
    """Describe the lake as it now stands: _manifest.json for programs, README.md for people."""
    tables = {}
    for name in TABLES:
        entry: dict[str, object] = {
            "path": f"{name}/",
            "description": DESCRIPTIONS[name],
            "partitioned_by": PARTITION if name in PARTITIONED else None,
            "columns": [{"name": c, "type": t} for c, t in view_schema(store, name)],
        }
        if name in PARTITIONED:
            per_day = lake_partition_counts(store, out_dir, name)
            entry["rows"] = sum(n for _, n in per_day)
            entry["partitions"] = {f"{d:%Y-%m-%d}": n for d, n in per_day}
        else:
            entry["rows"] = lake_row_count(store, out_dir, name)
        tables[name] = entry
    zone = time_zone(store)
    manifest = {
        "lake_version": LAKE_VERSION,
        "schema_version": store.schema_version(),
        "time_zone": zone,
        "partition": {
            "column": PARTITION,
            "type": "DATE",
            "meaning": f"the call's date in the organisation's time zone ({zone}), as calls.local_date",
        },
        "timestamps": "UTC instants (Parquet isAdjustedToUTC), except start_local: wall clock, no zone",
        "tables": tables,
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (out_dir / README).write_text(_readme(manifest), encoding="utf-8")


def _readme(manifest: dict[str, object]) -> str:
    tables = manifest["tables"]
    assert isinstance(tables, dict)
    lines = [
        "# fvkit call lake",
        "",
        f"Exported from an fvkit store (schema version {manifest['schema_version']}). Every table is a folder of",
        "Parquet files; `calls`, `call_history` and `call_flow` have one `call_date=YYYY-MM-DD` folder per",
        f"call date in the organisation's time zone ({manifest['time_zone']}). Times are UTC instants,",
        "except `start_local` (wall clock). Columns: docs/SCHEMA.md of fvkit; `_manifest.json` lists them.",
        "",
        "| table | rows | what it is |",
        "|---|---|---|",
    ]
    for name, entry in tables.items():
        lines.append(f"| `{name}` | {entry['rows']:,} | {entry['description']} |")
    lines += [
        "",
        "Read it:",
        "",
        "```python",
        "duckdb.sql(\"SELECT * FROM read_parquet('LAKE/calls/**/*.parquet', hive_partitioning = true)\")",
        'polars.scan_parquet("LAKE/calls/**/*.parquet", hive_partitioning=True)',
        'pyarrow.dataset.dataset("LAKE/calls", partitioning=pyarrow.dataset.partitioning('
        'pyarrow.schema([("call_date", pyarrow.date32())]), flavor="hive"))',
        'spark.conf.set("spark.sql.session.timeZone", "UTC"); spark.read.parquet("LAKE/calls")',
        "```",
        "",
    ]
    return "\n".join(lines)
