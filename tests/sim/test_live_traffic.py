"""Live mode: calls keep arriving, statuses follow them, notifications go out (SIM-5, NOTIF-1)."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from email import policy

import pytest

from fvkit.media.mail import MailSettings
from fvkit.sim.live_traffic import LiveTraffic
from fvkit.sim.traffic import to_micros
from fvkit.store import Store
from tests.conftest import SmtpInbox

BUSY_HOUR = datetime(2026, 10, 6, 17, 0)  # 10:00 in Los Angeles, a Tuesday


def _count(store: Store) -> int:
    return int(store.execute("SELECT count(*) FROM calls").fetchone()[0])


@pytest.mark.req("SIM-5")
def test_calls_arrive_inside_each_step_and_show_in_the_history(seeded_store: Store) -> None:
    live = LiveTraffic(seeded_store, BUSY_HOUR, seed=5, calls_per_user_day=200)
    before = _count(seeded_store)
    end = BUSY_HOUR + timedelta(minutes=15)
    step = live.advance(end)
    assert step.calls
    assert _count(seeded_store) == before + len(step.calls)
    starts = seeded_store.execute(
        "SELECT min(start), max(start) FROM calls WHERE uniqueid IN (SELECT unnest(?))", [list(step.calls)]
    ).fetchone()
    assert starts[0] >= BUSY_HOUR and starts[1] < end
    flows = seeded_store.execute(
        "SELECT count(DISTINCT linkedid) FROM call_flow WHERE linkedid IN (SELECT unnest(?))", [list(step.calls)]
    ).fetchone()[0]
    assert flows == len(step.calls)
    assert live.advance(end).calls == ()  # no time passed, no calls


@pytest.mark.req("SIM-5")
@pytest.mark.req("HOME-2")
def test_header_status_follows_the_calls_in_flight(seeded_store: Store) -> None:
    live = LiveTraffic(seeded_store, BUSY_HOUR, seed=7, calls_per_user_day=300)
    live.advance(BUSY_HOUR + timedelta(minutes=10))
    leg = next(c for c in live.in_flight if c.answer_us is not None and c.end_us - c.answer_us > 5_000_000)
    during = datetime(1970, 1, 1) + timedelta(microseconds=leg.answer_us + 1_000_000)
    live.clock = max(live.clock, during)  # look at that moment without adding calls
    live._statuses(to_micros(during), during)
    status = seeded_store.execute("SELECT status FROM extension WHERE number = ?", [leg.owner]).fetchone()[0]
    assert status == "In use"
    after = datetime(1970, 1, 1) + timedelta(microseconds=max(c.end_us for c in live.in_flight) + 1)
    live._statuses(to_micros(after), after)
    statuses = dict(seeded_store.execute("SELECT number, status FROM extension").fetchall())
    assert statuses[leg.owner] == "Not in use"
    seeded_store.execute("UPDATE handling SET dnd = true WHERE owner = ?", [leg.owner])
    live.advance(after + timedelta(seconds=1))
    assert seeded_store.execute("SELECT status FROM extension WHERE number = ?", [leg.owner]).fetchone()[0] == "DND"


@pytest.mark.req("SIM-5")
@pytest.mark.req("HD-9")
def test_a_setting_changed_between_steps_routes_the_next_calls(seeded_store: Store) -> None:
    live = LiveTraffic(seeded_store, BUSY_HOUR, seed=9, calls_per_user_day=400)
    seeded_store.execute("UPDATE handling SET dnd = true")
    step = live.advance(BUSY_HOUR + timedelta(minutes=20))
    lines = [
        r[0]
        for r in seeded_store.execute(
            "SELECT description FROM call_flow WHERE linkedid IN (SELECT unnest(?))", [list(step.calls)]
        ).fetchall()
    ]
    assert any("state:<DND>" in line for line in lines)
    # no user's phone is rung (ring-group members are rung by the group, without their handling)
    assert not any(line.startswith("dial local extension:PJSIP/71") for line in lines)


@pytest.mark.req("NOTIF-1")
@pytest.mark.req("SIM-5")
def test_voicemail_and_missed_call_emails_reach_an_smtp_server(
    seeded_store: Store, smtp: tuple[SmtpInbox, MailSettings]
) -> None:
    seeded_store.execute(
        "UPDATE preference SET vm_notification = 'With attachment', missed_call_email = true, "
        "notify_emails = owner || '@example.com'"
    )
    inbox, mail = smtp
    live = LiveTraffic(seeded_store, BUSY_HOUR, seed=11, calls_per_user_day=300, mail=mail)
    step = live.advance(BUSY_HOUR + timedelta(minutes=30))
    assert step.emails and len(inbox.messages) == len(step.emails)
    subjects = [m["Subject"] for m in inbox.messages]
    voicemail = [m for m in inbox.messages if m["Subject"].startswith("New voicemail from ")]
    assert voicemail and any(s.startswith("Missed call from ") for s in subjects)
    parsed = email.message_from_bytes(voicemail[0].as_bytes(), policy=policy.default)
    assert [p.get_content_type() for p in parsed.iter_attachments()] == ["audio/wav"]
    assert parsed["To"].endswith("@example.com")


@pytest.mark.req("NOTIF-1")
def test_no_email_for_users_who_chose_none(seeded_store: Store, tmp_path: object) -> None:
    seeded_store.execute("UPDATE preference SET vm_notification = 'None', missed_call_email = false")
    mail = MailSettings(outbox=tmp_path / "outbox")  # type: ignore[operator]
    live = LiveTraffic(seeded_store, BUSY_HOUR, seed=11, calls_per_user_day=300, mail=mail)
    step = live.advance(BUSY_HOUR + timedelta(minutes=30))
    assert step.calls and step.emails == ()


@pytest.mark.req("REM-6")
@pytest.mark.req("SIM-5")
def test_a_reminder_due_during_a_live_step_calls_its_guest_once(seeded_store: Store) -> None:
    at = BUSY_HOUR + timedelta(minutes=5)
    seeded_store.execute(
        "INSERT INTO reminder (id, owner, title, description, location, starts, rrule, audio, audio_sha256) "
        "VALUES (9001, '7101', 'Stand-up', '', '', ?, '', 'Default', NULL)",
        [at],
    )
    seeded_store.execute("INSERT INTO reminder_guest VALUES (9001, '7102', false)")
    live = LiveTraffic(seeded_store, BUSY_HOUR, seed=3, calls_per_user_day=0)
    live.advance(BUSY_HOUR + timedelta(minutes=10))
    live.advance(BUSY_HOUR + timedelta(minutes=20))
    calls = seeded_store.execute("SELECT src, dst, start FROM calls WHERE dst = '7102' AND start = ?", [at]).fetchall()
    assert calls == [("7101", "7102", at)]
