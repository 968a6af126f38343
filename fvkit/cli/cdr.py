"""`fvkit cdr`: Exchange call detail records with Asterisk's Master.csv format."""

from __future__ import annotations

from pathlib import Path

import click

from fvkit.cli.options import db_option, open_store
from pipelines.asterisk import NotMasterCsv, export_master_csv, import_master_csv


@click.group(name="cdr")
def group() -> None:
    """Exchange call detail records with Asterisk's Master.csv format."""


@group.command(name="export-asterisk")
@db_option()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Master.csv to write."
)
@click.option("--utc", is_flag=True, help="Write times in UTC (cdr.conf usegmtime=yes), not the organisation's zone.")
def export_asterisk(db: str, output: Path, utc: bool) -> None:
    """Write every call as Asterisk's Master.csv (cdr_csv format, 18 columns, no header)."""
    store = open_store(db, read_only=True)
    try:
        written = export_master_csv(store, output, utc=utc)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"{written} calls written to {output}")


@group.command(name="import-asterisk")
@db_option()
@click.option("--utc", is_flag=True, help="Read times as UTC (cdr.conf usegmtime=yes), not the organisation's zone.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_asterisk(db: str, utc: bool, file: Path) -> None:
    """Import an Asterisk Master.csv; calls already present (same uniqueid) are skipped."""
    store = open_store(db)
    try:
        result = import_master_csv(store, file, utc=utc)
    except (NotMasterCsv, LookupError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(result.summary())
    for bad in result.bad:
        click.echo(f"line {bad.line}: {bad.reason}")
