"""One conversion between stored UTC and a user's wall clock (PREF-5)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fvkit.domain import clock

LA = "America/Los_Angeles"


@pytest.mark.req("PREF-5")
def test_clock_to_local_follows_summer_and_winter_time() -> None:
    assert clock.to_local(datetime(2026, 7, 1, 16, 0), LA) == datetime(2026, 7, 1, 9, 0)  # PDT, UTC-7
    assert clock.to_local(datetime(2026, 12, 1, 17, 0), LA) == datetime(2026, 12, 1, 9, 0)  # PST, UTC-8


@pytest.mark.req("PREF-5")
def test_clock_to_utc_is_the_inverse_of_to_local() -> None:
    for utc in (datetime(2026, 3, 8, 9, 59), datetime(2026, 11, 1, 8, 30), datetime(2026, 6, 15, 23, 5)):
        assert clock.to_utc(clock.to_local(utc, "Europe/Paris"), "Europe/Paris") == utc


@pytest.mark.req("PREF-5")
def test_clock_local_midnight_and_local_date_use_the_users_day() -> None:
    assert clock.local_midnight(date(2026, 7, 1), LA) == datetime(2026, 7, 1, 7, 0)
    assert clock.local_midnight(date(2026, 12, 1), "Asia/Tokyo") == datetime(2026, 11, 30, 15, 0)
    # 03:00 UTC on the 2nd is still the evening of the 1st in Los Angeles
    assert clock.local_date(datetime(2026, 7, 2, 3, 0), LA) == date(2026, 7, 1)


@pytest.mark.req("PREF-5")
def test_clock_aware_local_carries_the_zone_and_offset() -> None:
    shown = clock.aware_local(datetime(2026, 1, 15, 20, 0), LA)
    assert shown.isoformat() == "2026-01-15T12:00:00-08:00"
