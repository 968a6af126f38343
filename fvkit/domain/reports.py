"""The organisation reports (ANL-3): their names, periods, and the figures derived from a report's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from fvkit.domain.clock import local_midnight
from fvkit.domain.erlang import lines_for

#: blocking the concurrency report sizes trunk lines for (the usual grade of service)
TARGET_BLOCKING = 0.01


class Report(StrEnum):
    """The reports, named as the CLI and the Reports screen name them."""

    EXTENSION_SUMMARY = "extension-summary"
    HOURLY = "hourly"
    CONCURRENCY = "concurrency"
    MISSED_CALLERS = "missed-callers"

    @property
    def file_stem(self) -> str:
        """The SQL file's name without `.sql` (one definition per report)."""
        return self.value.replace("-", "_")


TITLES = {
    Report.EXTENSION_SUMMARY: "Extension summary",
    Report.HOURLY: "Calls by hour and weekday",
    Report.CONCURRENCY: "Concurrent calls and trunk lines",
    Report.MISSED_CALLERS: "Missed and repeat callers",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Period:
    """Call dates first..last inclusive, in the organisation's time zone."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError(f"the period starts ({self.first}) after it ends ({self.last})")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> Period:
        """The comparison period: as many days, just before this one."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def utc_bounds(self, time_zone: str) -> tuple[datetime, datetime]:
        """Naive UTC instants [start, end) of the period's local days."""
        return local_midnight(self.first, time_zone), local_midnight(self.last + timedelta(days=1), time_zone)


def slot_start(slot: int) -> datetime:
    """The local wall-clock start of a concurrency slot (hours since 1970-01-01 00:00)."""
    return datetime(1970, 1, 1) + timedelta(hours=slot)


def lines_needed(trunk_seconds: int, seconds: int = 3600) -> int:
    """Trunk lines that carry `trunk_seconds` of calls offered over `seconds` at 1% blocking (Erlang B)."""
    return lines_for(trunk_seconds / seconds, TARGET_BLOCKING)


def change_pct(now: int, before: int) -> float | None:
    """Percent change from the comparison period; None when it had nothing."""
    return None if before == 0 else round((now - before) * 100 / before, 1)
