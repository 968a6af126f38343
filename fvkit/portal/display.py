"""How the portal shows values: times in the user's time zone (PREF-5), durations as HH:MM:SS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from fvkit.domain.clock import to_local

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # guide p.13: "2021-02-12 13:27:52"


def local_time(t: datetime | None, time_zone: str) -> str:
    """Return a stored UTC time as the user reads it, '' for none."""
    if t is None:
        return ""
    return to_local(t, time_zone).strftime(TIME_FORMAT)


def hms(seconds: int) -> str:
    """Return seconds as HH:MM:SS (guide p.14: "00:00:34")."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def real_duration(seconds: int) -> str:
    """Return the call details' form: "00:00:07 (7 seconds)" (guide p.13)."""
    unit = "second" if seconds == 1 else "seconds"
    return f"{hms(seconds)} ({seconds} {unit})"


def local_times(frame: pl.DataFrame, columns: list[str], time_zone: str) -> pl.DataFrame:
    """Format UTC timestamp columns as local-time text, vectorised ('' for nulls)."""
    return frame.with_columns(
        pl.col(c).dt.replace_time_zone("UTC").dt.convert_time_zone(time_zone).dt.strftime(TIME_FORMAT).fill_null("")
        for c in columns
    )


def durations(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Format integer-second columns as HH:MM:SS text, vectorised."""
    return frame.with_columns(
        pl.format(
            "{}:{}:{}",
            (pl.col(c) // 3600).cast(pl.String).str.zfill(2),
            (pl.col(c) % 3600 // 60).cast(pl.String).str.zfill(2),
            (pl.col(c) % 60).cast(pl.String).str.zfill(2),
        ).alias(c)
        for c in columns
    )


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a screen's list: display-ready rows and the pager's figures."""

    rows: pl.DataFrame
    first: int  # 1-based number of the first row shown, 0 when the list is empty
    last: int
    total: int

    @property
    def label(self) -> str:
        """Return the pager text, e.g. "1-25 of 59" (guide p.14)."""
        return f"{self.first}-{self.last} of {self.total}" if self.total else "0 of 0"


def clamp_page(page: int, size: int, total: int) -> int:
    """Return the page to show: `page` kept between the first and the last one."""
    return min(max(1, page), max(1, -(-total // size)))


def span(page: int, size: int, total: int, shown: int) -> tuple[int, int]:
    """Return the pager's first and last row numbers for a page that shows `shown` rows."""
    if not total:
        return 0, 0
    first = (page - 1) * size + 1
    return first, first + shown - 1
