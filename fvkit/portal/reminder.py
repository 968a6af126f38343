"""Reminder (guide p.40-42): a calendar of reminders whose guests get a call at the start time."""

from __future__ import annotations

import io
import math
import shutil
import struct
import wave
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from fvkit.domain.clock import to_local, to_utc
from fvkit.domain.limits import AUDIO_RATE_HZ, MAX_OCCURRENCES, REMINDER_AUDIO_MAX_BYTES
from fvkit.domain.numbers import digits
from fvkit.domain.prefs import DEFAULT_THEME, THEME_COLORS
from fvkit.domain.recurrence import expand
from fvkit.domain.screens import Screen
from fvkit.media.audio import audio_info, render_message
from fvkit.portal.auth import PermissionDenied, User, require_screen
from fvkit.portal.display import local_time
from fvkit.sim.reminders import owner_zone
from fvkit.store import blobs
from fvkit.store import reminders as rows
from fvkit.store.db import Store

#: the calendar's views (guide p.40) and the FullCalendar view that draws each
VIEWS = {"Agenda": "listDay", "Day": "timeGridDay", "Week": "timeGridWeek", "Month": "dayGridMonth"}
FREQUENCIES = ("None", "Daily", "Weekly", "Monthly")
AUDIO_CHOICES = ("Default", "Customized")  # guide p.41
SYSTEM = "system"
MAX_TITLE_CHARS = 100
MAX_TEXT_CHARS = 500
MAX_COUNT = MAX_OCCURRENCES
MAX_GUESTS = 50
BEEP_HZ = 1000.0
BEEP_SECONDS = 1.0
CALL_ME_SECONDS = 6.0


class BadReminder(ValueError):
    """A reminder or audio file the portal cannot keep; the message is safe to show."""


class AudioUnavailable(RuntimeError):
    """The GSM encoder (ffmpeg) is missing on this machine."""


@dataclass(frozen=True, slots=True)
class Draft:
    """The New/Edit form's content; times are the user's local wall clock."""

    title: str = ""
    description: str = ""
    location: str = ""
    start: datetime = datetime(2000, 1, 1, 9)
    frequency: str = "None"
    count: int | None = None
    until: date | None = None
    guests: tuple[str, ...] = ()
    external: tuple[str, ...] = ()
    audio: str = "Default"
    audio_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One reminder event in the calendar."""

    reminder: int
    title: str
    start: str  # local time text
    owner: str
    editable: bool
    start_iso: str = field(default="")


def recurrence_rule(frequency: str, count: int | None, until: date | None, tz: str) -> str:
    """Return the dateutil rule text of the form's recurrence ('' for None)."""
    if frequency not in FREQUENCIES:
        raise BadReminder(f"Unknown recurrence {frequency!r}.")
    if frequency == "None":
        return ""
    parts = [f"FREQ={frequency.upper()}"]
    if count is not None and until is not None:
        raise BadReminder("End the recurrence after a number of times or on a date, not both.")
    if count is not None:
        if not 1 <= count <= MAX_COUNT:
            raise BadReminder(f"Repeat between 1 and {MAX_COUNT} times.")
        parts.append(f"COUNT={count}")
    if until is not None:
        last = to_utc(datetime.combine(until, time(23, 59, 59)), tz)
        parts.append(f"UNTIL={last:%Y%m%dT%H%M%S}")
    return ";".join(parts)


def _parse_rule(rule: str, tz: str) -> tuple[str, int | None, date | None]:
    if not rule:
        return "None", None, None
    fields = dict(p.split("=", 1) for p in rule.split(";"))
    until = fields.get("UNTIL")
    return (
        fields["FREQ"].capitalize(),
        int(fields["COUNT"]) if "COUNT" in fields else None,
        to_local(datetime.strptime(until, "%Y%m%dT%H%M%S"), tz).date() if until else None,
    )


def external_number(text: str) -> str:
    """Return an external guest's number as the PBX dials it, or refuse it (REM-2)."""
    cleaned = text.strip()
    if not cleaned or any(ch not in "+0123456789 -()." for ch in cleaned) or "+" in cleaned[1:]:
        raise BadReminder(f"{text!r} is not a phone number.")
    number = digits(cleaned)
    if not 7 <= len(number) <= 15:  # E.164: at most 15 digits
        raise BadReminder(f"{text!r} is not a phone number: use 7 to 15 digits.")
    return number


def available_guests(store: Store, user: User) -> dict[str, str]:
    """Return the internal extensions a reminder can call, number -> 'number name' (guide p.41)."""
    require_screen(user, Screen.REMINDER)
    return {n: f"{n} {name}" for n, name in rows.extensions(store) if n != user.number}


