"""UTC and local time: the one place a stored time meets a user's time zone (PREF-5).

The store keeps every time as naive UTC; a user enters and reads times in their IANA zone.
These functions convert between the two and nothing else: they never read the wall clock
(time is an argument, STYLE.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo


@cache
def zone(name: str) -> ZoneInfo:
    """Return the IANA zone of that name (cached: a zone is parsed once per process)."""
    return ZoneInfo(name)


def aware_local(utc: datetime, tz: str) -> datetime:
    """Return a naive UTC time as an aware time in `tz`."""
    return utc.replace(tzinfo=UTC).astimezone(zone(tz))


def to_local(utc: datetime, tz: str) -> datetime:
    """Return a naive UTC time as the naive wall-clock time `tz` shows."""
    return aware_local(utc, tz).replace(tzinfo=None)


def to_utc(local: datetime, tz: str) -> datetime:
    """Return a naive wall-clock time in `tz` as naive UTC."""
    return local.replace(tzinfo=zone(tz)).astimezone(UTC).replace(tzinfo=None)


def local_date(utc: datetime, tz: str) -> date:
    """Return the day a naive UTC time falls on in `tz`."""
    return aware_local(utc, tz).date()


def local_midnight(day: date, tz: str) -> datetime:
    """Return the start of a local day in `tz`, as naive UTC."""
    return to_utc(datetime.combine(day, time(0)), tz)
