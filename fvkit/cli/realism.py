"""`fvkit realism`: print each realism statistic of a database against its band (SIM-8)."""

from __future__ import annotations

import click

from fvkit.cli.options import db_option, open_store
from fvkit.sim.realism import as_table, realism


@click.command(name="realism")
@db_option()
@click.option("--strict", is_flag=True, help="Exit with status 1 when a statistic falls outside its band.")
def command(db: str, strict: bool) -> None:
    """Print each statistic, the band it must fall in, the value measured and its source."""
    store = open_store(db, read_only=True)
    try:
        rows = realism(store)
    finally:
        store.close()
    click.echo(as_table(rows))
    inside = sum(r.ok for r in rows)
    click.echo(f"{inside} of {len(rows)} statistics inside their bands")
    if strict and inside < len(rows):
        raise SystemExit(1)
