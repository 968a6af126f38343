"""The routing engine (HD-9): one call-handling path per test, exact call-flow lines."""

from __future__ import annotations

import pytest

from fvkit.domain.calls import Disposition
from fvkit.domain.handling import (
    Action,
    CallFrom,
    FollowMeNumber,
    FollowMeProfile,
    Handling,
    HandlingStatus,
    QuickMode,
    QuickStatus,
    Rule,
    Twinning,
    TwinningMode,
    TwinningStatus,
)
from fvkit.sim.paths import DST, SRC, Offset, Path
from fvkit.sim.routing import (
    GREETING_S,
    Kind,
    RoutingOrg,
    Situation,
    Transfer,
    route,
)
from tests.sim.small_org import (
    ANSWERED,
    COLLEAGUE,
    COMPLETED,
    DIAL,
    GROUP,
    INCOMING,
    JULIET,
    MAIN,
    NORMAL,
    OPERATOR,
    RING,
    TRUNK,
    small_org,
)

MOBILE = "14085550199"
HOME = "14085550142"

# the guide p.13 call-flow lines for Juliet Higgins, reused across tests
NOANSWER_STATE = f"process call handling state:<NOANSWER> for user:<{JULIET}>"
VOICEMAIL = f"enter voicemail number:{JULIET}, device:{JULIET}@system"
NO_MESSAGE = f"no message left to voicemail account {JULIET}@system <{JULIET}>"
RECORD = f"record voicemail message for account {JULIET}@system <{JULIET}>"
MESSAGE_LEFT = f"voicemail message left to voicemail account {JULIET}@system <{JULIET}>"
ALL_CALLERS = frozenset(CallFrom)

#: guide p.27: "one call process with a Play announcement action, followed by another
#: with an Auto attendant action" - both in business_hour
GUIDE_P27_RULES = {
    HandlingStatus.NORMAL: (
        Rule("business_hour", frozenset({CallFrom.EXTERNAL}), Action.PLAY_ANNOUNCEMENT, "welcome_default"),
        Rule("business_hour", frozenset({CallFrom.EXTERNAL}), Action.AUTO_ATTENDANT, "auto_attendant_default"),
    )
}
MOBILE_THEN_HOME = FollowMeProfile("mobile_then_home", (FollowMeNumber(MOBILE, 20), FollowMeNumber(HOME, 15)))
FOLLOW_ME_ON_NO_ANSWER = {
    HandlingStatus.NO_ANSWER: (Rule("all_day", ALL_CALLERS, Action.FOLLOW_ME, "mobile_then_home"),)
}


def _org(juliet: Handling | None = None, **others: Handling) -> RoutingOrg:
    """Return a small organisation: Juliet's handling as given, everyone else default."""
    handling = {} if juliet is None else {JULIET: juliet}
    handling.update(others)
    return small_org(handling, transfer_to={JULIET: COLLEAGUE})


def _juliet(**settings: object) -> Handling:
    return Handling(JULIET, "Juliet Higgins", **settings)  # type: ignore[arg-type]


def _internal(callee: str = JULIET, **what: object) -> Situation:
    return Situation(Kind.INTERNAL, callee=callee, **what)  # type: ignore[arg-type]


def _incoming(**what: object) -> Situation:
    return Situation(Kind.INCOMING, callee=JULIET, trunk=TRUNK, **what)  # type: ignore[arg-type]


def _offset_of(path: Path, text: str) -> Offset:
    return next(s.offset for s in path.steps if s.text == text)


@pytest.mark.req("HD-9")
def test_route_plain_answer() -> None:
    path = route(_internal(), _org())
    assert path.disposition is Disposition.ANSWERED
    assert path.texts() == [DIAL, NORMAL, RING, ANSWERED, COMPLETED]
    assert path.answer == Offset(ring=1)
    assert path.end == Offset(ring=1, talk=1)
    assert path.owners == (JULIET,)
    assert path.voicemail is None and path.recording is None


