"""`fvkit calls`: Download a user's call records as CSV (CH-7, CH-8)."""

from __future__ import annotations

import click


@click.group(name="calls")
def group() -> None:
    """Download a user's call records as CSV (CH-7, CH-8)."""
