"""Recurring events (reminders REM-1, conferences CONF-2): one expander of RFC 5545 rules.

A rule repeats in its owner's wall clock, so a 09:00 daily reminder stays at 09:00 across a
daylight-saving change. Stored rules carry no DTSTART; their UNTIL is in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import islice

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

from fvkit.domain.clock import aware_local
from fvkit.domain.limits import MAX_OCCURRENCES

# NOTE: dateutil is the domain's one import beyond the standard library: parsing RFC 5545
# rules is a rule, not I/O, and both the simulator and the portal need the same answer.

#: an UNTIL written without its zone (reminders store it so); it is UTC all the same
_NAIVE_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})(?!Z)")


def expand(
    starts: datetime, rule: str, tz: str, since: datetime | None = None, until: datetime | None = None
) -> list[datetime]:
    """Return the starts (naive UTC) of a rule's occurrences, in [since, until) when given.

    Args:
        starts: the first occurrence, naive UTC.
        rule: the RRULE text without DTSTART; '' for a single event.
        tz: the IANA zone whose wall clock the rule repeats in.

    Returns:
        At most MAX_OCCURRENCES starts, in time order.
    """
    lo = since or datetime.min
    hi = until or datetime.max
    if not rule:
        return [starts] if lo <= starts < hi else []
    recurrence = rrulestr(_NAIVE_UNTIL.sub(r"UNTIL=\1Z", rule), dtstart=aware_local(starts, tz))
    found = recurrence if since is None else recurrence.xafter(aware_local(since, tz), inc=True)
    out: list[datetime] = []
    for occurrence in islice(found, MAX_OCCURRENCES):
        t = occurrence.astimezone(UTC).replace(tzinfo=None)
        if t >= hi:
            break
        if t >= lo:
            out.append(t)
    return out
