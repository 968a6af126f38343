"""Each report by DuckDB on the store and by Spark on the lake gives identical CSVs (ANL-4). One Spark session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from fvkit.domain.reports import Report
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from fvkit.store import reports as duck
from pipelines.lake import export_lake
from pipelines.reports import report_csv

pytest.importorskip("pyspark", reason="the [spark] extra (make test installs it)")
from pipelines import spark_reports

pytestmark = pytest.mark.spark
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Two weeks of a 12-extension organisation, as a store and as its lake."""
    folder = tmp_path_factory.mktemp("spark")
    db = folder / "store.duckdb"
    store = Store(db)
    simulate(store, datetime(2026, 10, 5, 7), seed=6, extensions=12, password="password1", options=Options(days=14))
    export_lake(store, folder / "lake")
    store.close()
    yield db, folder / "lake"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_reports.session("local[2]")
    yield session
    session.stop()


@pytest.mark.req("ANL-4")
@pytest.mark.parametrize(
    ("report", "period"),
    [(r, (None, None)) for r in Report] + [(Report.HOURLY, (date(2026, 10, 12), date(2026, 10, 18)))],
    ids=[r.value for r in Report] + ["hourly-week-vs-week-before"],
)
def test_report_by_spark_on_the_lake_is_identical_to_duckdb_on_the_store(
    built: tuple[Path, Path], spark: Any, report: Report, period: tuple[date | None, date | None]
) -> None:
    db, lake = built
    store = Store(db, read_only=True)
    try:
        by_duckdb = report_csv(duck.run(store, report, *period))
    finally:
        store.close()
    by_spark = report_csv(spark_reports.run(spark, lake, report, *period))
    assert by_spark == by_duckdb
    assert by_duckdb.count(b"\n") > 5  # a header and real rows, not two empty files


@pytest.mark.req("ANL-4")
def test_spark_session_clock_is_utc(spark: Any) -> None:
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"


@pytest.mark.req("ANL-4")
def test_spark_refuses_a_folder_that_is_not_a_lake(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is not an fvkit lake"):
        spark_reports.run(spark, tmp_path, Report.HOURLY)


@pytest.mark.req("ANL-4")
def test_cli_report_writes_the_same_csv_by_either_engine(built: tuple[Path, Path], tmp_path: Path) -> None:
    db, lake = built
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    out_duck, out_spark = tmp_path / "duck.csv", tmp_path / "spark.csv"
    base = [sys.executable, "-m", "fvkit.cli", "report", "missed-callers", "--from", "2026-10-12", "--to", "2026-10-18"]
    done = subprocess.run(
        [*base, "--db", str(copy), "-o", str(out_duck)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("missed-callers: ") and done.stderr.strip().endswith(f"rows written to {out_duck}")
    done = subprocess.run(
        [*base, "--lake", str(lake), "--engine", "spark", "--master", "local[1]", "-o", str(out_spark)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert out_spark.read_bytes() == out_duck.read_bytes()
    assert out_duck.read_text(encoding="utf-8").splitlines()[0].startswith("number,name,calls,missed_calls")
