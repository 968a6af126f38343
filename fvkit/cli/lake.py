"""`fvkit lake`: Export calls and call flow as Hive-partitioned Parquet."""

from __future__ import annotations

from pathlib import Path

import click

from fvkit.cli.options import db_option, open_store
from pipelines.lake import export_lake


@click.group(name="lake")
def group() -> None:
    """Export calls and call flow as Hive-partitioned Parquet."""


@group.command(name="export")
@db_option()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Directory to write.")
def export(db: str, out: Path) -> None:
    """Write calls and call_flow as Parquet partitioned by call date (UTC), replacing an earlier export."""
    store = open_store(db, read_only=True)
    try:
        summary = export_lake(store, out)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    for p in summary.partitions:
        click.echo(f"call_date={p.call_date:%Y-%m-%d}  calls {p.calls:>7,}  flow events {p.flow_events:>8,}")
    click.echo(
        f"{len(summary.partitions)} partitions, {summary.calls:,} calls, {summary.flow_events:,} flow events "
        f"in {out / 'calls'} and {out / 'call_flow'}"
    )