@pytest.mark.req("HD-9")
def test_route_no_answer_without_message_is_the_guide_p13_flow() -> None:
    # guide p.13: "Disposition: No Answer" and the seven call-flow lines below
    path = route(_internal(answers=False, leaves_message=False), _org(_juliet(ring_seconds=6)))
    assert path.disposition is Disposition.NO_ANSWER
    assert path.texts() == [
        "dial local number:7101, device:PJSIP/7101",
        "process call handling state:<NORMAL> for user:<7101>",
        'dial local extension:PJSIP/7101, callee id:"Juliet Higgins" <7101>',
        "call unsuccessful, status: NOANSWER",
        "process call handling state:<NOANSWER> for user:<7101>",
        "enter voicemail number:7101, device:7101@system",
        "no message left to voicemail account 7101@system <7101>",
    ]
    assert path.voicemail is None
    assert path.answer is None  # the caller hung up on the greeting: nothing billed


@pytest.mark.req("HD-9")
@pytest.mark.req("PREF-6")
@pytest.mark.parametrize("ring_seconds", [6, 15, 30])
def test_route_no_answer_comes_exactly_ring_seconds_after_the_dial(ring_seconds: int) -> None:
    path = route(
        _internal(answers=False, leaves_message=False),
        _org(_juliet(ring_seconds=ring_seconds)),
    )
    dialled = _offset_of(path, RING)
    unanswered = _offset_of(path, "call unsuccessful, status: NOANSWER")
    assert dialled == Offset()
    assert unanswered == Offset(const=ring_seconds)
    assert _offset_of(path, VOICEMAIL) == unanswered
    assert path.end.const > ring_seconds + GREETING_S  # greeting, then the caller hangs up
    assert (path.end.ring, path.end.talk, path.end.message) == (0, 0, 0)


@pytest.mark.req("HD-9")
def test_route_no_answer_then_voicemail_with_message() -> None:
    path = route(_internal(answers=False, leaves_message=True), _org(_juliet(ring_seconds=20)))
    assert path.disposition is Disposition.VOICEMAIL
    assert path.texts() == [
        DIAL,
        NORMAL,
        RING,
        "call unsuccessful, status: NOANSWER",
        NOANSWER_STATE,
        VOICEMAIL,
        RECORD,
        MESSAGE_LEFT,
    ]
    assert path.voicemail is not None
    assert path.voicemail.owner == JULIET
    # the message starts after the ring duration and the greeting, and lasts `message`
    assert path.voicemail.offset == Offset(const=20 + GREETING_S)
    assert path.answer == path.voicemail.offset
    assert path.end == Offset(const=20 + GREETING_S, message=1)


@pytest.mark.req("HD-9")
def test_route_busy_without_call_waiting_no_message_is_busy() -> None:
    path = route(_internal(busy=True, leaves_message=False), _org(_juliet(call_waiting=False)))
    assert path.disposition is Disposition.BUSY
    assert path.texts() == [
        DIAL,
        RING,
        "call unsuccessful, status: BUSY",
        f"process call handling state:<BUSY> for user:<{JULIET}>",
        VOICEMAIL,
        NO_MESSAGE,
    ]
    assert path.answer is None


@pytest.mark.req("HD-9")
def test_route_busy_with_a_message_is_voicemail() -> None:
    path = route(_internal(busy=True, leaves_message=True), _org(_juliet(call_waiting=False)))
    assert path.disposition is Disposition.VOICEMAIL
    assert path.texts()[2:] == [
        "call unsuccessful, status: BUSY",
        f"process call handling state:<BUSY> for user:<{JULIET}>",
        VOICEMAIL,
        RECORD,
        MESSAGE_LEFT,
    ]


@pytest.mark.req("HD-9")
@pytest.mark.req("PREF-6")
def test_route_busy_with_call_waiting_rings_the_phone() -> None:
    path = route(_internal(busy=True), _org(_juliet(call_waiting=True)))
    assert path.texts() == [DIAL, NORMAL, RING, ANSWERED, COMPLETED]
    assert path.disposition is Disposition.ANSWERED


