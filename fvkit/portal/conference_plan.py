"""Conference events as data (guide p.36-38): the New/Edit form, its checks, recurrence and the p.36 limits.

No email and no privileges here: `fvkit.portal.conference` runs the use cases and
`fvkit.portal.conference_invite` writes the invitations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule  # type: ignore[import-untyped]

from fvkit.domain.clock import to_local, to_utc, zone
from fvkit.domain.limits import MAX_OCCURRENCES, conference_limits
from fvkit.domain.recurrence import expand
from fvkit.media.mail import header_text, single_address
from fvkit.portal.contact import EMAIL, BadContact, clean_text
from fvkit.store import conferences as stored
from fvkit.store.db import Store

ACCESS_NUMBER = "7500"  # guide p.38: "Please dial ext 7500 to attend this conference."
CONFERENCE_ID_DIGITS = 6  # guide p.38 example: Conference ID 551749
PIN_DIGITS = 6  # guide p.38 example: Conference PIN 216578
MIN_PIN, MAX_PIN = 4, 16  # our bounds for a typed PIN
MAX_TITLE = 120
MAX_TEXT = 2_000
WHEN_FORMAT = "%a %b %d %Y %H:%M"  # guide p.38: "Fri Jan 28 2022 21:00"
DAY_FORMAT = "%a %b %d %Y"
SHOWN_FORMAT = "%Y-%m-%d %H:%M"


class BadEvent(ValueError):
    """An event (or announcement) the portal refuses; the message is safe to show."""


class OrganizerPin(StrEnum):
    """Organizer PIN choices (guide p.37)."""

    VOICEMAIL = "Use voicemail PIN"
    PERSONAL = "Use personal code"
    SPECIFIC = "Specific"


class Repeat(StrEnum):
    """Recurrence choices."""

    NONE = "None"
    DAILY = "Daily"
    WEEKLY = "Weekly"
    MONTHLY = "Monthly"


_FREQ = {Repeat.DAILY: DAILY, Repeat.WEEKLY: WEEKLY, Repeat.MONTHLY: MONTHLY}


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone invited by email (guide p.38: Add Attendee, email and display name)."""

    email: str
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class EventForm:
    """The New/Edit event form; times are naive local times in the user's zone."""

    title: str
    conference_id: str
    attendee_pin: str
    start: datetime
    end: datetime
    organizer_pin: OrganizerPin | str = OrganizerPin.SPECIFIC
    specific_pin: str = ""
    description: str = ""
    location: str = ""
    all_day: bool = False
    repeat: Repeat | str = Repeat.NONE
    count: int | None = None
    until: date | None = None
    attendees: tuple[Attendee, ...] = ()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of an event, in the user's local time."""

    event_id: int
    title: str
    start: datetime
    end: datetime
    all_day: bool
    conference_id: str


def parse_rule(rule: str, tz: str) -> tuple[Repeat, int | None, date | None]:
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    repeat = {"DAILY": Repeat.DAILY, "WEEKLY": Repeat.WEEKLY, "MONTHLY": Repeat.MONTHLY}.get(
        parts.get("FREQ", ""), Repeat.NONE
    )
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    until = None
    if "UNTIL" in parts:
        until = to_local(datetime.strptime(parts["UNTIL"].rstrip("Z"), "%Y%m%dT%H%M%S"), tz).date()
    return repeat, count, until


def form_of(row: dict[str, object], tz: str) -> EventForm:
    starts, ends = row["starts"], row["ends"]
    assert isinstance(starts, datetime) and isinstance(ends, datetime)
    all_day = bool(row["all_day"])
    start, end = to_local(starts, tz), to_local(ends, tz)
    if all_day:  # shown as the first and the last day
        end = end - timedelta(days=1)
    repeat, count, until = parse_rule(str(row["rrule"]), str(row["time_zone"] or "UTC"))
    return EventForm(
        title=str(row["title"]),
        conference_id=str(row["conference_id"]),
        attendee_pin=str(row["attendee_pin"]),
        start=start,
        end=end,
        organizer_pin=OrganizerPin(str(row["organizer_pin_mode"])),
        description=str(row["description"]),
        location=str(row["location"]),
        all_day=all_day,
        repeat=repeat,
        count=count,
        until=until,
        attendees=tuple(Attendee(e, n) for e, n in row["attendees"]),  # type: ignore[attr-defined]
    )


def expand_event(starts: datetime, ends: datetime, rule: str, tz: str) -> list[tuple[datetime, datetime]]:
    """Return the UTC (start, end) of every occurrence of a stored event."""
    if not rule:
        return [(starts, ends)]
    length = to_local(ends, tz) - to_local(starts, tz)
    # the local wall-clock length, so an event across a DST change keeps its local end
    return [(s, to_utc(to_local(s, tz) + length, tz)) for s in expand(starts, rule, tz)]


