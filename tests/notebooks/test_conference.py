"""NB-1: the Conference walkthrough (guide p.36-39) shows the services' events, emails and refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from fvkit.domain.limits import conference_limits
from fvkit.media.audio import audio_info
from fvkit.portal import auth, conference, conference_options
from fvkit.sim.classroom import CLASS_NOW
from fvkit.store import Store
from fvkit.store import conferences as stored
from tests.notebooks.harness import Lesson

NOTEBOOK = "08-conference.ipynb"
NOW = CLASS_NOW


def _emails(outbox: Path) -> dict[str, EmailMessage]:
    found = {}
    for path in outbox.glob("*.eml"):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        found[str(msg["To"])] = msg
    return found


@pytest.mark.req("NB-1")
def test_the_limits_and_the_calendar_are_the_services(lesson: Lesson, db: Store, user: auth.User) -> None:
    result = lesson.run
    size = stored.extension_count(db)
    most, participants = conference_limits(size)
    assert f"{size} extensions: {most} simultaneous user conferences, {participants} participants each" in (
        result.text("limits")
    )
    since, until = conference.month_span(date(2026, 11, 1))
    rows = conference.event_rows(conference.occurrences(db, user, since, until))
    assert len(rows) == 4  # weekly, four times
    shown = result.text("calendar")
    assert "4 occurrence(s)" in shown
    for row in rows:
        assert f"{row['Title']} ┆ {row['Start']} ┆ {row['End']}" in shown


@pytest.mark.req("NB-1")
def test_a_refused_event_printed_the_services_message_and_saved_nothing(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    local = datetime(2026, 11, 6, 14, 0).replace(tzinfo=ZoneInfo(user.time_zone))  # the refused "All hands"
    start = local.astimezone(UTC).replace(tzinfo=None)
    span = [(start, start + timedelta(hours=1))]
    with pytest.raises(conference.BadEvent) as refused:
        conference.check_limits(db, span, 9, user.time_zone, None)
    shown = result.text("refused")
    assert f"Refused: {refused.value}\n" in shown
    assert "Occurrences before: 4, after: 4" in shown
    assert len(stored.list_conferences(db, user.number)) == 1
    assert len(list(lesson.outbox.glob("*.eml"))) == 2  # the saved event's two invitations only


@pytest.mark.req("NB-1")
def test_the_invitation_shown_is_the_outbox_email_and_its_ics_has_the_events_time(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    invite = _emails(lesson.outbox)["Nathalie <nathalie@example.com>"]
    shown = result.text("email")
    assert f"To: {invite['To']}\nSubject: {invite['Subject']}\n" in shown
    assert invite["Subject"] == "Jennifer Hill has invited you to a Conference Call - New phone model"
    ics = next(p for p in invite.iter_attachments() if p.get_content_type() == "text/calendar")
    event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    (saved,) = stored.list_conferences(db, user.number)
    form = conference.get_event(db, user, int(saved["id"]))
    starts = event.decoded("DTSTART")
    assert starts.astimezone(ZoneInfo(user.time_zone)).replace(tzinfo=None) == form.start
    assert f"DTSTART: {starts.isoformat()}\n" in result.text("ics")
    assert "RRULE: FREQ=WEEKLY;COUNT=4" in result.text("ics")


@pytest.mark.req("NB-1")
def test_only_a_mono_8khz_16bit_wav_became_the_announcement(lesson: Lesson, db: Store, user: auth.User) -> None:
    result = lesson.run
    shown = result.text("upload")
    assert "stereo 44.1 kHz 16-bit: refused - The announcement must be mono; this file has 2 channels." in shown
    assert "mono 8 kHz 8-bit: refused - The announcement must be 16-bit PCM." in shown
    assert shown.count("announcement unchanged: True") == 2
    kept = conference_options.announcement_audio(db, user)
    assert kept is not None
    info = audio_info(kept)
    assert (info.format, info.channels, info.rate, info.sample_bytes) == ("wav", 1, 8000, 2)
    for tag in ("call_me", "announcement"):
        (player,) = result.mime(tag, "text/html")
        assert "<audio" in str(player)