@pytest.mark.req("HD-1")
@pytest.mark.req("HD-9")
def test_route_dnd_goes_to_voicemail_without_ringing() -> None:
    org = _org(_juliet(dnd=True))
    no_message = route(_internal(leaves_message=False), org)
    assert no_message.disposition is Disposition.NO_ANSWER
    assert no_message.texts() == [
        DIAL,
        f"process call handling state:<DND> for user:<{JULIET}>",
        VOICEMAIL,
        NO_MESSAGE,
    ]
    with_message = route(_internal(leaves_message=True), org)
    assert with_message.disposition is Disposition.VOICEMAIL
    assert with_message.texts()[-2:] == [RECORD, MESSAGE_LEFT]
    # the phone never rings, so whether the callee would answer does not matter
    assert route(_internal(answers=False, leaves_message=True), org).texts() == with_message.texts()


@pytest.mark.req("HD-2")
@pytest.mark.req("HD-9")
def test_route_call_forward() -> None:
    org = _org(_juliet(forward_to=MOBILE))
    path = route(_incoming(), org)
    assert path.disposition is Disposition.ANSWERED
    assert path.texts() == [
        INCOMING,
        DIAL,
        NORMAL,
        f"call forward enabled for user:<{JULIET}>",
        f"forward call to number:{MOBILE}",
        f"call answered by number:{MOBILE}",
        COMPLETED,
    ]
    assert path.destination == MOBILE
    unanswered = route(_incoming(answers=False), org)
    assert unanswered.disposition is Disposition.NO_ANSWER
    assert unanswered.texts()[-1] == "call unsuccessful, status: NOANSWER"
    assert RING not in unanswered.texts()  # forwarded, the desk phone does not ring


@pytest.mark.req("HD-3")
@pytest.mark.req("CT-10")
@pytest.mark.req("HD-9")
def test_route_block_list_is_denied() -> None:
    path = route(_incoming(blocked=True), _org())
    assert path.disposition is Disposition.DENIED
    assert path.texts() == [
        INCOMING,
        DIAL,
        f"caller number:{SRC} found in personal block list of user:<{JULIET}>",
        f"process call handling state:<BLOCKLIST> for user:<{JULIET}>",
        f"call rejected for user:<{JULIET}>, status: DENIED",
    ]
    assert path.answer is None
    assert path.voicemail is None


@pytest.mark.req("HD-3")
@pytest.mark.req("HD-9")
def test_route_block_list_with_a_play_announcement_rule() -> None:
    rules = {HandlingStatus.BLOCK_LIST: (Rule("all_day", ALL_CALLERS, Action.PLAY_ANNOUNCEMENT, "blocked_caller"),)}
    path = route(_incoming(blocked=True, schedules=frozenset({"all_day"})), _org(_juliet(rules=rules)))
    assert path.disposition is Disposition.OTHER
    assert path.texts() == [
        INCOMING,
        DIAL,
        f"caller number:{SRC} found in personal block list of user:<{JULIET}>",
        f"process call handling state:<BLOCKLIST> for user:<{JULIET}>",
        "play announcement:blocked_caller",
        "announcement finished, hangup",
    ]
    assert path.answer == Offset()  # playing the announcement answers the call


