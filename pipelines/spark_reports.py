"""The organisation reports on Apache Spark, over the lake (ANL-4): the same SQL text the store runs.

The only module that imports pyspark (an import-linter contract), lazily, so the portal and the
CLI start without the optional `[spark]` extra. Local mode by default; `master` points it at a
cluster (e.g. `spark://host:7077`), whose workers must see the lake's folder at the same path.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from fvkit.domain.reports import Report
from fvkit.store.reports import DATA_RANGE, finish, render, resolve_period

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: the lake tables the reports read
TABLES = ("calls", "call_history", "extensions", "organisation_info")
DEFAULT_MASTER = "local[2]"


class SparkMissing(RuntimeError):
    """pyspark is not installed (it is the optional `[spark]` extra)."""


def session(master: str = DEFAULT_MASTER) -> SparkSession:
    """Start (or reuse) a Spark session whose clock is UTC, as the lake's instants are."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkMissing('Spark reports need pyspark: pip install -e ".[spark]" (and a Java 17 runtime)') from exc
    builder: Any = SparkSession.builder
    spark: SparkSession = (
        builder.master(master)
        .appName("fvkit-reports")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def register_lake(spark: SparkSession, lake: Path) -> str:
    """Make the lake's tables Spark views; return the organisation's time zone."""
    missing = [t for t in TABLES if not (lake / t).is_dir()]
    if missing:
        raise ValueError(f"{lake} is not an fvkit lake (no {', '.join(missing)}); run `fvkit lake export` first")
    for name in TABLES:
        spark.read.parquet(str(lake / name)).createOrReplaceTempView(name)
    rows = spark.sql("SELECT time_zone FROM organisation_info").collect()
    if not rows:
        raise ValueError(f"{lake} holds no organisation")
    return str(rows[0][0])


def run(
    spark: SparkSession, lake: Path, report: Report, first: date | None = None, last: date | None = None
) -> pl.DataFrame:
    """Run a report with Spark over the lake and return its finished rows (as the store's `run` does)."""
    zone = register_lake(spark, lake)
    lo, hi = spark.sql(DATA_RANGE).collect()[0]
    period = resolve_period(first, last, (lo, hi))
    raw = spark.sql(render(report, period, zone, engine="spark")).toArrow()
    return finish(report, raw, period)
