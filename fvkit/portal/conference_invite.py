"""The conference invitation (CONF-4, guide p.38): the email each attendee gets, with its .ics."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import quote

from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from fvkit.domain.clock import aware_local, to_local
from fvkit.domain.prefs import TIME_ZONES
from fvkit.media.mail import Attachment, compose
from fvkit.portal.auth import PermissionDenied, User
from fvkit.portal.conference_plan import ACCESS_NUMBER, DAY_FORMAT, WHEN_FORMAT, EventForm, Repeat, form_of
from fvkit.store import conferences as stored
from fvkit.store.db import Store


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
    form = form_of(row, tz)
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
        event.add("dtstart", to_local(starts, tz).date())
        event.add("dtend", to_local(ends, tz).date())
    else:
        event.add("dtstart", aware_local(starts, tz))
        event.add("dtend", aware_local(ends, tz))
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
