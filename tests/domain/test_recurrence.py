"""One expander of recurring reminders and conference events (REM-2, CONF-2)."""

from __future__ import annotations

from datetime import datetime

import pytest

from fvkit.domain.limits import MAX_OCCURRENCES
from fvkit.domain.recurrence import expand

LA = "America/Los_Angeles"


@pytest.mark.req("REM-2")
def test_expand_keeps_the_local_time_across_a_dst_change() -> None:
    found = expand(datetime(2026, 10, 30, 16, 0), "FREQ=DAILY;COUNT=5", LA)
    assert found == [
        datetime(2026, 10, 30, 16, 0),
        datetime(2026, 10, 31, 16, 0),
        datetime(2026, 11, 1, 17, 0),  # 09:00 local after summer time ends
        datetime(2026, 11, 2, 17, 0),
        datetime(2026, 11, 3, 17, 0),
    ]


@pytest.mark.req("REM-2")
def test_expand_returns_only_the_window_asked_for() -> None:
    found = expand(datetime(2026, 1, 1, 17, 0), "FREQ=DAILY", LA, datetime(2026, 3, 1), datetime(2026, 3, 4))
    assert found == [datetime(2026, 3, 1, 17, 0), datetime(2026, 3, 2, 17, 0), datetime(2026, 3, 3, 17, 0)]


@pytest.mark.req("REM-2")
def test_expand_reads_until_as_utc_with_or_without_its_z() -> None:
    # a weekly 09:00 (UTC-8) event until 23:59:59 local on Jan 15 = 07:59:59 UTC on Jan 16
    starts = datetime(2026, 1, 1, 17, 0)
    with_z = expand(starts, "FREQ=WEEKLY;UNTIL=20260116T075959Z", LA)
    without = expand(starts, "FREQ=WEEKLY;UNTIL=20260116T075959", LA)
    assert with_z == without == [datetime(2026, 1, 1, 17, 0), datetime(2026, 1, 8, 17, 0), datetime(2026, 1, 15, 17, 0)]


@pytest.mark.req("CONF-2")
def test_expand_of_a_single_event_is_the_event_when_in_the_window() -> None:
    t = datetime(2026, 5, 5, 12, 0)
    assert expand(t, "", LA) == [t]
    assert expand(t, "", LA, datetime(2026, 5, 6), datetime(2026, 5, 7)) == []


@pytest.mark.req("CONF-2")
def test_expand_stops_an_endless_rule_at_max_occurrences() -> None:
    found = expand(datetime(2026, 1, 1, 17, 0), "FREQ=DAILY", LA)
    assert len(found) == MAX_OCCURRENCES
    assert found[-1] == datetime(2027, 1, 1, 17, 0)
