"""DuckDB storage: the only package that imports duckdb."""

from fvkit.store.db import DEFAULT_DB, Store, StoreLocked

__all__ = ["DEFAULT_DB", "Store", "StoreLocked"]
