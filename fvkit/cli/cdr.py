"""`fvkit cdr`: Exchange call detail records with Asterisk's Master.csv format."""

from __future__ import annotations

import click


@click.group(name="cdr")
def group() -> None:
    """Exchange call detail records with Asterisk's Master.csv format."""
