"""`fvkit report`: An organisation report as CSV, by DuckDB on the store or by Spark on the lake (ANL-3/4)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from fvkit.cli.options import DEFAULT_DB, open_store
from fvkit.domain.reports import Report
from fvkit.store import reports
from pipelines.reports import report_csv


@click.command(name="report")
@click.argument("name", type=click.Choice([r.value for r in Report]))
@click.option("--db", metavar="PATH", default=None, help=f"DuckDB file (default {DEFAULT_DB}; the DuckDB engine).")
@click.option("--lake", type=click.Path(file_okay=False, path_type=Path), help="Lake folder (the Spark engine).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True)
@click.option("--master", default="local[2]", show_default=True, help="Spark master URL, e.g. spark://host:7077.")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First call date (organisation's days).")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Last call date (inclusive).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="CSV file (default: stdout).")
def group(
    name: str,
    db: str | None,
    lake: Path | None,
    engine: str,
    master: str,
    first: datetime | None,
    last: datetime | None,
    output: Path | None,
) -> None:
    """Compute report NAME for --from..--to (all calls when omitted) and write it as CSV."""
    report = Report(name)
    start, stop = (first.date() if first else None), (last.date() if last else None)
    try:
        if engine == "spark":
            if lake is None or db is not None:
                raise click.UsageError("--engine spark reads a lake: give --lake DIR (and no --db)")
            from pipelines import spark_reports

            frame = spark_reports.run(spark_reports.session(master), lake, report, start, stop)
        else:
            if lake is not None:
                raise click.UsageError("--lake needs --engine spark; DuckDB reads the store (--db)")
            store = open_store(db or DEFAULT_DB, read_only=True)
            try:
                frame = reports.run(store, report, start, stop)
            finally:
                store.close()
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    data = report_csv(frame)
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    click.echo(f"{report.value}: {frame.height} rows written to {output}", err=True)
