"""Busy people in the routing engine (SIM-7): exact call flows when the people reached are on calls."""

from __future__ import annotations

import pytest

from fvkit.domain.calls import Disposition
from fvkit.domain.handling import Handling
from fvkit.sim.routing import Kind, RoutingOrg, Situation, Transfer, route
from tests.sim.small_org import (
    ANSWERED,
    COLLEAGUE,
    COMPLETED,
    DIAL,
    GROUP,
    INCOMING,
    JULIET,
    MAIN,
    NORA,
    NORMAL,
    OPERATOR,
    RING,
    TRUNK,
    small_org,
)


def _org(**handling: Handling) -> RoutingOrg:
    return small_org(handling, transfer_to={})


def _incoming(**what: object) -> Situation:
    return Situation(Kind.INCOMING, callee=JULIET, trunk=TRUNK, **what)  # type: ignore[arg-type]


@pytest.mark.req("SIM-7")
@pytest.mark.req("PREF-6")
def test_route_a_third_call_to_a_user_with_call_waiting_is_busy() -> None:
    org = _org(**{JULIET: Handling(JULIET, "Juliet Higgins", call_waiting=True)})
    second = route(_incoming(busy=True), org)
    assert second.disposition is Disposition.ANSWERED  # rings while the first call is held
    third = route(_incoming(busy=True, waiting_full=True, leaves_message=False), org)
    assert third.texts() == [
        INCOMING,
        DIAL,
        RING,
        "call unsuccessful, status: BUSY",
        f"process call handling state:<BUSY> for user:<{JULIET}>",
        f"enter voicemail number:{JULIET}, device:{JULIET}@system",
        f"no message left to voicemail account {JULIET}@system <{JULIET}>",
    ]
    assert third.disposition is Disposition.BUSY
    assert third.occupies == ()


@pytest.mark.req("SIM-7")
def test_route_the_user_who_answers_is_occupied_by_the_call() -> None:
    path = route(_incoming(), _org())
    assert path.occupies == (JULIET,)
    assert route(_incoming(answers=False), _org()).occupies == ()


@pytest.mark.req("SIM-7")
def test_route_ring_group_is_answered_by_the_free_member_the_engine_picked() -> None:
    path = route(Situation(Kind.INTERNAL, callee=GROUP, group_member=1), _org())
    assert path.texts() == [
        f"dial ring group:{GROUP}, members:{COLLEAGUE},{NORA}",
        f"call answered by PJSIP/{NORA}",
        COMPLETED,
    ]
    assert path.occupies == (NORA,)
    nobody = route(Situation(Kind.INTERNAL, callee=GROUP, group_member=-1, leaves_message=False), _org())
    assert nobody.texts()[1:] == [
        "call unsuccessful, status: NOANSWER",
        f"enter voicemail number:{GROUP}, device:{GROUP}@system",
        f"no message left to voicemail account {GROUP}@system <{GROUP}>",
    ]
    assert nobody.disposition is Disposition.NO_ANSWER


@pytest.mark.req("SIM-7")
def test_route_a_busy_operator_after_the_auto_attendant_gets_their_busy_handling() -> None:
    s = Situation(Kind.INCOMING, callee=MAIN, trunk=TRUNK, operator_busy=True, leaves_message=True)
    path = route(s, _org(**{OPERATOR: Handling(OPERATOR, "Olivia Front", call_waiting=False)}))
    assert path.texts()[1:6] == [
        "enter auto attendant:auto_attendant_default",
        f"auto attendant transfer to extension:{OPERATOR}",
        f"dial local number:{OPERATOR}, device:PJSIP/{OPERATOR}",
        f'dial local extension:PJSIP/{OPERATOR}, callee id:"Olivia Front" <{OPERATOR}>',
        "call unsuccessful, status: BUSY",
    ]
    assert path.disposition is Disposition.VOICEMAIL
    assert path.voicemail is not None and path.voicemail.owner == OPERATOR
    # with call waiting the operator holds the first caller and takes this one; a third is busy
    waiting = _org(**{OPERATOR: Handling(OPERATOR, "Olivia Front", call_waiting=True)})
    assert route(s, waiting).occupies == (OPERATOR,)
    full = route(Situation(Kind.INCOMING, callee=MAIN, trunk=TRUNK, operator_busy=True, operator_full=True), waiting)
    assert "call unsuccessful, status: BUSY" in full.texts()
    assert full.occupies == ()


