"""CSV that is safe to open in a spreadsheet: no cell can run as a formula (OWASP CSV injection).

A cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is written with a leading
single quote, which spreadsheets show as text - unless the cell is a plain phone number
such as `+1 408 555 0100`, which cannot execute and must stay usable. Reading our own files
back removes the quote again, so an export re-imports losslessly.
"""

from __future__ import annotations

import io
import re

import polars as pl

#: what a spreadsheet may take for the start of a formula (OWASP)
FORMULA_START = r"^[=+\-@\t\r]"
#: a phone number: digits with the usual separators, maybe a leading +
PHONE_NUMBER = r"^\+?[0-9][0-9 ().\-]*$"
_FORMULA = re.compile(FORMULA_START)
_PHONE = re.compile(PHONE_NUMBER)
QUOTE = "'"


def restore_cell(value: str) -> str:
    """Undo `safe_frame`'s quote on a value read back from one of our CSV files."""
    if value.startswith(QUOTE) and _FORMULA.match(value[1:]) and not _PHONE.match(value[1:]):
        return value[1:]
    return value


def safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Quote every text cell a spreadsheet would run as a formula (phone numbers stay as they are)."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START) & ~pl.col(name).str.contains(PHONE_NUMBER))
        .then(pl.lit(QUOTE) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def frame_csv(frame: pl.DataFrame) -> bytes:
    """Return a frame as injection-safe CSV bytes: UTF-8 with a BOM (Excel reads it as UTF-8)."""
    buffer = io.BytesIO()  # straight to bytes: no 50 MB str to encode again
    safe_frame(frame).write_csv(buffer, include_bom=True)
    return buffer.getvalue()
