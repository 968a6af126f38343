"""NB-1: the Reminder walkthrough (guide p.40-42): the calendar, the refusals and the calls a due reminder placed."""

from __future__ import annotations

import base64
import io
import re
import wave
from datetime import date, datetime

import pytest

from fvkit.domain.limits import AUDIO_RATE_HZ, REMINDER_AUDIO_MAX_BYTES
from fvkit.portal import auth, call_history, reminder
from fvkit.sim.classroom import CLASS_NOW
from fvkit.store import Store
from fvkit.store import reminders as rows
from tests.notebooks.harness import Lesson

NOTEBOOK = "09-reminder.ipynb"
NOW = CLASS_NOW
STANDUP = 1  # the notebook's first reminder
DUE = datetime(2026, 11, 2, 18, 0)  # its first occurrence, 10:00 in Los Angeles, in UTC


@pytest.mark.req("NB-1")
def test_the_views_printed_are_the_services(lesson: Lesson, db: Store, user: auth.User) -> None:
    shown = lesson.run.text("views").splitlines()
    expected = []
    for view in reminder.VIEWS:
        found = [o for o in reminder.in_view(db, user, view, date(2026, 11, 2)) if o.reminder == STANDUP]
        expected.append(f"{view:7} {len(found)} reminder(s): " + ", ".join(o.start for o in found))
    assert shown == expected
    assert shown[0].startswith("Agenda  1 reminder(s)") and shown[2].startswith("Week    3 reminder(s)")
    assert "🔒 Design review" in lesson.run.text("others")


@pytest.mark.req("NB-1")
def test_refusals_print_the_services_messages_and_change_nothing(lesson: Lesson, db: Store, user: auth.User) -> None:
    result = lesson.run
    expected = []
    for label, data in {"notes.txt": b"remember the stand-up", "long.wav": bytes(REMINDER_AUDIO_MAX_BYTES + 1)}.items():
        with pytest.raises(reminder.BadReminder) as refused:
            reminder.upload_audio(db, user, data, NOW)
        expected.append(f"{label}: refused - {refused.value}")
    assert result.text("audio_refused").splitlines() == expected
    assert "Refused: Reminder 2 was set by another user: extension 7101 cannot change it." in (result.text("edit"))
    assert reminder.draft_of(db, user, 2).title == "Design review"
    assert [r["title"] for r in rows.every(db)] == ["Stand-up", "Design review"]  # the copy was deleted
    assert reminder.draft_of(db, user, STANDUP).audio == "Customized"


@pytest.mark.req("NB-1")
def test_the_due_reminder_called_every_guest_and_the_calls_are_in_history(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    assert rows.fired(db, STANDUP) == {DUE}
    page = call_history.list_page(db, user, call_history.query(user, view="Placed"))
    newest = page.rows.head(3)
    assert sorted(newest["To"]) == ["14165550142", "7102", "7105"]
    assert set(newest["Start"]) == {"2026-11-02 10:00:00"}
    fired, history, flows = result.text("fire"), result.text("history"), result.text("flows")
    for uniqueid in newest["uniqueid"]:
        assert uniqueid in fired and uniqueid in history
        details = call_history.details(db, user, uniqueid)
        assert f"{details.information['To']}: {details.information['Disposition']}" in flows
        for step in details.flow.iter_rows(named=True):
            assert f"    {step['Time']} {step['Description']}" in flows
    assert "Calls placed on a second run: 0" in result.text("again")


@pytest.mark.req("NB-1")
def test_the_beep_and_the_customized_message_are_players(lesson: Lesson) -> None:
    played = {}
    for tag in ("beep", "call_me"):
        (player,) = lesson.run.mime(tag, "text/html")
        (payload,) = re.findall(
            r'<audio[^>]*>\s*<source src="data:audio/[a-z-]*wav;base64,([A-Za-z0-9+/=]+)"', str(player)
        )
        played[tag] = base64.b64decode(payload)
    assert played["beep"] == reminder.default_beep_wav()  # the Default audio, byte for byte
    with wave.open(io.BytesIO(played["call_me"])) as message:  # the customized message: telephone WAV
        assert (message.getnchannels(), message.getframerate(), message.getsampwidth()) == (1, AUDIO_RATE_HZ, 2)
        assert 1.0 <= message.getnframes() / AUDIO_RATE_HZ <= reminder.CALL_ME_SECONDS + 1