@pytest.mark.req("HD-7")
@pytest.mark.req("HD-9")
def test_route_follow_me_numbers_in_sequence_answered_by_the_second() -> None:
    org = _org(
        _juliet(
            ring_seconds=25,
            rules=FOLLOW_ME_ON_NO_ANSWER,
            follow_me={"mobile_then_home": MOBILE_THEN_HOME},
        )
    )
    path = route(_incoming(answers=False, follow_me_answer=1, schedules=frozenset({"all_day"})), org)
    assert path.disposition is Disposition.ANSWERED
    assert path.texts() == [
        INCOMING,
        DIAL,
        NORMAL,
        RING,
        "call unsuccessful, status: NOANSWER",
        NOANSWER_STATE,
        f"process follow me:<mobile_then_home> for user:<{JULIET}>",
        f"dial follow me number:{MOBILE}, ring duration:20s",
        "call unsuccessful, status: NOANSWER",
        f"dial follow me number:{HOME}, ring duration:15s",
        f"call answered by follow me number:{HOME}",
        COMPLETED,
    ]
    # each number rings for its own ring duration (guide p.29)
    steps = path.steps
    assert steps[7].offset == Offset(const=25)
    assert steps[8].offset == steps[9].offset == Offset(const=25 + 20)
    assert path.answer is not None
    assert 25 + 20 < path.answer.const <= 25 + 20 + 15
    assert path.destination == HOME


@pytest.mark.req("HD-7")
@pytest.mark.req("HD-9")
def test_route_follow_me_with_nobody_answering_ends_in_no_answer_handling() -> None:
    org = _org(
        _juliet(
            ring_seconds=20,
            rules=FOLLOW_ME_ON_NO_ANSWER,
            follow_me={"mobile_then_home": MOBILE_THEN_HOME},
        )
    )
    path = route(
        _internal(
            answers=False,
            follow_me_answer=-1,
            leaves_message=True,
            schedules=frozenset({"all_day"}),
        ),
        org,
    )
    # guide p.29: after the last number the No answer handling applies - its system
    # default (voicemail) this time, not the follow me profile again
    assert path.disposition is Disposition.VOICEMAIL
    assert path.texts() == [
        DIAL,
        NORMAL,
        RING,
        "call unsuccessful, status: NOANSWER",
        NOANSWER_STATE,
        f"process follow me:<mobile_then_home> for user:<{JULIET}>",
        f"dial follow me number:{MOBILE}, ring duration:20s",
        "call unsuccessful, status: NOANSWER",
        f"dial follow me number:{HOME}, ring duration:15s",
        "call unsuccessful, status: NOANSWER",
        NOANSWER_STATE,
        VOICEMAIL,
        RECORD,
        MESSAGE_LEFT,
    ]
    assert _offset_of(path, VOICEMAIL) == Offset(const=20 + 20 + 15)


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-5")
@pytest.mark.req("HD-9")
def test_route_play_announcement_then_auto_attendant_guide_p27() -> None:
    path = route(
        _incoming(schedules=frozenset({"business_hour", "all_day"})),
        _org(_juliet(rules=GUIDE_P27_RULES)),
    )
    assert path.disposition is Disposition.ANSWERED
    assert path.texts() == [
        INCOMING,
        DIAL,
        NORMAL,
        "play announcement:welcome_default",
        "enter auto attendant:auto_attendant_default",
        f"auto attendant transfer to extension:{OPERATOR}",
        f"dial local number:{OPERATOR}, device:PJSIP/{OPERATOR}",
        f"process call handling state:<NORMAL> for user:<{OPERATOR}>",
        f'dial local extension:PJSIP/{OPERATOR}, callee id:"Olivia Front" <{OPERATOR}>',
        f"call answered by PJSIP/{OPERATOR}",
        COMPLETED,
    ]
    assert path.answer == Offset()
    # the announcement plays before the auto attendant picks up
    assert _offset_of(path, "enter auto attendant:auto_attendant_default").const > 0
    assert path.owners == (JULIET, OPERATOR)
    assert path.destination == OPERATOR


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-9")
@pytest.mark.parametrize(
    "situation",
    [
        pytest.param(_incoming(schedules=frozenset({"after_hour", "all_day"})), id="after-hours"),
        pytest.param(_incoming(schedules=frozenset()), id="no-schedule-active"),
        pytest.param(_internal(schedules=frozenset({"business_hour"})), id="internal-caller"),
        pytest.param(
            Situation(Kind.PEER, callee=JULIET, trunk=TRUNK, schedules=frozenset({"business_hour"})),
            id="office-peer",
        ),
    ],
)
def test_route_user_defined_rules_do_not_apply_outside_their_schedule_or_callers(
    situation: Situation,
) -> None:
    path = route(situation, _org(_juliet(rules=GUIDE_P27_RULES)))
    # no rule applies: the system default action (Ring Phone) of the Normal status
    assert path.disposition is Disposition.ANSWERED
    assert path.texts()[-4:] == [NORMAL, RING, ANSWERED, COMPLETED]
    assert not any("announcement" in t or "auto attendant" in t for t in path.texts())


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-9")
def test_route_play_announcement_as_the_last_rule_ends_the_call() -> None:
    rules = {HandlingStatus.NORMAL: (Rule("all_day", ALL_CALLERS, Action.PLAY_ANNOUNCEMENT, "closed_default"),)}
    path = route(_internal(schedules=frozenset({"all_day"})), _org(_juliet(rules=rules)))
    assert path.disposition is Disposition.OTHER
    assert path.texts() == [
        DIAL,
        NORMAL,
        "play announcement:closed_default",
        "announcement finished, hangup",
    ]


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-9")
def test_route_forward_rule_after_hours() -> None:
    rules = {
        HandlingStatus.NORMAL: (
            Rule("after_hour", ALL_CALLERS, Action.FORWARD, MOBILE),
            Rule("business_hour", ALL_CALLERS, Action.DEFAULT),
        )
    }
    org = _org(_juliet(rules=rules))
    after = route(_incoming(schedules=frozenset({"after_hour"})), org)
    assert after.texts() == [
        INCOMING,
        DIAL,
        NORMAL,
        f"forward call to number:{MOBILE}",
        f"call answered by number:{MOBILE}",
        COMPLETED,
    ]
    during = route(_incoming(schedules=frozenset({"business_hour"})), org)
    assert during.texts() == [INCOMING, DIAL, NORMAL, RING, ANSWERED, COMPLETED]