def _check(store: Store, user: User, draft: Draft) -> tuple[dict[str, object], list[tuple[str, bool]]]:
    title = draft.title.strip()
    if not title:
        raise BadReminder("Title is mandatory.")
    if len(title) > MAX_TITLE_CHARS:
        raise BadReminder(f"Use at most {MAX_TITLE_CHARS} characters for the title.")
    for label, text in (("Description", draft.description), ("Location", draft.location)):
        if len(text) > MAX_TEXT_CHARS:
            raise BadReminder(f"Use at most {MAX_TEXT_CHARS} characters for the {label.lower()}.")
    rule = recurrence_rule(draft.frequency, draft.count, draft.until, user.time_zone)
    starts = to_utc(draft.start, user.time_zone)
    known = available_guests(store, user)
    unknown = [g for g in draft.guests if g not in known]
    if unknown:
        raise BadReminder(f"Not an extension of this organisation: {', '.join(unknown)}.")
    guest_list = [(g, False) for g in dict.fromkeys(draft.guests)]
    guest_list += [(n, True) for n in dict.fromkeys(external_number(x) for x in draft.external)]
    if not guest_list:
        raise BadReminder("Pick at least one guest to call.")
    if len(guest_list) > MAX_GUESTS:
        raise BadReminder(f"Pick at most {MAX_GUESTS} guests.")
    if draft.audio not in AUDIO_CHOICES:
        raise BadReminder(f"Unknown reminder audio {draft.audio!r}.")
    sha = draft.audio_sha256 if draft.audio == "Customized" else None
    if draft.audio == "Customized" and (sha is None or not blobs.exists(store, sha)):
        raise BadReminder("Create the customized audio first (Call me or Upload), or choose Default.")
    values: dict[str, object] = {
        "title": title,
        "description": draft.description.strip(),
        "location": draft.location.strip(),
        "starts": starts,
        "rrule": rule,
        "audio": draft.audio,
        "audio_sha256": sha,
    }
    return values, guest_list


def create(store: Store, user: User, draft: Draft) -> int:
    """Save a new reminder of the user's (REM-2); return its id."""
    require_screen(user, Screen.REMINDER)
    values, guest_list = _check(store, user, draft)
    return rows.save(store, None, user.number, values, guest_list)


def _own(store: Store, user: User, reminder_id: int) -> dict[str, object]:
    require_screen(user, Screen.REMINDER)
    row = rows.get(store, reminder_id)
    if row is None or row["owner"] != user.number:
        who = "the system" if row is not None and row["owner"] == SYSTEM else "another user"
        raise PermissionDenied(
            f"Reminder {reminder_id} was set by {who}: extension {user.number} cannot change it."
            if row is not None
            else f"Extension {user.number} has no reminder {reminder_id}."
        )
    return row


def update(store: Store, user: User, reminder_id: int, draft: Draft) -> None:
    """Change one of the user's own reminders (REM-5)."""
    _own(store, user, reminder_id)
    values, guest_list = _check(store, user, draft)
    rows.save(store, reminder_id, user.number, values, guest_list)


def delete(store: Store, user: User, reminder_id: int) -> None:
    """Delete one of the user's own reminders (REM-5)."""
    _own(store, user, reminder_id)
    rows.delete(store, reminder_id, user.number)


def _seen(store: Store, user: User, reminder_id: int) -> dict[str, object]:
    require_screen(user, Screen.REMINDER)
    for row in rows.visible(store, user.number):
        if row["id"] == reminder_id:
            return row
    raise PermissionDenied(f"Extension {user.number} cannot see reminder {reminder_id}.")


def is_editable(store: Store, user: User, reminder_id: int) -> bool:
    """Return whether the user may change the reminder: only their own (REM-5)."""
    return _seen(store, user, reminder_id)["owner"] == user.number


def draft_of(store: Store, user: User, reminder_id: int) -> Draft:
    """Return a visible reminder as the form shows it (open, edit, or Copy - REM-4)."""
    row = _seen(store, user, reminder_id)
    starts = row["starts"]
    assert isinstance(starts, datetime)
    frequency, count, until = _parse_rule(str(row["rrule"]), user.time_zone)
    guest_list = rows.guests(store, reminder_id)
    return Draft(
        title=str(row["title"]),
        description=str(row["description"]),
        location=str(row["location"]),
        start=to_local(starts, user.time_zone),
        frequency=frequency,
        count=count,
        until=until,
        guests=tuple(g for g, ext in guest_list if not ext),
        external=tuple(g for g, ext in guest_list if ext),
        audio=str(row["audio"]),
        audio_sha256=str(row["audio_sha256"]) if row["audio_sha256"] else None,
    )


def paste(clipboard: Draft, start: datetime | None = None) -> Draft:
    """Return a copied reminder as a New form (REM-4): everything kept, optionally a new start."""
    return replace(clipboard, start=start) if start is not None else clipboard


def view_window(view: str, day: date) -> tuple[datetime, datetime]:
    """Return the local [start, end) the calendar shows for a view around `day`."""
    if view not in VIEWS:
        raise BadReminder(f"Unknown view {view!r}.")
    start = datetime.combine(day, time(0))
    if view in ("Agenda", "Day"):
        return start, start + timedelta(days=1)
    if view == "Week":  # FullCalendar weeks start on Sunday by default
        first = start - timedelta(days=(day.weekday() + 1) % 7)
        return first, first + timedelta(days=7)
    first = start.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


