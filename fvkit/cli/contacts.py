"""`fvkit contacts`: Import and export a user's personal contacts as CSV (CT-6, CT-7)."""

from __future__ import annotations

import click

from fvkit.cli.options import db_option, open_store
from fvkit.portal import contact
from fvkit.portal.auth import PermissionDenied, User, acting_as
from fvkit.store import Store
from pipelines import contacts
from pipelines.contacts_csv import FIELD_NAMES, MAX_IMPORT_BYTES


@click.group(name="contacts")
def group() -> None:
    """Import and export a user's personal contacts as CSV (CT-6, CT-7)."""


def _store_and_user(db: str, ext: str) -> tuple[Store, User]:
    store = open_store(db)
    try:
        return store, acting_as(store, ext)
    except LookupError as exc:
        store.close()
        raise click.ClickException(f"no extension {ext} in {db}") from exc


def _choices(pairs: tuple[str, ...]) -> dict[str, str]:
    choices: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or name.strip().casefold() not in FIELD_NAMES:
            raise click.BadParameter(
                f"{pair!r}: write FIELD=COLUMN with FIELD one of {', '.join(FIELD_NAMES)}", param_hint="--map"
            )
        choices[name.strip().casefold()] = column
    return choices


@group.command(name="import")
@db_option()
@click.option("--ext", required=True, help="Extension whose personal contacts to import into.")
@click.option("--keep-existing", is_flag=True, help="Keep the current contacts (default: delete them first).")
@click.option("--include-first-line", is_flag=True, help="Import the first line too (default: skip it as headers).")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Take FIELD (main, name, mobile, home, email, description, favorite) from COLUMN, a header name "
    "or a 1-based column number; overrides the mapping the header suggests. Repeatable.",
)
@click.option("--region", default="US", show_default=True, help="Country of numbers written without a country code.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
def import_cmd(
    db: str,
    ext: str,
    keep_existing: bool,
    include_first_line: bool,
    mapping: tuple[str, ...],
    region: str,
    file: str,
) -> None:
    """Import FILE (CSV) into an extension's personal contacts; print "N of M imported"."""
    choices = _choices(mapping)
    with click.open_file(file, "rb") as handle:
        data = handle.read(MAX_IMPORT_BYTES + 1)  # enough to tell that a file is too large
    store, user = _store_and_user(db, ext)
    try:
        report = contacts.import_contacts(
            store,
            user,
            data,
            mapping=choices or None,
            delete_existing=not keep_existing,
            skip_first_line=not include_first_line,
            region=region,
        )
    except (contacts.ImportRefused, PermissionDenied) as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    finally:
        store.close()
    click.echo(report.message)
    for row in report.skipped:
        click.echo(str(row))
    for note in report.notes:
        click.echo(f"note: {note}")


@group.command(name="export")
@db_option()
@click.option("--ext", required=True, help="Extension whose personal contacts to export.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True), help="CSV file; - for stdout."
)
def export_cmd(db: str, ext: str, output: str) -> None:
    """Export an extension's personal contacts as CSV (UTF-8 with BOM, spreadsheet-safe)."""
    store, user = _store_and_user(db, ext)
    try:
        data = contacts.export_contacts(store, user)
        count = contact.contact_count(store, user)
    except PermissionDenied as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    with click.open_file(output, "wb") as handle:
        handle.write(data)
    if output != "-":
        click.echo(f"{count} contacts written to {output}")
