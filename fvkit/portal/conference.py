"""Conference (guide p.36-39): monthly calendar, events with attendees and invitations, announcement.

Every use case starts with `require_screen(user, Screen.CONFERENCE)`: the screen needs the
Conference privilege (guide p.36). Times are stored in UTC and entered and shown in the
user's time zone (PREF-5); an event keeps the zone it was entered in, so a weekly
10:00 meeting stays at 10:00 local time across a change to summer time.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from enum import StrEnum
from urllib.parse import quote
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rrulestr  # type: ignore[import-untyped]
from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from fvkit.domain.limits import (
    conference_limits,
)
from fvkit.domain.prefs import TIME_ZONES
from fvkit.domain.screens import Screen
from fvkit.media.mail import Attachment, MailSettings, compose, deliver
from fvkit.portal.auth import PermissionDenied, User, require_screen
from fvkit.portal.contact import EMAIL, BadContact, clean_text
from fvkit.store import conferences as stored
from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret, verify_secret

ACCESS_NUMBER = "7500"  # guide p.38: "Please dial ext 7500 to attend this conference."
CONFERENCE_ID_DIGITS = 6  # guide p.38 example: Conference ID 551749
PIN_DIGITS = 6  # guide p.38 example: Conference PIN 216578
MIN_PIN, MAX_PIN = 4, 16  # our bounds for a typed PIN
MAX_TITLE = 120
MAX_TEXT = 2_000
MAX_OCCURRENCES = 366  # our bound: a recurrence ends after at most this many events
WHEN_FORMAT = "%a %b %d %Y %H:%M"  # guide p.38: "Fri Jan 28 2022 21:00"
DAY_FORMAT = "%a %b %d %Y"
SHOWN_FORMAT = "%Y-%m-%d %H:%M"
CALL_ME_SECONDS = 6.0
CALL_ME_SENT = "A voice recording request was sent to your extension; the announcement is saved."


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


@dataclass(frozen=True, slots=True)
class Saved:
    """What saving did: the event's id and the invitations sent (to, where)."""

    event_id: int
    sent: list[tuple[str, str]] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)


def _utc(local: datetime, tz: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC).replace(tzinfo=None)


def _local(utc: datetime, tz: str) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10 ** (n - 1), 10**n))


def new_event(store: Store, user: User, start: datetime, rng: random.Random) -> EventForm:
    """Return the New event form for a clicked day/time: a unique Conference ID and generated PINs.

    Args:
        rng: where the ID and PINs come from; the portal passes `random.SystemRandom()`.
    """
    require_screen(user, Screen.CONFERENCE)
    while True:
        cid = _digits(rng, CONFERENCE_ID_DIGITS)
        if not stored.conference_id_taken(store, cid):
            break
    return EventForm(
        title="",
        conference_id=cid,
        attendee_pin=_digits(rng, PIN_DIGITS),
        start=start,
        end=start + timedelta(hours=1),
        specific_pin=_digits(rng, PIN_DIGITS),
    )


# --- reading events -------------------------------------------------------------------


def _parse_rule(rule: str, tz: str) -> tuple[Repeat, int | None, date | None]:
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    repeat = {"DAILY": Repeat.DAILY, "WEEKLY": Repeat.WEEKLY, "MONTHLY": Repeat.MONTHLY}.get(
        parts.get("FREQ", ""), Repeat.NONE
    )
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    until = None
    if "UNTIL" in parts:
        until = _local(datetime.strptime(parts["UNTIL"].rstrip("Z"), "%Y%m%dT%H%M%S"), tz).date()
    return repeat, count, until


def _form(row: dict[str, object], tz: str) -> EventForm:
    starts, ends = row["starts"], row["ends"]
    assert isinstance(starts, datetime) and isinstance(ends, datetime)
    all_day = bool(row["all_day"])
    start, end = _local(starts, tz), _local(ends, tz)
    if all_day:  # shown as the first and the last day
        end = end - timedelta(days=1)
    repeat, count, until = _parse_rule(str(row["rrule"]), str(row["time_zone"] or "UTC"))
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


def get_event(store: Store, user: User, event_id: int) -> EventForm:
    """Return one of the user's events as the Edit form shows it (the Specific PIN is never shown)."""
    require_screen(user, Screen.CONFERENCE)
    row = stored.get_conference(store, user.number, event_id)
    if row is None:
        raise PermissionDenied(f"Conference event {event_id} is not one of {user.number}'s events.")
    return _form(row, user.time_zone)


