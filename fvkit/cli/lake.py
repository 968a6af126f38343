"""`fvkit lake`: Export every analyst view as Parquet, calls partitioned by local call date."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from fvkit.cli.options import db_option, open_store
from pipelines.lake import export_lake


@click.group(name="lake")
def group() -> None:
    """Export every analyst view as Parquet, calls partitioned by local call date."""


@group.command(name="export")
@db_option()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Directory to write.")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First call date to (re)write.")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Last call date to (re)write.")
def export(db: str, out: Path, first: datetime | None, last: datetime | None) -> None:
    """Write the lake; with --from/--to, replace only those call dates (the organisation's days)."""
    store = open_store(db, read_only=True)
    try:
        summary = export_lake(store, out, first.date() if first else None, last.date() if last else None)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    for p in summary.partitions:
        click.echo(
            f"call_date={p.call_date:%Y-%m-%d}  calls {p.calls:>7,}  history rows {p.call_history:>7,}  "
            f"flow events {p.flow_events:>8,}"
        )
    click.echo(
        f"{len(summary.partitions)} call dates, {summary.calls:,} calls, {summary.flow_events:,} flow events; "
        f"{len(summary.tables)} tables in {out} (see {out / 'README.md'})"
    )