@pytest.mark.req("HD-9")
def test_route_phone_not_connected() -> None:
    path = route(_internal(leaves_message=False), _org(_juliet(registered=False)))
    assert path.disposition is Disposition.NO_ANSWER
    assert path.texts() == [
        DIAL,
        RING,
        "call unsuccessful, status: CHANUNAVAIL",
        f"process call handling state:<UNAVAILABLE> for user:<{JULIET}>",
        VOICEMAIL,
        NO_MESSAGE,
    ]


@pytest.mark.req("HD-6")
@pytest.mark.req("PREF-7")
@pytest.mark.req("HD-9")
def test_route_quick_mode_out_of_office() -> None:
    org = _org(_juliet(quick_mode=QuickMode(QuickStatus.OUT_OF_OFFICE, None)))
    path = route(_internal(quick_active=True, leaves_message=True), org)
    assert path.disposition is Disposition.VOICEMAIL
    assert path.texts() == [
        DIAL,
        f"process call handling state:<OUTOFOFFICE> for user:<{JULIET}>",
        VOICEMAIL,
        RECORD,
        MESSAGE_LEFT,
    ]
    # once the quick mode has expired, calls ring again
    expired = route(_internal(quick_active=False), org)
    assert expired.texts() == [DIAL, NORMAL, RING, ANSWERED, COMPLETED]


@pytest.mark.req("HD-6")
@pytest.mark.req("HD-9")
def test_route_quick_mode_away_with_its_own_call_process() -> None:
    rules = {QuickStatus.AWAY: (Rule("all_day", ALL_CALLERS, Action.FORWARD, MOBILE),)}
    org = _org(_juliet(quick_mode=QuickMode(QuickStatus.AWAY, None), rules=rules))
    path = route(_internal(quick_active=True, schedules=frozenset({"all_day"})), org)
    assert path.texts() == [
        DIAL,
        f"process call handling state:<AWAY> for user:<{JULIET}>",
        f"forward call to number:{MOBILE}",
        f"call answered by number:{MOBILE}",
        COMPLETED,
    ]


