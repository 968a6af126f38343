"""`fvkit contacts`: Import and export a user's personal contacts as CSV (CT-6, CT-7)."""

from __future__ import annotations

import click


@click.group(name="contacts")
def group() -> None:
    """Import and export a user's personal contacts as CSV (CT-6, CT-7)."""
