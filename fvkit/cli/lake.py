"""`fvkit lake`: Export calls and call flow as Hive-partitioned Parquet."""

from __future__ import annotations

import click


@click.group(name="lake")
def group() -> None:
    """Export calls and call flow as Hive-partitioned Parquet."""
