"""Reminder services (REM-1..6): calendar, new/edit/delete, audio, copy/paste, calls to guests."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from fvkit.domain.recurrence import expand
from fvkit.portal import auth, reminder
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.reminder import BadReminder, Draft
from fvkit.sim import reminders as reminders_sim
from fvkit.sim.reminders import fire_due_reminders
from fvkit.store import Store
from fvkit.store import reminders as rows
from tests.conftest import SEED_PASSWORD

Sign = Callable[[str], auth.User]
# 7104's zone is Europe/Paris (UTC+1 in March): 10:00 local is 09:00 UTC
START = datetime(2026, 3, 10, 10, 0)


def _draft(**changes: object) -> Draft:
    base = Draft(title="Stand-up", description="Daily sync", location="Room 2", start=START, guests=("7102",))
    return replace(base, **changes)  # type: ignore[arg-type]


def _snapshot(store: Store) -> tuple[object, ...]:
    return (
        store.execute("SELECT * FROM reminder ORDER BY id").fetchall(),
        store.execute("SELECT * FROM reminder_guest ORDER BY reminder, guest").fetchall(),
        store.execute("SELECT count(*) FROM media_blob").fetchall(),
    )


@pytest.fixture
def grant(store: Store) -> Callable[[str], None]:
    """Give an extension of the test people the Reminder privilege."""

    def add(number: str) -> None:
        store.execute(
            "UPDATE extension SET privileges = list_append(privileges, 'Reminder') WHERE number = ?", [number]
        )

    return add


@pytest.mark.req("REM-1")
def test_in_view_lists_occurrences_of_each_view_in_local_time(store: Store, user_of: Sign) -> None:
    sam = user_of("7104")
    rid = reminder.create(store, sam, _draft(frequency="Daily", count=10))
    stored = rows.get(store, rid)
    assert stored is not None and stored["starts"] == datetime(2026, 3, 10, 9, 0)  # kept in UTC
    agenda = reminder.in_view(store, sam, "Agenda", date(2026, 3, 12))
    assert [(o.title, o.start, o.editable) for o in agenda] == [("Stand-up", "2026-03-12 10:00:00", True)]
    assert len(reminder.in_view(store, sam, "Day", date(2026, 3, 9))) == 0
    week = reminder.in_view(store, sam, "Week", date(2026, 3, 12))  # Sun 8 .. Sat 14 March
    assert [o.start[:10] for o in week] == [f"2026-03-{d}" for d in (10, 11, 12, 13, 14)]
    assert len(reminder.in_view(store, sam, "Month", date(2026, 3, 1))) == 10
    events = reminder.calendar_events(agenda)
    assert events[0]["start"] == "2026-03-12T10:00:00" and reminder.reminder_of(str(events[0]["id"])) == rid
    month = reminder.calendar_events(reminder.in_view(store, sam, "Month", date(2026, 3, 1)))
    assert len({e["id"] for e in month}) == 10  # one chip per day: FullCalendar draws one chip per id
    assert reminder.view_window("Month", date(2026, 12, 5)) == (datetime(2026, 12, 1), datetime(2027, 1, 1))


@pytest.mark.req("REM-1")
def test_the_calendar_needs_the_reminder_privilege(store: Store, user_of: Sign) -> None:
    with pytest.raises(PermissionDenied):
        reminder.in_view(store, user_of("7101"), "Month", date(2026, 3, 1))


@pytest.mark.req("REM-2")
def test_create_keeps_the_fields_recurrence_and_guests(store: Store, user_of: Sign) -> None:
    sam = user_of("7104")
    draft = _draft(
        frequency="Weekly", until=date(2026, 3, 31), external=("+1 (408) 555-0100",), guests=("7102", "7103")
    )
    rid = reminder.create(store, sam, draft)
    row = rows.get(store, rid)
    assert row is not None
    assert (row["owner"], row["title"], row["location"], row["audio"]) == ("7104", "Stand-up", "Room 2", "Default")
    assert row["rrule"] == "FREQ=WEEKLY;UNTIL=20260331T215959"  # local end of day (summer time), in UTC
    assert rows.guests(store, rid) == [("7102", False), ("7103", False), ("14085550100", True)]
    back = reminder.draft_of(store, sam, rid)
    assert (back.start, back.frequency, back.until, back.external) == (
        START,
        "Weekly",
        date(2026, 3, 31),
        ("14085550100",),
    )
    assert len(reminder.in_view(store, sam, "Month", date(2026, 3, 1))) == 4  # 10, 17, 24, 31 March
    assert "7104" not in reminder.available_guests(store, sam)


@pytest.mark.req("REM-2")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Title is mandatory"),
        ({"guests": (), "external": ()}, "at least one guest"),
        ({"guests": ("9999",)}, "Not an extension"),
        ({"external": ("call me maybe",)}, "not a phone number"),
        ({"external": ("12",)}, "7 to 15 digits"),
        ({"frequency": "Hourly"}, "Unknown recurrence"),
        ({"frequency": "Daily", "count": 0}, "between 1 and"),
        ({"frequency": "Daily", "count": 2, "until": date(2026, 4, 1)}, "not both"),
    ],
)
def test_create_refuses_bad_forms_and_keeps_nothing(
    store: Store, user_of: Sign, changes: dict[str, object], message: str
) -> None:
    before = _snapshot(store)
    with pytest.raises(BadReminder, match=message):
        reminder.create(store, user_of("7104"), _draft(**changes))
    assert _snapshot(store) == before


def _wav(rate: int = 8000, seconds: float = 0.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x01" * int(rate * seconds))
    return out.getvalue()


@pytest.mark.req("REM-3")
def test_default_audio_is_a_beep_playable_as_wav_and_saved_as_gsm() -> None:
    wav = reminder.default_beep_wav()
    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (8000, 1, 8000)
    gsm = reminder.default_beep_gsm()
    # GSM 06.10 full rate: 33-byte frames of 160 samples, each starting with the 0xD magic nibble
    assert len(gsm) == 33 * 50 and len(gsm) % 33 == 0
    assert all(gsm[i] >> 4 == 0xD for i in range(0, len(gsm), 33))


@pytest.mark.req("REM-3")
def test_customized_audio_upload_and_call_me(store: Store, user_of: Sign, now: datetime) -> None:
    sam = user_of("7104")
    sha = reminder.upload_audio(store, sam, _wav(), now)
    assert reminder.audio_wav(store, sam, sha) == _wav()
    rid = reminder.create(store, sam, _draft(audio="Customized", audio_sha256=sha))
    assert rows.get(store, rid)["audio_sha256"] == sha  # type: ignore[index]
    recorded = reminder.call_me(store, sam, "7104", "Pick up the kids", now)
    assert reminder.audio_wav(store, sam, recorded)[:4] == b"RIFF"


@pytest.mark.req("REM-3")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 200, "MP3"),
        (b"%PDF-1.4 not audio", "not audio"),
        (_wav()[:20] + b"\x03\x00" + _wav()[22:], "not PCM"),  # IEEE float format tag
        (_wav() + b"\x00" * (5 * 1024 * 1024), "at most 5 MB"),
    ],
)
def test_upload_refuses_anything_but_wav_pcm_up_to_5_mb(
    store: Store, user_of: Sign, now: datetime, data: bytes, message: str
) -> None:
    before = _snapshot(store)
    with pytest.raises(BadReminder, match=message):
        reminder.upload_audio(store, user_of("7104"), data, now)
    assert _snapshot(store) == before


@pytest.mark.req("REM-3")
def test_customized_without_audio_is_refused(store: Store, user_of: Sign) -> None:
    with pytest.raises(BadReminder, match="Create the customized audio"):
        reminder.create(store, user_of("7104"), _draft(audio="Customized"))


@pytest.mark.req("REM-4")
def test_copy_and_paste_fills_a_new_reminder(store: Store, user_of: Sign) -> None:
    sam = user_of("7104")
    rid = reminder.create(store, sam, _draft(frequency="Monthly", count=3, external=("4085550100",)))
    clipboard = reminder.draft_of(store, sam, rid)
    pasted = reminder.paste(clipboard, start=START + timedelta(days=1))
    assert (pasted.title, pasted.frequency, pasted.count, pasted.guests) == ("Stand-up", "Monthly", 3, ("7102",))
    copy = reminder.create(store, sam, replace(pasted, title="Stand-up (copy)"))
    assert copy != rid
    assert rows.guests(store, copy) == rows.guests(store, rid)
    assert [o.title for o in reminder.in_view(store, sam, "Month", date(2026, 3, 1))] == ["Stand-up", "Stand-up (copy)"]


@pytest.mark.req("REM-5")
def test_owner_edits_and_deletes_own_reminder(store: Store, user_of: Sign) -> None:
    sam = user_of("7104")
    rid = reminder.create(store, sam, _draft())
    reminder.update(store, sam, rid, _draft(title="Retro", guests=("7103",)))
    assert rows.get(store, rid)["title"] == "Retro"  # type: ignore[index]
    assert rows.guests(store, rid) == [("7103", False)]
    reminder.delete(store, sam, rid)
    assert rows.get(store, rid) is None and rows.guests(store, rid) == []


@pytest.mark.req("REM-5")
@pytest.mark.req("AUTH-5")
def test_others_and_system_reminders_are_read_only(store: Store, user_of: Sign, grant: Callable[[str], None]) -> None:
    grant("7101")
    sam, juliet = user_of("7104"), user_of("7101")
    theirs = reminder.create(store, juliet, _draft(title="Juliet's", guests=("7104",)))
    private = reminder.create(store, juliet, _draft(title="Juliet only", guests=("7102",)))
    system = rows.save(store, None, "system", {
        "title": "Fire drill", "description": "", "location": "", "starts": datetime(2026, 3, 10, 8),
        "rrule": "", "audio": "Default", "audio_sha256": None,
    }, [("7104", False)])  # fmt: skip
    shown = reminder.in_view(store, sam, "Month", date(2026, 3, 1))
    assert {(o.title, o.editable) for o in shown} == {("Juliet's", False), ("Fire drill", False)}
    before = _snapshot(store)
    for rid in (theirs, system):
        assert not reminder.is_editable(store, sam, rid)
        assert reminder.draft_of(store, sam, rid).title in {"Juliet's", "Fire drill"}
        with pytest.raises(PermissionDenied, match="cannot change it"):
            reminder.update(store, sam, rid, _draft())
        with pytest.raises(PermissionDenied):
            reminder.delete(store, sam, rid)
    with pytest.raises(PermissionDenied):  # neither owner nor guest: not even readable
        reminder.draft_of(store, sam, private)
    assert _snapshot(store) == before


@pytest.mark.req("REM-6")
def test_fire_due_reminders_calls_each_guest_once(seeded_store: Store) -> None:
    alice = auth.sign_in(seeded_store, "7101", SEED_PASSWORD, datetime(2026, 10, 6, 8))
    at = datetime(2026, 10, 6, 12, 0)  # local time of 7101
    rid = reminder.create(seeded_store, alice, _draft(start=at, guests=("7102",), external=("4085550123",)))
    t = rows.get(seeded_store, rid)["starts"]  # type: ignore[index]
    assert isinstance(t, datetime)
    calls = fire_due_reminders(seeded_store, t - timedelta(minutes=1), t + timedelta(minutes=1))
    assert [(c.guest, c.occurrence) for c in calls] == [("7102", t), ("4085550123", t)]
    internal = calls[0].uniqueid
    cdr = seeded_store.execute(
        "SELECT owner, src, dst, start_time FROM cdr WHERE uniqueid = ? AND is_primary", [internal]
    ).fetchall()
    assert cdr == [("7101", "7101", "7102", t)]
    assert seeded_store.execute(
        "SELECT count(*) FROM cdr WHERE owner = '7102' "
        "AND linkedid = (SELECT linkedid FROM cdr WHERE uniqueid = ? AND is_primary)",
        [internal],
    ).fetchone() == (1,)  # in the guest's call history
    flow = seeded_store.execute(
        "SELECT description FROM call_flow WHERE linkedid = ? ORDER BY seq", [internal]
    ).fetchall()
    assert flow and flow[0][0].startswith("dial local number:7102")
    total = seeded_store.execute("SELECT count(*) FROM cdr").fetchone()
    assert fire_due_reminders(seeded_store, t - timedelta(minutes=1), t + timedelta(minutes=1)) == []
    assert seeded_store.execute("SELECT count(*) FROM cdr").fetchone() == total
    assert fire_due_reminders(seeded_store, t + timedelta(minutes=1), t + timedelta(days=1)) == []  # not due


@pytest.mark.req("REM-6")
def test_a_system_reminder_calls_from_the_reminder_service_and_repeats(seeded_store: Store) -> None:
    t = datetime(2026, 10, 6, 15, 0)
    values: dict[str, object] = {
        "title": "Fire drill", "description": "", "location": "", "starts": t,
        "rrule": "FREQ=DAILY;COUNT=2", "audio": "Default", "audio_sha256": None,
    }  # fmt: skip
    rid = rows.save(seeded_store, None, "system", values, [("7102", False), ("4085550123", True)])
    calls = fire_due_reminders(seeded_store, t, t + timedelta(days=2))
    assert [(c.occurrence, c.guest, bool(c.uniqueid)) for c in calls] == [
        (t, "7102", True),
        (t, "4085550123", False),  # no extension to dial out from: reported, not placed
        (t + timedelta(days=1), "7102", True),
        (t + timedelta(days=1), "4085550123", False),
    ]
    assert "Neither" in calls[1].note
    src = seeded_store.execute(
        "SELECT src, dst FROM cdr WHERE uniqueid = ? AND is_primary", [calls[0].uniqueid]
    ).fetchall()
    assert src == [(reminders_sim.SYSTEM_CALLER, "7102")]
    assert rows.fired(seeded_store, rid) == {t, t + timedelta(days=1)}


@pytest.mark.req("REM-2")
def test_a_daily_reminder_keeps_its_local_time_across_a_dst_change() -> None:
    # 09:00 in Los Angeles is 16:00 UTC in summer time and 17:00 UTC after 1 November 2026
    first = datetime(2026, 10, 30, 16, 0)
    found = expand(first, "FREQ=DAILY;COUNT=5", "America/Los_Angeles", datetime(2026, 10, 30), datetime(2026, 11, 5))
    assert [t.hour for t in found] == [16, 16, 17, 17, 17]  # DST ends early on 1 November
    assert found[-1] == datetime(2026, 11, 3, 17, 0)
