"""DuckDB storage: the only package that imports duckdb."""

from fvkit.store.db import Store, StoreLocked

__all__ = ["Store", "StoreLocked"]
