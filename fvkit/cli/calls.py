"""`fvkit calls`: Download a user's call records as CSV (CH-7, CH-8)."""

from __future__ import annotations

from pathlib import Path

import click

from fvkit.cli.options import db_option, open_store
from fvkit.portal.auth import acting_as
from fvkit.portal.call_history import BadSearch, query
from pipelines.call_records import DownloadRefused, download


@click.group(name="calls")
def group() -> None:
    """Download a user's call records as CSV (CH-7, CH-8)."""


@group.command(name="download")
@db_option()
@click.option("--ext", required=True, help="Extension whose call history to download.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="CSV file to write.")
@click.option("--search", default="", help="Download > Search Result for this text; without it, Download > All.")
@click.option("--direction", default=None, help="Internal, Outgoing or Incoming.")
@click.option("--disposition", default=None, help="Answered, Voicemail, No Answer, Busy, ... (guide p.14).")
@click.option("--view", default="All", show_default=True, help="All, Missed, Received or Placed.")
@click.option("--with-call-flow", is_flag=True, help="One row per call-flow event (only with --search).")
def download_cmd(
    db: str,
    ext: str,
    output: str,
    search: str,
    direction: str | None,
    disposition: str | None,
    view: str,
    with_call_flow: bool,
) -> None:
    """Write the first 20,000 calls of an extension's filtered list or search result as CSV (guide p.15)."""
    store = open_store(db, read_only=True)
    try:
        user = acting_as(store, ext)
        q = query(user, view=view, direction=direction, disposition=disposition, search=search)
        result = download(store, user, q, search_result=bool(q.search), with_flow=with_call_flow)
    except (LookupError, BadSearch, DownloadRefused) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    Path(output).write_bytes(result.data)
    click.echo(f"{result.records} records written to {output}")
