"""Call Handling services (HD-1..8): each setting changed here decides the next call (HD-9)."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from datetime import datetime

import pytest

from fvkit.domain.handling import Action, CallFrom, HandlingStatus, QuickStatus, Rule
from fvkit.domain.limits import ANNOUNCEMENT_MAX_BYTES
from fvkit.portal import auth
from fvkit.portal import call_handling as ch
from fvkit.portal.auth import PermissionDenied, User
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import Store

NOW = datetime(2026, 10, 6, 17, 30)
EVERYONE = frozenset(CallFrom)


@pytest.fixture
def me(seeded_store: Store) -> User:
    """7101 of the seeded organisation: Premium, every privilege, no quick mode, not DND."""
    return auth.sign_in(seeded_store, "7101", "password1", NOW)


def _call(store: Store, src: str, dst: str = "7101", seed: int = 0, **behaviour: bool) -> tuple[str, list[str]]:
    uid = place_call(store, src, dst, NOW, behaviour=Behaviour(**behaviour), seed=seed)
    disposition = store.execute(
        "SELECT disposition FROM call_history WHERE uniqueid = ? AND owner = ?", [uid, dst]
    ).fetchone()[0]
    flow = [
        r[0]
        for r in store.execute("SELECT description FROM call_flow WHERE linkedid = ? ORDER BY seq", [uid]).fetchall()
    ]
    return str(disposition), flow


def _wav(seconds: float = 0.5) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buf.getvalue()


# --- HD-9: a setting changed in the portal decides the next call ----------------------


@pytest.mark.req("HD-1")
@pytest.mark.req("HD-9")
def test_dnd_on_sends_the_next_call_to_voicemail_through_the_dnd_state(seeded_store: Store, me: User) -> None:
    assert ch.set_dnd(seeded_store, me, True).dnd is True
    disposition, flow = _call(seeded_store, "7102", answers=True, leaves_message=True)
    assert disposition == "Voicemail"
    assert "process call handling state:<DND> for user:<7101>" in flow
    assert flow[-1] == "voicemail message left to voicemail account 7101@system <7101>"
    assert not any("call answered by PJSIP/7101" in line for line in flow)

    ch.set_dnd(seeded_store, me, False)
    disposition, flow = _call(seeded_store, "7102", answers=True)
    assert disposition == "Answered"
    assert "process call handling state:<NORMAL> for user:<7101>" in flow


@pytest.mark.req("HD-2")
@pytest.mark.req("HD-9")
def test_call_forward_on_forwards_the_next_call_to_the_validated_number(seeded_store: Store, me: User) -> None:
    setting = ch.set_call_forward(seeded_store, me, True, "+1 (408) 555-0123")
    assert setting.forward_to == "14085550123"
    disposition, flow = _call(seeded_store, "7102", answers=True)
    assert disposition == "Answered"
    assert flow[1:4] == [
        "process call handling state:<NORMAL> for user:<7101>",
        "call forward enabled for user:<7101>",
        "forward call to number:14085550123",
    ]
    ch.set_call_forward(seeded_store, me, False)
    _, flow = _call(seeded_store, "7102", answers=True)
    assert not any(line.startswith("forward call") for line in flow)


@pytest.mark.req("HD-7")
@pytest.mark.req("HD-4")
@pytest.mark.req("HD-9")
def test_no_answer_rule_with_a_follow_me_profile_dials_its_numbers_in_order(seeded_store: Store, me: User) -> None:
    ch.save_follow_me(seeded_store, me, "cell then desk", [("+1 408 555 0111", 15), ("7103", 10)])
    ch.add_rule(
        seeded_store, me, HandlingStatus.NO_ANSWER, Rule("all_day", EVERYONE, Action.FOLLOW_ME, "cell then desk")
    )
    # the seeded draw of call 2 has the second follow me number pick up; call 0 has nobody
    disposition, flow = _call(seeded_store, "7102", seed=2, answers=False, leaves_message=True)
    start = flow.index("process call handling state:<NOANSWER> for user:<7101>")
    assert flow[start - 1] == "call unsuccessful, status: NOANSWER"  # rang 7101 first
    assert (disposition, flow[start + 1 :]) == (
        "Answered",
        [
            "process follow me:<cell then desk> for user:<7101>",
            "dial follow me number:14085550111, ring duration:15s",
            "call unsuccessful, status: NOANSWER",
            "dial follow me number:7103, ring duration:10s",
            "call answered by follow me number:7103",
            "call completed, status: ANSWER",
        ],
    )
    # after the last number the No answer handling applies again: its system default (guide p.29)
    disposition, flow = _call(seeded_store, "7102", seed=0, answers=False, leaves_message=True)
    assert disposition == "Voicemail"
    assert flow[flow.index("dial follow me number:7103, ring duration:10s") :] == [
        "dial follow me number:7103, ring duration:10s",
        "call unsuccessful, status: NOANSWER",
        "process call handling state:<NOANSWER> for user:<7101>",
        "enter voicemail number:7101, device:7101@system",
        "record voicemail message for account 7101@system <7101>",
        "voicemail message left to voicemail account 7101@system <7101>",
    ]


@pytest.mark.req("HD-3")
@pytest.mark.req("HD-4")
@pytest.mark.req("HD-9")
def test_block_list_rule_plays_an_announcement_to_a_blocked_caller(seeded_store: Store, me: User) -> None:
    blocked = "14169342921"  # on 7101's seeded personal block list
    disposition, _ = _call(seeded_store, blocked)
    assert disposition == "Denied"  # system default for Block list: reject

    ch.add_rule(
        seeded_store,
        me,
        HandlingStatus.BLOCK_LIST,
        Rule("all_day", EVERYONE, Action.PLAY_ANNOUNCEMENT, "blocked_caller"),
    )
    disposition, flow = _call(seeded_store, blocked)
    assert disposition == "Other"
    assert flow[-4:] == [
        f"caller number:{blocked} found in personal block list of user:<7101>",
        "process call handling state:<BLOCKLIST> for user:<7101>",
        "play announcement:blocked_caller",
        "announcement finished, hangup",
    ]


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-5")
@pytest.mark.req("HD-9")
def test_user_defined_rules_play_an_announcement_then_enter_the_auto_attendant(seeded_store: Store, me: User) -> None:
    ch.upload_sound_file(seeded_store, me, "my welcome", _wav(), NOW)
    ch.add_rule(
        seeded_store, me, HandlingStatus.NORMAL, Rule("all_day", EVERYONE, Action.PLAY_ANNOUNCEMENT, "my welcome")
    )
    ch.add_rule(
        seeded_store,
        me,
        HandlingStatus.NORMAL,
        Rule("all_day", EVERYONE, Action.AUTO_ATTENDANT, "auto_attendant_default"),
    )
    disposition, flow = _call(seeded_store, "7102", answers=False, abandons=True)
    assert disposition == "Other"
    start = flow.index("process call handling state:<NORMAL> for user:<7101>")
    assert flow[start + 1 :] == [
        "play announcement:my welcome",
        "enter auto attendant:auto_attendant_default",
        "caller hung up in auto attendant",
    ]


@pytest.mark.req("HD-6")
@pytest.mark.req("HD-9")
def test_quick_call_handling_rule_applies_while_the_quick_mode_is_active(seeded_store: Store, me: User) -> None:
    ch.add_rule(seeded_store, me, QuickStatus.AWAY, Rule("all_day", EVERYONE, Action.FORWARD, "7103"))
    _, flow = _call(seeded_store, "7102", answers=True)
    assert "process call handling state:<AWAY> for user:<7101>" not in flow  # not in the quick mode yet

    ch.set_quick_mode(seeded_store, me, QuickStatus.AWAY, datetime(2026, 10, 7))
    disposition, flow = _call(seeded_store, "7102", answers=True)
    assert disposition == "Answered"
    assert flow[1:3] == ["process call handling state:<AWAY> for user:<7101>", "forward call to number:7103"]
    assert ch.quick_setting(seeded_store, me).quick_status is QuickStatus.AWAY

    ch.set_quick_mode(seeded_store, me, QuickStatus.AWAY, datetime(2026, 10, 6, 17))  # expired before NOW
    _, flow = _call(seeded_store, "7102", answers=True)
    assert "process call handling state:<AWAY> for user:<7101>" not in flow


# --- HD-3 / HD-4: call processes ---------------------------------------------------


@pytest.mark.req("HD-3")
@pytest.mark.req("HD-4")
def test_call_process_shows_the_system_default_action_per_status(seeded_store: Store, me: User) -> None:
    normal = ch.call_process(seeded_store, me, HandlingStatus.NORMAL)
    assert (normal.user_defined, normal.default_action, normal.rules) == (False, Action.RING_PHONE, ())
    assert ch.call_process(seeded_store, me, "Block list").default_action is Action.REJECT
    assert ch.call_process(seeded_store, me, "Busy").default_action is Action.VOICEMAIL
    with pytest.raises(ch.BadHandling, match="no call handling status"):
        ch.call_process(seeded_store, me, "Lunch")


@pytest.mark.req("HD-4")
def test_rules_new_edit_move_delete_keep_their_order(seeded_store: Store, me: User) -> None:
    a = Rule("business_hour", frozenset({CallFrom.EXTERNAL}), Action.PLAY_ANNOUNCEMENT, "welcome_default")
    b = Rule("business_hour", frozenset({CallFrom.EXTERNAL}), Action.AUTO_ATTENDANT, "auto_attendant_default")
    c = Rule("after_hour", EVERYONE, Action.DEFAULT, "ignored")
    for r in (a, b, c):
        process = ch.add_rule(seeded_store, me, "Normal", r)
    assert process.user_defined
    assert [r.action for r in process.rules] == [Action.PLAY_ANNOUNCEMENT, Action.AUTO_ATTENDANT, Action.DEFAULT]
    assert process.rules[2].target == ""
    process = ch.move_rule(seeded_store, me, "Normal", 2, up=True)
    assert [r.action for r in process.rules] == [Action.PLAY_ANNOUNCEMENT, Action.DEFAULT, Action.AUTO_ATTENDANT]
    process = ch.move_rule(seeded_store, me, "Normal", 0, up=True)  # already first: stays
    assert process.rules[0].action is Action.PLAY_ANNOUNCEMENT
    process = ch.edit_rule(seeded_store, me, "Normal", 1, Rule("lunch", EVERYONE, Action.FORWARD, "7102"))
    assert process.rules[1] == Rule("lunch", EVERYONE, Action.FORWARD, "7102")
    process = ch.delete_rules(seeded_store, me, "Normal", [0, 1])
    assert process.rules == (b,)
    process = ch.delete_rules(seeded_store, me, "Normal", [0])
    assert (process.rules, process.user_defined) == ((), False)  # back to the system default


@pytest.mark.req("HD-4")
def test_system_default_keeps_the_rules_and_routes_by_default(seeded_store: Store, me: User) -> None:
    ch.add_rule(seeded_store, me, "Normal", Rule("all_day", EVERYONE, Action.FORWARD, "7103"))
    process = ch.set_user_defined(seeded_store, me, "Normal", False)
    assert not process.user_defined and len(process.rules) == 1
    _, flow = _call(seeded_store, "7102", answers=True)
    assert "forward call to number:7103" not in flow
    # guide p.26: User defined first, then New; without a rule the call still gets the default action
    process = ch.set_user_defined(seeded_store, me, "Normal", True)
    process = ch.delete_rules(seeded_store, me, "Normal", [0])
    process = ch.set_user_defined(seeded_store, me, "Normal", True)
    assert process.user_defined and process.rules == ()
    _, flow = _call(seeded_store, "7102", answers=True)
    assert "forward call to number:7103" not in flow


@pytest.mark.req("HD-4")
@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("nowhere", EVERYONE, Action.DEFAULT), "Choose a schedule"),
        (Rule("all_day", frozenset(), Action.DEFAULT), "at least one of Internal"),
        (Rule("all_day", EVERYONE, Action.FOLLOW_ME, "nope"), "follow me profile"),
        (Rule("all_day", EVERYONE, Action.PLAY_ANNOUNCEMENT, "nope"), "sound file"),
        (Rule("all_day", EVERYONE, Action.AUTO_ATTENDANT, "nope"), "auto attendant"),
        (Rule("all_day", EVERYONE, Action.FORWARD, "not a number"), "not a phone number"),
        (Rule("all_day", EVERYONE, Action.FORWARD, "7101"), "own extension"),
        (Rule("all_day", EVERYONE, Action.REJECT), "not an action"),
    ],
)
def test_add_rule_refuses_a_bad_rule_and_saves_nothing(seeded_store: Store, me: User, rule: Rule, message: str) -> None:
    with pytest.raises(ch.BadHandling, match=message):
        ch.add_rule(seeded_store, me, "Normal", rule)
    assert ch.call_process(seeded_store, me, "Normal").rules == ()


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-2")
@pytest.mark.req("HD-7")
def test_forwarding_actions_need_the_call_forwarding_privilege(seeded_store: Store) -> None:
    no_fwd = auth.sign_in(seeded_store, "7104", "password1", NOW)  # Premium, no Call forwarding
    assert Action.FORWARD not in ch.choices(seeded_store, no_fwd).actions
    assert Action.FOLLOW_ME not in ch.choices(seeded_store, no_fwd).actions
    with pytest.raises(PermissionDenied, match="Call forwarding"):
        ch.add_rule(seeded_store, no_fwd, "Normal", Rule("all_day", EVERYONE, Action.FORWARD, "7103"))
    with pytest.raises(PermissionDenied):
        ch.set_call_forward(seeded_store, no_fwd, True, "7103")
    with pytest.raises(PermissionDenied):
        ch.save_follow_me(seeded_store, no_fwd, "x", [("7103", 20)])
    assert ch.quick_setting(seeded_store, no_fwd).may_forward is False


def test_call_handling_needs_standard_access(store: Store, user_of: Callable[[str], User]) -> None:
    basic = user_of("7102")  # Basic access: no Configuration (guide p.56)
    with pytest.raises(PermissionDenied):
        ch.set_dnd(store, basic, True)
    standard = user_of("7101")  # no handling row yet: one is made with the defaults
    assert ch.quick_setting(store, standard).dnd is False
    assert ch.set_dnd(store, standard, True).dnd is True


@pytest.mark.req("HD-2")
def test_call_forward_on_needs_a_valid_number(seeded_store: Store, me: User) -> None:
    with pytest.raises(ch.BadHandling, match="mandatory"):
        ch.set_call_forward(seeded_store, me, True, " ")
    with pytest.raises(ch.BadHandling, match="not a phone number"):
        ch.set_call_forward(seeded_store, me, True, "call me maybe")
    assert ch.quick_setting(seeded_store, me).forward_to == ""


# --- HD-5: sound files ------------------------------------------------------------------


@pytest.mark.req("HD-5")
def test_upload_sound_file_checks_the_content_and_size(seeded_store: Store, me: User) -> None:
    before = ch.sound_files(seeded_store, me)
    with pytest.raises(ch.BadHandling, match="MP3 or WAV"):
        ch.upload_sound_file(seeded_store, me, "fake", b"RIFF not really a wave file" * 10, NOW)
    with pytest.raises(ch.BadHandling, match="5 MB"):
        ch.upload_sound_file(seeded_store, me, "huge", b"\x00" * (ANNOUNCEMENT_MAX_BYTES + 1), NOW)
    with pytest.raises(ch.BadHandling, match="already exists"):
        ch.upload_sound_file(seeded_store, me, "welcome_default", _wav(), NOW)
    assert ch.sound_files(seeded_store, me) == before
    new_id = ch.upload_sound_file(seeded_store, me, "hello", _wav(), NOW)
    assert ch.sound_audio(seeded_store, me, new_id) == _wav()
    assert "hello" in ch.choices(seeded_store, me).sound_files


@pytest.mark.req("HD-5")
def test_call_me_records_a_sound_file_and_delete_refuses_one_in_use(seeded_store: Store, me: User) -> None:
    new_id, notice = ch.call_me_sound_file(seeded_store, me, "recorded", NOW)
    assert "recording" in notice
    assert ch.sound_audio(seeded_store, me, new_id)[:4] == b"RIFF"
    ch.add_rule(seeded_store, me, "Busy", Rule("all_day", EVERYONE, Action.PLAY_ANNOUNCEMENT, "recorded"))
    with pytest.raises(ch.BadHandling, match="Busy rule"):
        ch.delete_sound_file(seeded_store, me, new_id)
    ch.delete_rules(seeded_store, me, "Busy", [0])
    ch.delete_sound_file(seeded_store, me, new_id)
    assert "recorded" not in [f["name"] for f in ch.sound_files(seeded_store, me)]
    system_id = int(ch.sound_files(seeded_store, me)[0]["id"])  # type: ignore[call-overload]
    with pytest.raises(PermissionDenied):
        ch.delete_sound_file(seeded_store, me, system_id)


# --- HD-7: follow me profiles ---------------------------------------------------------


@pytest.mark.req("HD-7")
def test_follow_me_profiles_new_edit_delete(seeded_store: Store, me: User) -> None:
    ch.save_follow_me(seeded_store, me, "mobile", [("+1 408 555 0111", 20), ("7103", 15)])
    assert ch.follow_me_profiles(seeded_store, me)[0].numbers[1].ring_seconds == 15
    ch.save_follow_me(seeded_store, me, "mobile2", [("7103", 25)], old_name="mobile")
    assert [(p.name, len(p.numbers)) for p in ch.follow_me_profiles(seeded_store, me)] == [("mobile2", 1)]
    ch.add_rule(seeded_store, me, "No answer", Rule("all_day", EVERYONE, Action.FOLLOW_ME, "mobile2"))
    with pytest.raises(ch.BadHandling, match="No answer rule"):
        ch.delete_follow_me(seeded_store, me, "mobile2")
    ch.delete_rules(seeded_store, me, "No answer", [0])
    ch.delete_follow_me(seeded_store, me, "mobile2")
    assert ch.follow_me_profiles(seeded_store, me) == ()


@pytest.mark.req("HD-7")
@pytest.mark.parametrize(
    ("name", "numbers", "message"),
    [
        ("", [("7103", 20)], "Name is mandatory"),
        ("p", [], "at least one"),
        ("p", [("nope", 20)], "Number 1"),
        ("p", [("7103", 20), ("7103", 2)], "Number 2: ring duration between"),
        ("p", [("7101", 20)], "own extension"),
    ],
)
def test_follow_me_refuses_bad_profiles(
    seeded_store: Store, me: User, name: str, numbers: list[tuple[str, int]], message: str
) -> None:
    with pytest.raises(ch.BadHandling, match=message):
        ch.save_follow_me(seeded_store, me, name, numbers)
    assert ch.follow_me_profiles(seeded_store, me) == ()


@pytest.mark.req("HD-7")
def test_parse_numbers_reads_one_number_a_line_with_its_ring_duration() -> None:
    assert ch.parse_numbers("+1 408 555 0111, 25\n\n7103\n7104, 15s") == [
        ("+1 408 555 0111", 25),
        ("7103", 20),  # no duration: the default 20 s
        ("7104", 15),
    ]
    with pytest.raises(ch.BadHandling, match="Number 1: the ring duration"):
        ch.parse_numbers("7103, soon")


@pytest.mark.req("HD-4")
def test_rule_rows_show_the_default_action_of_a_default_rule(seeded_store: Store, me: User) -> None:
    process = ch.add_rule(seeded_store, me, "Busy", Rule("lunch", frozenset({CallFrom.INTERNAL}), Action.DEFAULT))
    assert ch.rule_rows(process) == [
        {"Schedule": "Lunch", "Call from": "Internal", "Action": "Default action", "Info": "(Voicemail)"}
    ]
