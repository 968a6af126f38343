"""One call at a time through the bulk engine: click to dial and live traffic (CH-3, HD-9)."""

from __future__ import annotations

from datetime import datetime

import pytest

from fvkit.sim.live import Behaviour, CannotDial, place_call
from fvkit.store import Store

NOW = datetime(2026, 10, 6, 17, 30)


@pytest.fixture
def store(seeded_store: Store) -> Store:
    return seeded_store


def _history(store: Store, uniqueid: str) -> list[tuple[object, ...]]:
    return store.execute(
        "SELECT owner, placed, disposition, direction FROM call_history WHERE uniqueid = ? ORDER BY owner", [uniqueid]
    ).fetchall()


@pytest.mark.req("CH-3")
@pytest.mark.req("HD-9")
def test_place_call_internal_shows_at_once_in_both_histories_with_its_flow(store: Store) -> None:
    uid = place_call(store, "7101", "7102", NOW, behaviour=Behaviour(answers=False, leaves_message=True))
    assert _history(store, uid) == [
        ("7101", True, "Voicemail", "Internal"),
        ("7102", False, "Voicemail", "Internal"),
    ]
    flow = [
        r[0]
        for r in store.execute("SELECT description FROM call_flow WHERE linkedid = ? ORDER BY seq", [uid]).fetchall()
    ]
    assert flow[0] == "dial local number:7102, device:PJSIP/7102"
    assert "process call handling state:<NOANSWER> for user:<7102>" in flow
    assert flow[-1] == "voicemail message left to voicemail account 7102@system <7102>"
    assert store.execute("SELECT count(*) FROM voicemails WHERE linkedid = ?", [uid]).fetchone() == (1,)


@pytest.mark.req("CH-3")
def test_place_call_outgoing_normalises_the_dialled_number(store: Store) -> None:
    uid = place_call(store, "7101", "+1 (408) 555-0199", NOW, behaviour=Behaviour(answers=True, talk_seconds=30))
    row = store.execute(
        "SELECT src, dst, direction, disposition, billsec FROM calls WHERE uniqueid = ?", [uid]
    ).fetchone()
    assert row == ("7101", "14085550199", "Outgoing", "Answered", 30)


@pytest.mark.req("HD-9")
@pytest.mark.req("CT-10")
def test_place_call_from_a_blocked_number_is_denied(store: Store) -> None:
    owner, number = store.execute(
        "SELECT b.owner, b.number FROM block_entry b JOIN extension e ON e.number = b.owner "
        "WHERE list_contains(e.privileges, 'Block list') ORDER BY b.owner LIMIT 1"
    ).fetchone()
    uid = place_call(store, number, owner, NOW)
    assert _history(store, uid) == [(owner, False, "Denied", "Incoming")]


@pytest.mark.req("HD-9")
def test_place_call_follows_a_setting_changed_just_before(store: Store) -> None:
    store.execute("UPDATE handling SET dnd = true WHERE owner = '7102'")
    uid = place_call(store, "7101", "7102", NOW, behaviour=Behaviour(answers=True, leaves_message=False))
    flow = [
        r[0]
        for r in store.execute("SELECT description FROM call_flow WHERE linkedid = ? ORDER BY seq", [uid]).fetchall()
    ]
    assert "process call handling state:<DND> for user:<7102>" in flow
    assert _history(store, uid)[0][2] == "No Answer"


@pytest.mark.parametrize(
    ("src", "dst", "message"),
    [
        ("7101", "7101", "cannot call itself"),
        ("14085550100", "14085550101", "Neither"),
        ("7101", "'; DROP TABLE cdr; --", "not a number"),
    ],
)
def test_place_call_refuses_what_cannot_be_dialled(store: Store, src: str, dst: str, message: str) -> None:
    before = store.execute("SELECT count(*) FROM cdr").fetchone()
    with pytest.raises(CannotDial, match=message):
        place_call(store, src, dst, NOW)
    assert store.execute("SELECT count(*) FROM cdr").fetchone() == before


@pytest.mark.req("CT-10")
@pytest.mark.req("HD-9")
def test_a_number_blocked_in_e164_form_blocks_the_caller_dialling_bare_digits(store: Store) -> None:
    store.execute(
        "INSERT INTO block_entry VALUES (9001, '7101', '+1 (613) 555-0142', 'Spam', 'typed with punctuation')"
    )
    uid = place_call(store, "16135550142", "7101", NOW)
    assert _history(store, uid) == [("7101", False, "Denied", "Incoming")]


@pytest.mark.req("VM-1")
def test_a_message_left_just_now_waits_unheard_in_the_inbox(store: Store) -> None:
    # the bulk simulation marks half the past messages heard; nobody can have heard a message left now
    for minute in range(8):
        uid = place_call(
            store, "7101", "7102", NOW.replace(minute=minute), behaviour=Behaviour(answers=False, leaves_message=True)
        )
        row = store.execute(
            "SELECT is_new FROM voicemails WHERE linkedid = (SELECT linkedid FROM calls WHERE uniqueid = ?)", [uid]
        ).fetchall()
        assert row == [(True,)], minute
    (heard,) = store.execute("SELECT count(*) FROM voicemails WHERE NOT is_new").fetchone()
    assert heard > 0  # the simulated past still has heard ones