def in_view(store: Store, user: User, view: str, day: date) -> list[Occurrence]:
    """Return the occurrences the calendar shows in this view, by start time (REM-1)."""
    require_screen(user, Screen.REMINDER)
    lo, hi = view_window(view, day)
    since, until = to_utc(lo, user.time_zone), to_utc(hi, user.time_zone)
    found: list[tuple[datetime, Occurrence]] = []
    for row in rows.visible(store, user.number):
        starts = row["starts"]
        assert isinstance(starts, datetime)
        for t in expand(starts, str(row["rrule"]), owner_zone(store, str(row["owner"])), since, until):
            local = to_local(t, user.time_zone)
            found.append(
                (
                    t,
                    Occurrence(
                        reminder=int(row["id"]),  # type: ignore[call-overload]
                        title=str(row["title"]),
                        start=local_time(t, user.time_zone),
                        owner=str(row["owner"]),
                        editable=row["owner"] == user.number,
                        start_iso=local.isoformat(),
                    ),
                )
            )
    return [o for _, o in sorted(found, key=lambda p: (p[0], p[1].reminder))]


def reminder_of(calendar_event_id: str) -> int:
    """Return the reminder id a calendar chip (one occurrence) belongs to."""
    return int(calendar_event_id.split("@", 1)[0])


def calendar_events(occurrences_shown: list[Occurrence]) -> list[dict[str, object]]:
    """Return FullCalendar events for the occurrences; others' reminders are greyed (read-only)."""
    return [
        {
            "id": f"{o.reminder}@{o.start_iso}",  # one chip per occurrence: FullCalendar draws one per id
            "title": o.title if o.editable else f"🔒 {o.title}",
            "start": o.start_iso,
            "allDay": False,
            "color": THEME_COLORS[DEFAULT_THEME] if o.editable else "#9e9e9e",
        }
        for o in occurrences_shown
    ]


# --- reminder audio (REM-3) ---


def default_beep_wav() -> bytes:
    """Return the Default reminder audio, a beep, as 8 kHz WAV the browser plays (guide p.41)."""
    frames = int(AUDIO_RATE_HZ * BEEP_SECONDS)
    fade = AUDIO_RATE_HZ // 100
    samples = []
    for i in range(frames):
        envelope = min(1.0, i / fade, (frames - i) / fade)
        samples.append(int(12000 * envelope * math.sin(2 * math.pi * BEEP_HZ * i / AUDIO_RATE_HZ)))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(AUDIO_RATE_HZ)
        w.writeframes(struct.pack(f"<{frames}h", *samples))
    return out.getvalue()


def default_beep_gsm() -> bytes:
    """Return the beep as a GSM 06.10 file, as the guide saves it (p.41); needs ffmpeg."""
    if shutil.which("ffmpeg") is None:
        raise AudioUnavailable("Saving as GSM needs ffmpeg, which is not installed here; Play still works.")
    from pydub import AudioSegment  # imported late: only this needs it

    out = io.BytesIO()
    AudioSegment.from_wav(io.BytesIO(default_beep_wav())).export(out, format="gsm")
    return out.getvalue()


def upload_audio(store: Store, user: User, data: bytes, now: datetime) -> str:
    """Keep an uploaded WAV PCM file of at most 5 MB (guide p.40); return its key. Nothing is kept if refused."""
    require_screen(user, Screen.REMINDER)
    if len(data) > REMINDER_AUDIO_MAX_BYTES:
        raise BadReminder(f"The file has {len(data):,} bytes; the reminder audio may have at most 5 MB.")
    info = audio_info(data)
    if info.format != "wav":
        raise BadReminder(
            f"The file is {'not audio' if info.format == 'unknown' else info.format.upper()}: upload WAV."
        )
    if not info.pcm:
        raise BadReminder("The WAV file is not PCM: upload WAV PCM.")
    return blobs.put(store, data, "audio/wav", now)


def call_me(store: Store, user: User, extension: str, script: str, now: datetime) -> str:
    """Record a customized message by 'Call me' (simulated): the phone rings, the user speaks."""
    require_screen(user, Screen.REMINDER)
    if extension != user.number and extension not in available_guests(store, user):
        raise BadReminder(f"{extension!r} is not an extension of this organisation.")
    text = script.strip() or "This is your reminder."
    if len(text) > MAX_TEXT_CHARS:
        raise BadReminder(f"Use at most {MAX_TEXT_CHARS} characters for what you say.")
    wav = render_message(int(now.replace(tzinfo=UTC).timestamp()) ^ int(digits(extension)), text, CALL_ME_SECONDS)
    return blobs.put(store, wav, "audio/wav", now)


def audio_wav(store: Store, user: User, sha256: str) -> bytes:
    """Return a customized reminder audio's bytes to play."""
    require_screen(user, Screen.REMINDER)
    blob = blobs.get(store, sha256)
    if blob is None:
        raise BadReminder("That audio is no longer stored.")
    return blob.content