@pytest.mark.req("HD-8")
@pytest.mark.req("PREF-8")
@pytest.mark.req("HD-9")
def test_route_twinning_simple_activated() -> None:
    twin = Twinning(TwinningMode.SIMPLE, TwinningStatus.ACTIVATED, MOBILE)
    path = route(_internal(), _org(_juliet(twinning=twin)))
    assert path.disposition is Disposition.ANSWERED
    assert path.texts() == [
        DIAL,
        NORMAL,
        RING,
        f"dial twinning number:{MOBILE} for user:<{JULIET}>",
        ANSWERED,
        COMPLETED,
    ]
    deactivated = Twinning(TwinningMode.SIMPLE, TwinningStatus.DEACTIVATED, MOBILE)
    assert route(_internal(), _org(_juliet(twinning=deactivated))).texts() == [
        DIAL,
        NORMAL,
        RING,
        ANSWERED,
        COMPLETED,
    ]


@pytest.mark.req("HD-8")
@pytest.mark.req("PREF-8")
@pytest.mark.req("HD-9")
def test_route_twinning_scheduled_uses_the_active_schedules_number() -> None:
    twin = Twinning(TwinningMode.SCHEDULED, scheduled=(("lunch", MOBILE), ("after_hour", HOME)))
    org = _org(_juliet(twinning=twin))
    lunch = route(_internal(schedules=frozenset({"business_hour", "lunch"})), org)
    assert f"dial twinning number:{MOBILE} for user:<{JULIET}>" in lunch.texts()
    evening = route(_internal(schedules=frozenset({"after_hour"})), org)
    assert f"dial twinning number:{HOME} for user:<{JULIET}>" in evening.texts()
    morning = route(_internal(schedules=frozenset({"business_hour"})), org)
    assert not any("twinning" in t for t in morning.texts())


@pytest.mark.req("HD-9")
@pytest.mark.parametrize(
    ("transfer", "disposition", "lines"),
    [
        (
            Transfer.BLIND,
            Disposition.TRANSFERRED_BLIND,
            [f"blind transfer to extension:{COLLEAGUE} by user:<{JULIET}>"],
        ),
        (
            Transfer.ATTENDED,
            Disposition.TRANSFERRED_ATTENDED,
            [
                f"attended transfer to extension:{COLLEAGUE} by user:<{JULIET}>",
                f"consultation answered by PJSIP/{COLLEAGUE}",
            ],
        ),
    ],
)
def test_route_transfers(transfer: Transfer, disposition: Disposition, lines: list[str]) -> None:
    path = route(_incoming(transfer=transfer), _org())
    assert path.disposition is disposition
    assert path.texts() == [
        INCOMING,
        DIAL,
        NORMAL,
        RING,
        ANSWERED,
        *lines,
        f'dial local extension:PJSIP/{COLLEAGUE}, callee id:"Arthur Dent" <{COLLEAGUE}>',
        f"call answered by PJSIP/{COLLEAGUE}",
        COMPLETED,
    ]
    assert path.owners == (JULIET, COLLEAGUE)
    assert path.destination == COLLEAGUE


@pytest.mark.req("HD-9")
def test_route_personal_recording() -> None:
    path = route(_internal(recorder=JULIET), _org())
    assert path.disposition is Disposition.ANSWERED
    assert path.texts() == [
        DIAL,
        NORMAL,
        RING,
        ANSWERED,
        f"start personal recording (*30) for user:<{JULIET}>",
        f"pause personal recording (*31) for user:<{JULIET}>",
        f"resume personal recording (*30) for user:<{JULIET}>",
        COMPLETED,
    ]
    rec = path.recording
    assert rec is not None
    assert rec.owner == JULIET
    assert path.answer is not None
    assert path.answer.talk < rec.start.talk < rec.pause.talk < rec.resume.talk < rec.end.talk
    assert rec.end == path.end
    assert [s.offset for s in path.steps[4:7]] == [rec.start, rec.pause, rec.resume]