def _expand(starts: datetime, ends: datetime, rule: str, tz: str) -> list[tuple[datetime, datetime]]:
    """Return the UTC (start, end) of every occurrence of a stored event."""
    if not rule:
        return [(starts, ends)]
    zone = ZoneInfo(tz)
    first = starts.replace(tzinfo=UTC).astimezone(zone)
    length = ends.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) - first.replace(tzinfo=None)
    out = []
    for occ in rrulestr(rule, dtstart=first)[:MAX_OCCURRENCES]:  # type: ignore[index]
        # the local wall-clock length, so an event across a DST change keeps its local end
        local_end = (occ.replace(tzinfo=None) + length).replace(tzinfo=zone)
        out.append((occ.astimezone(UTC).replace(tzinfo=None), local_end.astimezone(UTC).replace(tzinfo=None)))
    return out


def occurrences(store: Store, user: User, since: datetime, until: datetime) -> list[Occurrence]:
    """Return the user's event occurrences that overlap [since, until) local time, by start (CONF-1)."""
    require_screen(user, Screen.CONFERENCE)
    lo, hi = _utc(since, user.time_zone), _utc(until, user.time_zone)
    out = []
    for row in stored.list_conferences(store, user.number):
        for s, e in _expand(row["starts"], row["ends"], row["rrule"], row["time_zone"] or "UTC"):
            if s < hi and e > lo:
                out.append(
                    Occurrence(
                        int(row["id"]),
                        str(row["title"]),
                        _local(s, user.time_zone),
                        _local(e, user.time_zone),
                        bool(row["all_day"]),
                        str(row["conference_id"]),
                    )
                )
    return sorted(out, key=lambda o: (o.start, o.event_id))


def month_span(month: date) -> tuple[datetime, datetime]:
    """Return the local times the month view covers: six weeks from the Sunday before the 1st."""
    first = month.replace(day=1)
    start = datetime.combine(first - timedelta(days=(first.weekday() + 1) % 7), time(0))
    return start, start + timedelta(weeks=6)


def calendar_id(event_id: int, start: datetime) -> str:
    """Return the calendar id of one occurrence of an event: the event's id and the occurrence's start."""
    return f"{event_id}@{start.isoformat()}"


def event_of(calendar_event_id: str) -> int:
    """Return the event id a calendar chip (one occurrence, see `calendar_id`) belongs to."""
    return int(calendar_event_id.split("@", 1)[0])


def calendar_events(items: list[Occurrence]) -> list[dict[str, object]]:
    """Return occurrences as FullCalendar events (streamlit-calendar)."""
    events: list[dict[str, object]] = []
    for o in items:
        # NOTE: FullCalendar draws one chip per id: every occurrence of a repeating event needs its own
        event: dict[str, object] = {"id": calendar_id(o.event_id, o.start), "title": o.title, "allDay": o.all_day}
        if o.all_day:
            event |= {"start": o.start.date().isoformat(), "end": o.end.date().isoformat()}
        else:
            event |= {"start": o.start.isoformat(), "end": o.end.isoformat()}
        events.append(event)
    return events


def event_rows(items: list[Occurrence]) -> list[dict[str, object]]:
    """Return occurrences as the plain list under the calendar shows them."""
    rows: list[dict[str, object]] = []
    for o in items:
        if o.all_day:
            when, until = o.start.strftime("%Y-%m-%d"), (o.end - timedelta(days=1)).strftime("%Y-%m-%d")
        else:
            when, until = o.start.strftime(SHOWN_FORMAT), o.end.strftime(SHOWN_FORMAT)
        rows.append(
            {
                "id": o.event_id,
                "Title": o.title,
                "Start": when,
                "End": until,
                "All day": o.all_day,
                "Conference ID": o.conference_id,
            }
        )
    return rows


# --- checking and saving --------------------------------------------------------------


def _text(value: str, label: str, limit: int) -> str:
    try:
        return clean_text(value, label, limit)
    except BadContact as exc:
        raise BadEvent(str(exc)) from exc


def _pin(value: str, label: str) -> str:
    pin = value.strip()
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise BadEvent(f"{label}: {MIN_PIN} to {MAX_PIN} digits.")
    return pin