@pytest.mark.req("SIM-7")
@pytest.mark.req("SIM-8")
def test_route_the_operator_answers_apart_from_the_caller_staying() -> None:
    stays = Situation(Kind.INCOMING, callee=MAIN, trunk=TRUNK, operator_answers=False, leaves_message=False)
    path = route(stays, _org())
    assert f"process call handling state:<NOANSWER> for user:<{OPERATOR}>" in path.texts()
    hangs_up = route(Situation(Kind.INCOMING, callee=MAIN, trunk=TRUNK, abandons=True), _org())
    assert hangs_up.texts()[-1] == "caller hung up in auto attendant"


@pytest.mark.req("SIM-8")
def test_route_the_main_number_after_hours_plays_the_closed_announcement() -> None:
    path = route(Situation(Kind.INCOMING, callee=MAIN, trunk=TRUNK, schedules=frozenset({"after_hour"})), _org())
    assert path.texts() == [
        f"incoming call from number:{{src}} to DID:14085550100, trunk:{TRUNK}",
        "play announcement:closed_default",
        "announcement finished, hangup",
    ]
    assert path.disposition is Disposition.OTHER
    assert path.occupies == ()


@pytest.mark.req("SIM-7")
def test_route_attended_transfer_to_a_busy_colleague_resumes_the_held_caller() -> None:
    path = route(_incoming(transfer=Transfer.ATTENDED, colleague=NORA, colleague_busy=True), _org())
    assert path.texts() == [
        INCOMING,
        DIAL,
        NORMAL,
        RING,
        ANSWERED,
        f"attended transfer to extension:{NORA} by user:<{JULIET}>",
        "consultation unsuccessful, status: BUSY",
        f"call resumed by user:<{JULIET}>",
        COMPLETED,
    ]
    assert path.disposition is Disposition.ANSWERED
    assert path.occupies == (JULIET,)
    assert path.destination == JULIET


@pytest.mark.req("SIM-7")
def test_route_attended_transfer_nobody_answers_is_noanswer() -> None:
    path = route(_incoming(transfer=Transfer.ATTENDED, colleague=NORA, colleague_answers=False), _org())
    assert "consultation unsuccessful, status: NOANSWER" in path.texts()


@pytest.mark.req("SIM-7")
def test_route_blind_transfer_to_a_busy_colleague_takes_the_colleagues_busy_handling() -> None:
    path = route(_incoming(transfer=Transfer.BLIND, colleague=NORA, colleague_busy=True, leaves_message=True), _org())
    assert path.texts()[5:] == [
        f"blind transfer to extension:{NORA} by user:<{JULIET}>",
        f"dial local number:{NORA}, device:PJSIP/{NORA}",
        f'dial local extension:PJSIP/{NORA}, callee id:"Nora Kline" <{NORA}>',
        "call unsuccessful, status: BUSY",
        f"process call handling state:<BUSY> for user:<{NORA}>",
        f"enter voicemail number:{NORA}, device:{NORA}@system",
        f"record voicemail message for account {NORA}@system <{NORA}>",
        f"voicemail message left to voicemail account {NORA}@system <{NORA}>",
    ]
    assert path.disposition is Disposition.VOICEMAIL
    assert path.owners == (JULIET, NORA)
    assert path.occupies == (JULIET,)


@pytest.mark.req("SIM-7")
@pytest.mark.req("HD-1")
def test_route_blind_transfer_to_a_colleague_in_dnd_follows_their_dnd_handling() -> None:
    org = _org(**{NORA: Handling(NORA, "Nora Kline", dnd=True)})
    path = route(_incoming(transfer=Transfer.BLIND, colleague=NORA, leaves_message=False), org)
    assert f"process call handling state:<DND> for user:<{NORA}>" in path.texts()
    assert path.voicemail is None


@pytest.mark.req("SIM-7")
def test_route_blind_transfer_answered_occupies_both_users() -> None:
    path = route(_incoming(transfer=Transfer.BLIND, colleague=NORA), _org())
    assert path.disposition is Disposition.TRANSFERRED_BLIND
    assert path.occupies == (JULIET, NORA)
    assert path.destination == NORA
