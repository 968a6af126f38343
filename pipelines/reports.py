"""Organisation reports as CSV files (ANL-3): the same bytes whichever engine computed the rows."""

from __future__ import annotations

import io

import polars as pl

from pipelines.csv_safe import safe_frame

#: how report times are written: the organisation's wall clock, to the second
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def report_csv(frame: pl.DataFrame) -> bytes:
    """Return a finished report as injection-safe UTF-8 CSV (no BOM: analysts' tools read it as is)."""
    buffer = io.BytesIO()
    safe_frame(frame).write_csv(buffer, datetime_format=DATETIME_FORMAT, float_precision=None)
    return buffer.getvalue()


def file_name(report: str, first: str, last: str) -> str:
    """A download's file name, e.g. `hourly_2026-10-01_2026-10-31.csv`."""
    return f"{report}_{first}_{last}.csv"