def clean(value: str, label: str, limit: int) -> str:
    try:
        return clean_text(value, label, limit)
    except BadContact as exc:
        raise BadEvent(str(exc)) from exc


def check_pin(value: str, label: str) -> str:
    pin = value.strip()
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise BadEvent(f"{label}: {MIN_PIN} to {MAX_PIN} digits.")
    return pin


def check_attendees(people: tuple[Attendee, ...]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for person in people:
        email = person.email.strip()
        try:
            single_address(email)  # one address per entry: "a,b@example.com" would be two
            valid = bool(EMAIL.match(email)) and len(email) <= 254
        except ValueError:
            valid = False
        if not valid:
            raise BadEvent(f"{header_text(email)[:254] or '(empty)'} is not a valid email address.")
        if email.lower() in seen:
            raise BadEvent(f"{email} is invited twice.")
        seen.add(email.lower())
        out.append((email, clean(person.display_name, "Display name", MAX_TITLE)))
    return out


def check_attendee(invited: tuple[Attendee, ...], person: Attendee) -> Attendee:
    """Check one attendee as it is added (Add Attendee > Create); return it trimmed.

    Raises:
        BadEvent: an invalid email address, a display name too long, or someone already invited.
    """
    email, name = check_attendees((*invited, person))[-1]
    return Attendee(email, name)


def span_of(form: EventForm) -> tuple[datetime, datetime]:
    """Return the first occurrence's local start and end; an all-day event spans whole days."""
    if form.all_day:
        start = datetime.combine(form.start.date(), time(0))
        end = datetime.combine(max(form.end.date(), form.start.date()) + timedelta(days=1), time(0))
        return start, end
    if form.end <= form.start:
        raise BadEvent("The end time must be after the start time.")
    return form.start, form.end


def rule_of(form: EventForm, start: datetime, tz: str) -> str:
    """Return the RRULE string (without DTSTART) of the form's recurrence, '' for none."""
    repeat = Repeat(form.repeat)
    if repeat is Repeat.NONE:
        return ""
    if (form.count is None) == (form.until is None):
        raise BadEvent("A recurrence ends after a number of events or on a date: choose one.")
    first = start.replace(tzinfo=zone(tz))
    if form.count is not None:
        if not 1 <= form.count <= MAX_OCCURRENCES:
            raise BadEvent(f"A recurrence has 1 to {MAX_OCCURRENCES} events.")
        built = rrule(_FREQ[repeat], dtstart=first, count=form.count)
    else:
        assert form.until is not None
        if form.until < start.date():
            raise BadEvent("The recurrence ends before the event starts.")
        last = to_utc(datetime.combine(form.until, time(23, 59, 59)), tz).replace(tzinfo=UTC)
        built = rrule(_FREQ[repeat], dtstart=first, until=last)
        if built.count() > MAX_OCCURRENCES:
            raise BadEvent(f"A recurrence has at most {MAX_OCCURRENCES} events; choose an earlier end date.")
    line = str(built).splitlines()[-1].removeprefix("RRULE:")
    # dateutil writes UNTIL without its zone; an RRULE with a TZID start needs it in UTC
    return re.sub(r"UNTIL=(\d{8}T\d{6})(?!Z)", r"UNTIL=\1Z", line)


def check_limits(
    store: Store, occurrences_utc: list[tuple[datetime, datetime]], attendees: int, tz: str, exclude: int | None
) -> None:
    """Refuse an event over the p.36 limits of the organisation's size (CONF-3).

    NOTE: "user conference" counts every user's events: the guide's note says FortiVoice
    Cloud "can host simultaneously three user conferences" for 400 extensions.
    """
    size = stored.extension_count(store)
    most_conferences, most_participants = conference_limits(size)
    if attendees > most_participants:
        raise BadEvent(
            f"At most {most_participants} participants can join a conference in an organisation of "
            f"{size} extensions; this event has {attendees} attendees."
        )
    lo = min(s for s, _ in occurrences_utc)
    hi = max(e for _, e in occurrences_utc)
    points: list[tuple[datetime, int, int]] = []
    for s, e in occurrences_utc:
        points += [(s, 1, 1), (e, -1, -1)]
    for _, starts, ends, rule, event_zone in stored.schedules(store, exclude):
        for s, e in expand_event(starts, ends, rule, event_zone):
            if s < hi and e > lo:
                points += [(s, 1, 0), (e, -1, 0)]
    running = mine = 0
    for at, delta, own in sorted(points, key=lambda p: (p[0], p[1])):  # ends before starts
        running += delta
        mine += own
        if running > most_conferences and mine > 0:
            raise BadEvent(
                f"At most {most_conferences} user conferences can take place at the same time in an "
                f"organisation of {size} extensions; on {to_local(at, tz).strftime(SHOWN_FORMAT)} "
                "this event would be one more. Choose another time."
            )
