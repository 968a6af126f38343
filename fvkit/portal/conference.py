"""Conference (guide p.36-39): monthly calendar, events with attendees and invitations, announcement.

Every use case starts with `require_screen(user, Screen.CONFERENCE)`: the screen needs the
Conference privilege (guide p.36). Times are stored in UTC and entered and shown in the
user's time zone (PREF-5); an event keeps the zone it was entered in, so a weekly
10:00 meeting stays at 10:00 local time across a change to summer time.

The use cases live here; the form, its checks, recurrence and the limits in
`conference_plan`, the invitation email and its .ics in `conference_invite`, the
announcement in `conference_options`. The names pages use are re-exported here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage

from fvkit.domain.clock import to_local, to_utc
from fvkit.domain.limits import MAX_OCCURRENCES
from fvkit.domain.screens import Screen
from fvkit.media.mail import MailSettings, deliver
from fvkit.portal.auth import PermissionDenied, User, require_screen
from fvkit.portal.conference_invite import ics_bytes, invitation, invitation_lines, invitation_subject
from fvkit.portal.conference_plan import (
    ACCESS_NUMBER,
    CONFERENCE_ID_DIGITS,
    MAX_PIN,
    MAX_TEXT,
    MAX_TITLE,
    MIN_PIN,
    PIN_DIGITS,
    SHOWN_FORMAT,
    Attendee,
    BadEvent,
    EventForm,
    Occurrence,
    OrganizerPin,
    Repeat,
    check_attendee,
    check_attendees,
    check_limits,
    check_pin,
    clean,
    expand_event,
    form_of,
    rule_of,
    span_of,
)
from fvkit.store import conferences as stored
from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret, verify_secret

__all__ = [
    "ACCESS_NUMBER",
    "CALL_ME_SECONDS",
    "CALL_ME_SENT",
    "MAX_OCCURRENCES",
    "MAX_PIN",
    "MAX_TITLE",
    "MIN_PIN",
    "Attendee",
    "BadEvent",
    "EventForm",
    "Occurrence",
    "OrganizerPin",
    "Repeat",
    "Saved",
    "calendar_events",
    "calendar_id",
    "check_attendee",
    "check_limits",
    "delete_event",
    "event_of",
    "event_rows",
    "get_event",
    "ics_bytes",
    "invitation",
    "invitation_lines",
    "invitation_subject",
    "month_span",
    "new_event",
    "occurrences",
    "save_event",
    "verify_organizer_pin",
]

CALL_ME_SECONDS = 6.0
CALL_ME_SENT = "A voice recording request was sent to your extension; the announcement is saved."


@dataclass(frozen=True, slots=True)
class Saved:
    """What saving did: the event's id and the invitations sent (to, where)."""

    event_id: int
    sent: list[tuple[str, str]] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)


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


def get_event(store: Store, user: User, event_id: int) -> EventForm:
    """Return one of the user's events as the Edit form shows it (the Specific PIN is never shown)."""
    require_screen(user, Screen.CONFERENCE)
    row = stored.get_conference(store, user.number, event_id)
    if row is None:
        raise PermissionDenied(f"Conference event {event_id} is not one of {user.number}'s events.")
    return form_of(row, user.time_zone)


def occurrences(store: Store, user: User, since: datetime, until: datetime) -> list[Occurrence]:
    """Return the user's event occurrences that overlap [since, until) local time, by start (CONF-1)."""
    require_screen(user, Screen.CONFERENCE)
    lo, hi = to_utc(since, user.time_zone), to_utc(until, user.time_zone)
    out = []
    for row in stored.list_conferences(store, user.number):
        for s, e in expand_event(row["starts"], row["ends"], row["rrule"], row["time_zone"] or "UTC"):
            if s < hi and e > lo:
                out.append(
                    Occurrence(
                        int(row["id"]),
                        str(row["title"]),
                        to_local(s, user.time_zone),
                        to_local(e, user.time_zone),
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
    return hash_secret(check_pin(form.specific_pin, "Organizer PIN"))


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
    title = clean(form.title, "Title", MAX_TITLE)
    if not title:
        raise BadEvent("Title is mandatory.")
    cid = str(previous["conference_id"]) if previous else form.conference_id.strip()
    if not (cid.isdigit() and len(cid) == CONFERENCE_ID_DIGITS):
        raise BadEvent("The Conference ID is generated by the portal: open a new event again.")
    if previous is None and stored.conference_id_taken(store, cid):
        raise BadEvent(f"Conference ID {cid} is already in use: open a new event again.")
    attendee_pin = check_pin(form.attendee_pin, "Attendee PIN")
    description = clean(form.description.replace("\n", " "), "Description", MAX_TEXT)
    location = clean(form.location, "Location", MAX_TITLE)
    people = check_attendees(form.attendees)
    tz = user.time_zone
    start, end = span_of(form)
    rule = rule_of(form, start, tz)
    starts, ends = to_utc(start, tz), to_utc(end, tz)
    check_limits(store, expand_event(starts, ends, rule, tz), len(people), tz, event_id)
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
