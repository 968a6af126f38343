"""The lake v2 (ANL-2): every analyst view as Parquet, calls by local date, UTC instants, incremental."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from fvkit.sim.live import Behaviour, place_call
from fvkit.sim.run import Options, simulate
from fvkit.store.db import Store
from pipelines.lake import MANIFEST, TABLES, LakeSummary, export_lake

START = datetime(2026, 10, 5, 7)
ROOT = Path(__file__).resolve().parents[2]
PARTITIONED = ("calls", "call_history", "call_flow")
ORDER = {
    "calls": ["uniqueid"],
    "call_history": ["owner", "uniqueid"],
    "call_flow": ["linkedid", "seq"],
    "voicemails": ["id"],
    "recordings": ["id"],
    "faxes": ["id"],
    "extensions": ["number"],
    "organisation_info": ["name"],
}
HIVE = ds.partitioning(pa.schema([("call_date", pa.date32())]), flavor="hive")


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


def _glob(out: Path, view: str) -> str:
    return str(out / view / "**" / "*.parquet") if view in PARTITIONED else str(out / view / "*.parquet")


def _expected(store: Store, view: str) -> pl.DataFrame:
    """The view as the store holds it, with naive-UTC times made UTC instants (an independent conversion)."""
    frame = pl.from_arrow(store.arrow(f"SELECT * FROM {view}"))
    assert isinstance(frame, pl.DataFrame)
    utc = [c for c, t in frame.schema.items() if t == pl.Datetime("us") and c != "start_local"]
    return frame.with_columns(pl.col(c).dt.replace_time_zone("UTC") for c in utc).sort(ORDER[view])


def _by_duckdb(out: Path, view: str) -> pl.DataFrame:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    hive = ", hive_partitioning = true" if view in PARTITIONED else ""
    frame: pl.DataFrame = con.sql(f"SELECT * FROM read_parquet('{_glob(out, view)}'{hive})").pl()
    return frame.sort(ORDER[view])


def _by_polars(out: Path, view: str) -> pl.DataFrame:
    return pl.scan_parquet(_glob(out, view), hive_partitioning=view in PARTITIONED).collect().sort(ORDER[view])


def _by_pyarrow(out: Path, view: str) -> pl.DataFrame:
    table = ds.dataset(out / view, format="parquet", partitioning=HIVE if view in PARTITIONED else None).to_table()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.sort(ORDER[view])


@pytest.mark.req("ANL-2")
def test_export_lake_writes_every_analyst_view_with_a_manifest(store: Store, lake: tuple[Path, LakeSummary]) -> None:
    out, summary = lake
    assert sorted(p.name for p in out.iterdir()) == sorted([*TABLES, MANIFEST, "README.md"])
    assert set(TABLES) == {
        "calls",
        "call_history",
        "call_flow",
        "voicemails",
        "recordings",
        "faxes",
        "extensions",
        "organisation_info",
    }
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["time_zone"] == "America/Los_Angeles"
    for view in TABLES:
        count = store.execute(f"SELECT count(*) FROM {view}").fetchall()[0][0]
        assert manifest["tables"][view]["rows"] == count > 0, view
        columns = [c for (c,) in store.execute(f"SELECT column_name FROM (DESCRIBE {view})").fetchall()]
        assert [c["name"] for c in manifest["tables"][view]["columns"]] == columns
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "| `faxes` |" in readme and "call_date=YYYY-MM-DD" in readme
    assert summary.calls == manifest["tables"]["calls"]["rows"]


@pytest.mark.req("ANL-2")
def test_export_lake_partitions_calls_by_the_organisations_local_date(
    store: Store, lake: tuple[Path, LakeSummary]
) -> None:
    out, _ = lake
    la = ZoneInfo("America/Los_Angeles")
    starts = [r[0] for r in store.execute("SELECT start FROM calls").fetchall()]
    local_days = sorted({s.replace(tzinfo=ZoneInfo("UTC")).astimezone(la).date() for s in starts})
    utc_days = sorted({s.date() for s in starts})
    assert local_days != utc_days  # evening calls fall on the next UTC day: the test can tell them apart
    for view in PARTITIONED:
        assert sorted(p.name for p in (out / view).iterdir()) == [f"call_date={d:%Y-%m-%d}" for d in local_days]
    back = _by_polars(out, "calls")
    assert back.schema["call_date"] == pl.Date
    assert (back["call_date"] == back["local_date"]).all()
    # a call's history rows and flow sit in its call's folder
    calls = back.select("linkedid", "call_date")
    for view in ("call_history", "call_flow"):
        joined = _by_polars(out, view).join(calls, on="linkedid", suffix="_call")
        assert joined.height == _by_polars(out, view).height
        assert (joined["call_date"] == joined["call_date_call"]).all()


@pytest.mark.req("ANL-2")
@pytest.mark.parametrize("view", ORDER)
def test_export_lake_reads_back_identically_in_duckdb_polars_and_pyarrow(
    store: Store, lake: tuple[Path, LakeSummary], view: str
) -> None:
    out, _ = lake
    duck, polars_, arrow = (_by_duckdb(out, view), _by_polars(out, view), _by_pyarrow(out, view))
    if view in PARTITIONED:
        # readers append the folder's column at the end; all three type it as a date
        assert polars_.schema["call_date"] == duck.schema["call_date"] == arrow.schema["call_date"] == pl.Date
    assert duck.schema == polars_.schema == arrow.schema
    assert_frame_equal(duck, polars_)
    assert_frame_equal(arrow, polars_)
    expected = _expected(store, view)
    assert_frame_equal(polars_.drop("call_date") if view in PARTITIONED else polars_, expected)


@pytest.mark.req("ANL-2")
def test_export_lake_times_are_utc_instants_except_the_wall_clock(lake: tuple[Path, LakeSummary]) -> None:
    out, _ = lake
    schema = pq.read_schema(next((out / "calls").glob("*/*.parquet")))
    assert schema.field("start").type == pa.timestamp("us", tz="UTC")
    assert schema.field("answer").type == pa.timestamp("us", tz="UTC")
    assert schema.field("start_local").type == pa.timestamp("us")
    assert schema.field("local_date").type == pa.date32()
    assert "call_date" not in schema.names  # the folder names carry it
    flow = pq.read_schema(next((out / "call_flow").glob("*/*.parquet")))
    assert flow.field("time").type == pa.timestamp("us", tz="UTC")


@pytest.mark.req("ANL-2")
def test_export_lake_for_one_day_replaces_that_folder_only(db_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db_file, copy)
    store = Store(copy)
    out = tmp_path / "lake"
    first = export_lake(store, out)
    day = date(2026, 10, 6)
    others = {
        p: p.stat().st_mtime_ns
        for view in PARTITIONED
        for p in (out / view).glob("*/*.parquet")
        if p.parent.name != f"call_date={day}"
    }
    before = next(p.calls for p in first.partitions if p.call_date == day)
    place_call(store, "7101", "7102", datetime(2026, 10, 6, 18), behaviour=Behaviour(answers=True))
    place_call(store, "7101", "7103", datetime(2026, 10, 7, 18), behaviour=Behaviour(answers=True))  # not exported

    again = export_lake(store, out, day, day)

    assert [(p.call_date, p.calls) for p in again.partitions] == [(day, before + 1)]
    assert {p: p.stat().st_mtime_ns for p in others} == others  # the other days' files were not touched
    calls = _by_polars(out, "calls")
    assert calls.height == first.calls + 1
    assert calls.filter(pl.col("call_date") == day).height == before + 1
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tables"]["calls"]["rows"] == first.calls + 1
    assert manifest["tables"]["calls"]["partitions"][f"{day}"] == before + 1
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no staging left behind
    store.close()


@pytest.mark.req("ANL-2")
def test_export_lake_will_not_delete_foreign_folders(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "lake"
    (out / "faxes").mkdir(parents=True)
    (out / "faxes" / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(ValueError, match="not an earlier lake export"):
        export_lake(store, out)

    assert (out / "faxes" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "calls").exists()


@pytest.mark.req("ANL-2")
def test_cli_lake_export_prints_call_dates_and_rows(db_file: Path, tmp_path: Path) -> None:
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
    per_day = store.execute("SELECT local_date, count(*) FROM calls GROUP BY 1 ORDER BY 1").fetchall()
    flow = store.execute("SELECT count(*) FROM call_flow").fetchall()[0][0]
    store.close()
    lines = done.stdout.splitlines()
    assert len(lines) == len(per_day) + 1
    for line, (day, calls) in zip(lines, per_day, strict=False):
        assert line.startswith(f"call_date={day:%Y-%m-%d}  calls {calls:>7,}  history rows ")
    total = sum(c for _, c in per_day)
    assert lines[-1] == (
        f"{len(per_day)} call dates, {total:,} calls, {flow:,} flow events; 8 tables in {out} (see {out / 'README.md'})"
    )


RANGE = ("--from", "2026-10-07", "--to", "2026-10-06")


@pytest.mark.req("ANL-2")
def test_cli_lake_export_refuses_a_reversed_range(db_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(db_file, db)
    done = subprocess.run(
        [sys.executable, "-m", "fvkit.cli", "lake", "export", "--db", str(db), "--out", str(tmp_path / "l"), *RANGE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: --from 2026-10-07 is after --to 2026-10-06"
