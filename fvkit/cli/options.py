"""What every `fvkit` command shares: the --db option, its default, and opening the store.

Command modules import this module, never `fvkit.cli.main` (which imports them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from fvkit.store import DEFAULT_DB, Store, StoreLocked

__all__ = ["DEFAULT_DB", "db_option", "inherited_db_option", "open_store", "opened"]

F = TypeVar("F", bound=Callable[..., Any])


def db_option(help_text: str = "DuckDB file.") -> Callable[[F], F]:
    """Return the `--db PATH` option (default data/fvkit.duckdb)."""
    return click.option("--db", metavar="PATH", default=DEFAULT_DB, show_default=True, help=help_text)


def _inherit(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """Return this command's --db, else its group's (`fvkit users --db X set-password`), else the default."""
    if value is not None:
        return value
    parent = ctx.parent.params.get("db") if ctx.parent is not None else None
    return str(parent) if parent else DEFAULT_DB


def inherited_db_option(help_text: str = "DuckDB file.") -> Callable[[F], F]:
    """Return `--db PATH` for a subcommand whose group also takes --db: either place works."""
    return click.option(
        "--db",
        metavar="PATH",
        default=None,
        callback=_inherit,
        help=f"{help_text}  [default: the group's --db, else {DEFAULT_DB}]",
    )


def open_store(db: str, *, must_exist: bool = True, read_only: bool = False) -> Store:
    """Open the database, or fail in one line: no such file, or another process holds it."""
    if must_exist and not Path(db).exists():
        raise click.ClickException(f"{db} does not exist: build it first with `fvkit simulate --db {db}`")
    try:
        return Store(db, read_only=read_only)
    except StoreLocked as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def opened(
    db: str, *, read_only: bool = False, refused: tuple[type[Exception], ...] = (LookupError,)
) -> Iterator[Store]:
    """Open an existing database for one command and close it; a `refused` error becomes a one-line message."""
    store = open_store(db, read_only=read_only)
    try:
        yield store
    except refused as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