@pytest.mark.req("HD-9")
@pytest.mark.req("SIM-4")
def test_route_congestion_on_an_outgoing_call() -> None:
    path = route(Situation(Kind.OUTGOING, trunk=TRUNK, congested=True), _org())
    assert path.disposition is Disposition.FAILED
    assert path.texts() == [
        f"dial outgoing number:{DST}, trunk:{TRUNK}",
        f"all lines busy on trunk:{TRUNK}, status: CONGESTION",
    ]
    assert path.answer is None
    assert path.end == Offset()


@pytest.mark.req("HD-9")
@pytest.mark.req("SIM-4")
def test_route_congestion_on_an_incoming_call() -> None:
    # congestion wins over every handling setting: the call never reaches the extension
    path = route(_incoming(congested=True), _org(_juliet(dnd=True, forward_to=MOBILE)))
    assert path.disposition is Disposition.FAILED
    assert path.texts() == [INCOMING, f"all lines busy on trunk:{TRUNK}, status: CONGESTION"]
    assert path.answer is None
    assert path.owners == ()


@pytest.mark.req("HD-9")
def test_route_outgoing_answered_busy_and_unanswered() -> None:
    out = Situation(Kind.OUTGOING, trunk=TRUNK)
    dial = f"dial outgoing number:{DST}, trunk:{TRUNK}"
    assert route(out, _org()).texts() == [dial, f"call answered by number:{DST}", COMPLETED]
    busy = route(Situation(Kind.OUTGOING, trunk=TRUNK, answers=False, remote_busy=True), _org())
    assert busy.disposition is Disposition.BUSY
    assert busy.texts() == [dial, "call unsuccessful, status: BUSY"]
    none = route(Situation(Kind.OUTGOING, trunk=TRUNK, answers=False), _org())
    assert none.disposition is Disposition.NO_ANSWER
    assert none.texts() == [dial, "call unsuccessful, status: NOANSWER"]


@pytest.mark.req("HD-9")
def test_route_ring_group_answerer_owns_the_call() -> None:
    path = route(_internal(callee=GROUP), _org())
    assert path.texts() == [
        f"dial ring group:{GROUP}, members:{COLLEAGUE},7103",
        f"call answered by PJSIP/{COLLEAGUE}",
        COMPLETED,
    ]
    assert COLLEAGUE in path.owners


@pytest.mark.req("HD-1")
@pytest.mark.req("HD-9")
def test_route_auto_attendant_transfer_obeys_the_operators_dnd() -> None:
    org = _org(**{OPERATOR: Handling(OPERATOR, "Olivia Front", dnd=True)})
    path = route(Situation(Kind.INCOMING, callee=MAIN, trunk=TRUNK, leaves_message=False), org)
    assert f"process call handling state:<DND> for user:<{OPERATOR}>" in path.texts()
    assert path.disposition is Disposition.NO_ANSWER


@pytest.mark.req("HD-4")
@pytest.mark.req("HD-9")
def test_route_operator_rules_apply_after_the_callee_ran_its_own_normal_rules() -> None:
    """Visited statuses are per user: Juliet's Normal rules must not mute the operator's."""
    forward = {HandlingStatus.NORMAL: (Rule("all_day", frozenset(CallFrom), Action.FORWARD, MOBILE),)}
    org = _org(_juliet(rules=GUIDE_P27_RULES), **{OPERATOR: Handling(OPERATOR, "Olivia Front", rules=forward)})
    path = route(_incoming(schedules=frozenset({"business_hour", "all_day"})), org)
    assert f"process call handling state:<NORMAL> for user:<{OPERATOR}>" in path.texts()
    assert f"forward call to number:{MOBILE}" in path.texts()
    assert path.destination == MOBILE
