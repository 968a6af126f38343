"""The lake export: calls and call flow as Hive-partitioned Parquet that analysts' tools read as-is (NB-2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from fvkit.sim.run import Options, simulate
from fvkit.store.db import Store
from pipelines.lake import LakeSummary, export_lake

START = datetime(2026, 10, 5, 7)
ROOT = Path(__file__).resolve().parents[2]
#: Parquet types Apache Spark reads without conversion (no unsigned, UUID, time zone'd time)
SPARK_SAFE = {pa.string(), pa.int16(), pa.int32(), pa.int64(), pa.bool_(), pa.timestamp("us")}


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three days of a 12-extension organisation."""
    path = tmp_path_factory.mktemp("lake") / "lake.duckdb"
    store = Store(path)
    simulate(store, START, seed=4, extensions=12, password="password1", options=Options(days=3))
    store.close()
    return path


@pytest.fixture
def store(db_file: Path) -> Iterator[Store]:
    db = Store(db_file, read_only=True)
    yield db
    db.close()


@pytest.fixture
def lake(store: Store, tmp_path: Path) -> tuple[Path, LakeSummary]:
    out = tmp_path / "lake"
    return out, export_lake(store, out)


def _store_frame(store: Store, view: str, order: str) -> pl.DataFrame:
    frame = pl.from_arrow(store.arrow(f"SELECT * FROM {view} ORDER BY {order}"))
    assert isinstance(frame, pl.DataFrame)
    return frame


@pytest.mark.req("NB-2")
def test_export_lake_writes_hive_partitions_by_call_date(store: Store, lake: tuple[Path, LakeSummary]) -> None:
    out, summary = lake
    days = [d for (d,) in store.execute("SELECT DISTINCT CAST(start AS DATE) FROM calls ORDER BY 1").fetchall()]
    for name in ("calls", "call_flow"):
        assert sorted(p.name for p in (out / name).iterdir()) == [f"call_date={d:%Y-%m-%d}" for d in days]
        assert all(list(p.glob("*.parquet")) for p in (out / name).iterdir())
    assert [p.call_date for p in summary.partitions] == days
    assert summary.calls == store.execute("SELECT count(*) FROM calls").fetchone()[0]
    assert summary.flow_events == store.execute("SELECT count(*) FROM call_flow").fetchone()[0]
    assert sorted(p.name for p in out.iterdir()) == ["call_flow", "calls"]  # no staging left behind


@pytest.mark.req("NB-2")
def test_export_lake_reads_back_in_duckdb(store: Store, lake: tuple[Path, LakeSummary]) -> None:
    out, _ = lake
    con = duckdb.connect()
    for view, order in (("calls", "uniqueid"), ("call_flow", "linkedid, seq")):
        glob = str(out / view / "**" / "*.parquet")
        back = con.sql(
            f"SELECT * EXCLUDE (call_date) FROM read_parquet(?, hive_partitioning = true) ORDER BY {order}",
            params=[glob],
        ).to_arrow_table()
        assert back == store.arrow(f"SELECT * FROM {view} ORDER BY {order}")
        types = con.sql(
            "SELECT DISTINCT typeof(call_date) FROM read_parquet(?, hive_partitioning = true)", params=[glob]
        )
        assert types.fetchall() == [("DATE",)]
    # a call's flow is in its call's partition
    misplaced = con.sql(
        "SELECT count(*) FROM read_parquet(?, hive_partitioning = true) f "
        "JOIN read_parquet(?, hive_partitioning = true) c USING (linkedid) "
        "WHERE f.call_date <> c.call_date OR c.call_date <> CAST(c.start AS DATE)",
        params=[str(out / "call_flow" / "**" / "*.parquet"), str(out / "calls" / "**" / "*.parquet")],
    ).fetchall()
    assert misplaced == [(0,)]


@pytest.mark.req("NB-2")
def test_export_lake_reads_back_in_polars(store: Store, lake: tuple[Path, LakeSummary]) -> None:
    out, summary = lake
    for view, order in (("calls", ["uniqueid"]), ("call_flow", ["linkedid", "seq"])):
        back = pl.scan_parquet(out / view / "**/*.parquet", hive_partitioning=True).collect()
        assert back.schema["call_date"] == pl.Date
        assert back.height == (summary.calls if view == "calls" else summary.flow_events)
        assert_frame_equal(back.drop("call_date").sort(order), _store_frame(store, view, ", ".join(order)))
    calls = pl.scan_parquet(out / "calls" / "**/*.parquet", hive_partitioning=True)
    one_day = calls.filter(pl.col("call_date") == date(2026, 10, 6)).select(pl.len()).collect().item()
    assert one_day == next(p.calls for p in summary.partitions if p.call_date == date(2026, 10, 6)) > 0


@pytest.mark.req("NB-2")
def test_export_lake_keeps_the_views_types_spark_reads(store: Store, lake: tuple[Path, LakeSummary]) -> None:
    out, _ = lake
    for view in ("calls", "call_flow"):
        schema = pq.read_schema(next((out / view).glob("*/*.parquet")))
        columns = [c for (c,) in store.execute(f"SELECT column_name FROM (DESCRIBE {view})").fetchall()]
        assert schema.names == columns  # the partition column lives in the folder names only
        assert {f.type for f in schema} <= SPARK_SAFE, schema
    calls = pq.read_schema(next((out / "calls").glob("*/*.parquet")))
    assert calls.field("start").type == pa.timestamp("us")
    assert calls.field("duration").type == pa.int32()


@pytest.mark.req("NB-2")
def test_export_lake_replaces_an_earlier_export(store: Store, lake: tuple[Path, LakeSummary]) -> None:
    out, first = lake
    stale = out / "calls" / "call_date=1999-01-01"
    stale.mkdir()
    (stale / "data_0.parquet").write_bytes(b"old")

    again = export_lake(store, out)

    assert again.partitions == first.partitions
    assert not stale.exists()
    assert pl.scan_parquet(out / "calls" / "**/*.parquet").select(pl.len()).collect().item() == first.calls
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no staging left behind


@pytest.mark.req("NB-2")
def test_export_lake_will_not_delete_foreign_folders(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "lake"
    (out / "calls").mkdir(parents=True)
    (out / "calls" / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ValueError, match="not an earlier lake export"):
        export_lake(store, out)

    assert (out / "calls" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "call_flow").exists()


@pytest.mark.req("NB-2")
def test_cli_lake_export_prints_partitions_and_rows(db_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(db_file, db)
    out = tmp_path / "lake"

    done = subprocess.run(
        [sys.executable, "-m", "fvkit.cli", "lake", "export", "--db", str(db), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    store = Store(db, read_only=True)
    per_day = store.execute("SELECT CAST(start AS DATE), count(*) FROM calls GROUP BY 1 ORDER BY 1").fetchall()
    flow = store.execute("SELECT count(*) FROM call_flow").fetchone()[0]
    store.close()
    lines = done.stdout.splitlines()
    assert len(lines) == len(per_day) + 1
    for line, (day, calls) in zip(lines, per_day, strict=False):
        assert line.startswith(f"call_date={day:%Y-%m-%d}  calls {calls:>7,}  flow events ")
    total = sum(c for _, c in per_day)
    assert lines[-1] == (
        f"{len(per_day)} partitions, {total:,} calls, {flow:,} flow events in {out / 'calls'} and {out / 'call_flow'}"
    )
    assert (out / "calls" / f"call_date={per_day[0][0]:%Y-%m-%d}").is_dir()