def _attendees(people: tuple[Attendee, ...]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for person in people:
        email = person.email.strip()
        if not EMAIL.match(email) or len(email) > 254:
            raise BadEvent(f"{email or '(empty)'} is not a valid email address.")
        if email.lower() in seen:
            raise BadEvent(f"{email} is invited twice.")
        seen.add(email.lower())
        out.append((email, _text(person.display_name, "Display name", MAX_TITLE)))
    return out


def check_attendee(invited: tuple[Attendee, ...], person: Attendee) -> Attendee:
    """Check one attendee as it is added (Add Attendee > Create); return it trimmed.

    Raises:
        BadEvent: an invalid email address, a display name too long, or someone already invited.
    """
    email, name = _attendees((*invited, person))[-1]
    return Attendee(email, name)


def _span(form: EventForm) -> tuple[datetime, datetime]:
    """Return the first occurrence's local start and end; an all-day event spans whole days."""
    if form.all_day:
        start = datetime.combine(form.start.date(), time(0))
        end = datetime.combine(max(form.end.date(), form.start.date()) + timedelta(days=1), time(0))
        return start, end
    if form.end <= form.start:
        raise BadEvent("The end time must be after the start time.")
    return form.start, form.end


def _rule(form: EventForm, start: datetime, tz: str) -> str:
    """Return the RRULE string (without DTSTART) of the form's recurrence, '' for none."""
    repeat = Repeat(form.repeat)
    if repeat is Repeat.NONE:
        return ""
    if (form.count is None) == (form.until is None):
        raise BadEvent("A recurrence ends after a number of events or on a date: choose one.")
    first = start.replace(tzinfo=ZoneInfo(tz))
    if form.count is not None:
        if not 1 <= form.count <= MAX_OCCURRENCES:
            raise BadEvent(f"A recurrence has 1 to {MAX_OCCURRENCES} events.")
        built = rrule(_FREQ[repeat], dtstart=first, count=form.count)
    else:
        assert form.until is not None
        if form.until < start.date():
            raise BadEvent("The recurrence ends before the event starts.")
        last = datetime.combine(form.until, time(23, 59, 59), tzinfo=ZoneInfo(tz)).astimezone(UTC)
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
    for _, starts, ends, rule, zone in stored.schedules(store, exclude):
        for s, e in _expand(starts, ends, rule, zone):
            if s < hi and e > lo:
                points += [(s, 1, 0), (e, -1, 0)]
    running = mine = 0
    for at, delta, own in sorted(points, key=lambda p: (p[0], p[1])):  # ends before starts
        running += delta
        mine += own
        if running > most_conferences and mine > 0:
            raise BadEvent(
                f"At most {most_conferences} user conferences can take place at the same time in an "
                f"organisation of {size} extensions; on {_local(at, tz).strftime(SHOWN_FORMAT)} "
                "this event would be one more. Choose another time."
            )


def _organizer_hash(store: Store, user: User, form: EventForm, previous: dict[str, object] | None) -> str | None:
    mode = OrganizerPin(form.organizer_pin)
    vm_hash, code_hash = stored.pin_hashes(store, user.number)
    if mode is OrganizerPin.VOICEMAIL and not vm_hash:
        raise BadEvent("You have no voicemail PIN yet: set one under Preferences, or choose another Organizer PIN.")
    if mode is OrganizerPin.PERSONAL and not code_hash:
        raise BadEvent("You have no personal code: choose another Organizer PIN.")
    if mode is not OrganizerPin.SPECIFIC:
        return None  # checked against the current voicemail PIN or personal code
    if not form.specific_pin.strip() and previous is not None and previous["organizer_pin_hash"]:
        return str(previous["organizer_pin_hash"])  # editing: keep the Specific PIN
    return hash_secret(_pin(form.specific_pin, "Organizer PIN"))


def save_event(
    store: Store,
    user: User,
    form: EventForm,
    now: datetime,
    *,
    event_id: int | None = None,
    settings: MailSettings | None = None,
) -> Saved:
    """Check the whole form and the limits, save the event, email each attendee (CONF-2..4).

    Raises:
        BadEvent: a missing title, a bad PIN, email or time, or an event over a limit; nothing is saved.
        PermissionDenied: `event_id` is not one of the user's events.
    """
    require_screen(user, Screen.CONFERENCE)
    previous = None
    if event_id is not None:
        previous = stored.get_conference(store, user.number, event_id)
        if previous is None:
            raise PermissionDenied(f"Conference event {event_id} is not one of {user.number}'s events.")
    title = _text(form.title, "Title", MAX_TITLE)
    if not title:
        raise BadEvent("Title is mandatory.")
    cid = str(previous["conference_id"]) if previous else form.conference_id.strip()
    if not (cid.isdigit() and len(cid) == CONFERENCE_ID_DIGITS):
        raise BadEvent("The Conference ID is generated by the portal: open a new event again.")
    if previous is None and stored.conference_id_taken(store, cid):
        raise BadEvent(f"Conference ID {cid} is already in use: open a new event again.")
    attendee_pin = _pin(form.attendee_pin, "Attendee PIN")
    description = _text(form.description.replace("\n", " "), "Description", MAX_TEXT)
    location = _text(form.location, "Location", MAX_TITLE)
    people = _attendees(form.attendees)
    tz = user.time_zone
    start, end = _span(form)
    rule = _rule(form, start, tz)
    starts, ends = _utc(start, tz), _utc(end, tz)
    check_limits(store, _expand(starts, ends, rule, tz), len(people), tz, event_id)
    pin_hash = _organizer_hash(store, user, form, previous)
    row = {
        "owner": user.number,
        "title": title,
        "conference_id": cid,
        "attendee_pin": attendee_pin,
        "organizer_pin_mode": OrganizerPin(form.organizer_pin).value,
        "organizer_pin_hash": pin_hash,
        "description": description,
        "location": location,
        "starts": starts,
        "ends": ends,
        "all_day": form.all_day,
        "rrule": rule,
        "time_zone": tz,
    }
    new_id = stored.save_conference(store, row, people, event_id)
    saved = Saved(new_id)
    mail = settings or MailSettings.from_env()
    for email, name in people:
        msg = invitation(store, user, new_id, (email, name), now)
        saved.sent.append((email, deliver(msg, mail)))
        saved.messages.append(msg)
    return saved


def delete_event(store: Store, user: User, event_id: int) -> None:
    """Delete one of the user's events (all its occurrences)."""
    require_screen(user, Screen.CONFERENCE)
    if not stored.delete_conference(store, user.number, event_id):
        raise PermissionDenied(f"Conference event {event_id} is not one of {user.number}'s events.")


def verify_organizer_pin(store: Store, user: User, event_id: int, pin: str) -> bool:
    """Return whether `pin` opens the event as its organizer (voicemail PIN, personal code or Specific)."""
    require_screen(user, Screen.CONFERENCE)
    row = stored.get_conference(store, user.number, event_id)
    if row is None:
        raise PermissionDenied(f"Conference event {event_id} is not one of {user.number}'s events.")
    vm_hash, code_hash = stored.pin_hashes(store, user.number)
    mode = OrganizerPin(row["organizer_pin_mode"])
    chosen = {OrganizerPin.VOICEMAIL: vm_hash, OrganizerPin.PERSONAL: code_hash}.get(mode, row["organizer_pin_hash"])
    return verify_secret(chosen, pin)


# --- the invitation (CONF-4, guide p.38) ------------------------------------------------


def _when(form: EventForm, tz: str) -> str:
    if form.all_day:
        days = form.start.strftime(DAY_FORMAT)
        if form.end.date() > form.start.date():
            days += f" - {form.end.strftime(DAY_FORMAT)}"
        text = f"{days} (all day)"
    else:
        text = f"{form.start.strftime(WHEN_FORMAT)} - {form.end.strftime('%H:%M')} ({TIME_ZONES.get(tz, tz)})"
    repeat = Repeat(form.repeat)
    if repeat is not Repeat.NONE:
        text += f", {repeat.value.lower()}"
        text += f", {form.count} times" if form.count else f", until {form.until}"
    return text


def invitation_lines(store: Store, user: User, form: EventForm, tz: str) -> list[tuple[str, str]]:
    """Return the invitation's labelled lines as the p.38 example shows them."""
    access = stored.access_number(store) or ACCESS_NUMBER
    people = " ".join(f"{a.display_name} - '{a.email}'" if a.display_name else f"'{a.email}'" for a in form.attendees)
    return [
        ("Subject", form.title),
        ("Organizer", f"{user.extension.display_name} - {user.extension.email}"),
        ("When", _when(form, tz)),
        ("Location", form.location),
        ("Conference ID", form.conference_id),
        ("Conference PIN", form.attendee_pin),
        ("Access", f"Please dial ext {access} to attend this conference."),
        ("Attendees", people),
        ("Description", form.description),
    ]


def invitation_subject(user: User, title: str) -> str:
    """Return the subject line (guide p.38): "<Organizer> has invited you to a Conference Call - <Title>"."""
    return f"{user.extension.display_name} has invited you to a Conference Call - {title}"


def _reply(user: User, answer: str, title: str) -> str:
    return f"mailto:{quote(user.extension.email, safe='@')}?subject={quote(f'{answer}: {title}', safe='')}"


def invitation(store: Store, user: User, event_id: int, to: tuple[str, str], now: datetime) -> EmailMessage:
    """Return the invitation email of one of the user's events to one attendee, with its .ics."""
    row = stored.get_conference(store, user.number, event_id)
    if row is None:
        raise PermissionDenied(f"Conference event {event_id} is not one of {user.number}'s events.")
    tz = str(row["time_zone"] or "UTC")
    form = _form(row, tz)
    subject = invitation_subject(user, form.title)
    lines = invitation_lines(store, user, form, tz)
    text = "\n".join(
        [subject, "", *(f"{label}: {value}" for label, value in lines), "", "Attending? Accept - Tentative - Reject"]
    )
    cells = "".join(
        f"<tr><th align='left'>{html.escape(label)}:</th><td>{html.escape(value)}</td></tr>" for label, value in lines
    )
    answers = " - ".join(
        f"<a href='{html.escape(_reply(user, a, form.title))}'>{a}</a>" for a in ("Accept", "Tentative", "Reject")
    )
    body = f"<h3>{html.escape(subject)}</h3><table>{cells}</table><p>Attending? {answers}</p>"
    ics = ics_bytes(store, user, row, now)
    return compose(
        [formataddr((to[1], to[0])) if to[1] else to[0]],
        subject,
        text,
        now,
        html=body,
        attachments=(Attachment("invite.ics", ics, "text/calendar"),),
    )


def ics_bytes(store: Store, user: User, row: dict[str, object], now: datetime) -> bytes:
    """Return the event as an iCalendar REQUEST (RFC 5545) with the organizer's zone."""
    tz = str(row["time_zone"] or "UTC")
    zone = ZoneInfo(tz)
    starts, ends = row["starts"], row["ends"]
    assert isinstance(starts, datetime) and isinstance(ends, datetime)
    domain = "fortivoice.example.com"
    cal = Calendar()
    cal.add("prodid", "-//fvkit//FortiVoice Cloud user portal//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"conference-{row['id']}-{row['conference_id']}@{domain}")
    event.add("dtstamp", now.replace(tzinfo=UTC))
    if row["all_day"]:
        event.add("dtstart", _local(starts, tz).date())
        event.add("dtend", _local(ends, tz).date())
    else:
        event.add("dtstart", starts.replace(tzinfo=UTC).astimezone(zone))
        event.add("dtend", ends.replace(tzinfo=UTC).astimezone(zone))
    if row["rrule"]:
        event.add("rrule", vRecur.from_ical(str(row["rrule"])))
    event.add("summary", row["title"])
    event.add("location", row["location"])
    access = stored.access_number(store) or ACCESS_NUMBER
    event.add(
        "description",
        f"{row['description']}\nConference ID: {row['conference_id']}\nConference PIN: {row['attendee_pin']}\n"
        f"Please dial ext {access} to attend this conference.".strip(),
    )
    organizer = vCalAddress(f"mailto:{user.extension.email}")
    organizer.params["cn"] = vText(user.extension.display_name)
    event.add("organizer", organizer)
    for email, name in row["attendees"]:  # type: ignore[attr-defined]
        person = vCalAddress(f"mailto:{email}")
        if name:
            person.params["cn"] = vText(name)
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["partstat"] = vText("NEEDS-ACTION")
        person.params["rsvp"] = vText("TRUE")
        event.add("attendee", person, encode=False)
    cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
