"""The routing engine (HD-9): a call through the callee's call-handling settings.

`route` is pure: given the situation (who is called, the callee's state, what the
people involved will do) and the organisation's settings it returns the call's path -
its flow lines in FortiVoice's wording (guide p.13) and the disposition that follows
from them. Bulk simulation memoises it per situation; live calls call it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from fvkit.domain.calls import Disposition
from fvkit.domain.handling import (
    FLOW_STATE,
    SYSTEM_DEFAULT_ACTION,
    Action,
    CallFrom,
    Handling,
    HandlingStatus,
    QuickStatus,
    Rule,
    TwinningMode,
    TwinningStatus,
)
from fvkit.sim.paths import DST, SRC, Path, PathBuilder, Recorded, Step, VoicemailLeft

GREETING_S = 6.0  # voicemail greeting before the beep
NO_MESSAGE_S = 3.0  # caller hangs up after the beep without speaking
ANNOUNCEMENT_S = 8.0
AUTO_ATTENDANT_S = 9.0  # menu played until the caller picks an extension
REMOTE_NO_ANSWER_S = 30.0  # an outside number rings this long before we give up
FAX_PAGE_S = 35.0
FOLLOW_ME_ANSWER_S = 6.0
TRANSFER_RING_S = 5.0
TRANSFER_NO_ANSWER_S = 20.0  # a consultation rings this long before the user gives up
REJECT_S = 1.0
AFTER_HOURS = "after_hour"  # the schedule during which the main number plays the closed message
CLOSED_ANNOUNCEMENT = "closed_default"


class Kind(IntEnum):
    """Where a call comes from and goes to."""

    INTERNAL = 0  # extension to extension
    OUTGOING = 1  # extension to the outside through a trunk
    INCOMING = 2  # outside to a DID through a trunk
    PEER = 3  # from an office peer


class Transfer(IntEnum):
    """What the person who answered does with the call."""

    NONE = 0
    BLIND = 1
    ATTENDED = 2


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything that decides a call's path; hashable, so paths can be memoised."""

    kind: Kind
    callee: str = ""  # extension the call reaches ('' for outgoing)
    trunk: str = ""
    schedules: frozenset[str] = frozenset()  # schedules active at the call's start
    blocked: bool = False  # the caller is on the callee's personal block list
    busy: bool = False  # the callee is on another call
    quick_active: bool = False  # the callee's quick mode has not expired
    fax: bool = False
    fax_pages: int = 0
    # what the people involved do
    answers: bool = True  # whoever is rung picks up
    leaves_message: bool = True
    follow_me_answer: int = -1  # which follow me number picks up (-1: none)
    transfer: Transfer = Transfer.NONE
    recorder: str = ""  # extension that records with *30 ('' none)
    remote_busy: bool = False  # the outside number is busy (outgoing)
    congested: bool = False  # every trunk line was busy (SIM-4)
    # SIM-7: the state of the other people a call may reach, decided by the engine's timeline
    waiting_full: bool = False  # the callee already holds a call-waiting call: a third is busy
    abandons: bool = False  # the caller hangs up in the auto attendant menu
    operator_busy: bool = False  # the operator is on a call (call waiting may still ring them)
    operator_full: bool = False  # the operator is on a call and holds another
    operator_answers: bool = True
    group_member: int = 0  # which ring group member picks up (-1: nobody is free)
    colleague: str = ""  # transfer target ('' the callee's usual colleague)
    colleague_busy: bool = False
    colleague_answers: bool = True
    talk_left: float = 1.0  # share of the conversation still to come (after a transfer)

    def but(self, **changes: Any) -> Situation:
        """Return this situation with the fields given changed."""
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Party:
    """What routing needs to know of an extension."""

    number: str
    name: str
    kind: str  # ExtensionType label
    did: str = ""  # the outside number that reaches it
    members: tuple[str, ...] = ()  # ring group members


@dataclass(slots=True)
class RoutingOrg:
    """The organisation's settings as the router sees them."""

    parties: dict[str, Party]
    handling: dict[str, Handling]
    operator: str  # where an auto attendant sends callers
    auto_attendants: dict[str, str] = field(default_factory=dict)  # extension -> AA name
    transfer_to: dict[str, str] = field(default_factory=dict)  # colleague per extension

    def name(self, number: str) -> str:
        """Return an extension's display name, or '' for outside numbers."""
        party = self.parties.get(number)
        return party.name if party else ""


def route(s: Situation, org: RoutingOrg) -> Path:
    """Return the path of a call in situation `s` (HD-9)."""
    b = PathBuilder()
    if s.kind is Kind.OUTGOING:
        return _outgoing(b, s)
    party = org.parties[s.callee]
    if s.kind in (Kind.INCOMING, Kind.PEER):
        b.emit(f"incoming call from number:{SRC} to DID:{party.did}, trunk:{s.trunk}")
        if s.congested:
            return b.finish(Disposition.FAILED, f"all lines busy on trunk:{s.trunk}, status: CONGESTION")
    if s.fax:
        return _fax(b, s, party)
    if party.kind == "Auto attendant":
        if AFTER_HOURS in s.schedules:  # SIM-8: the main number after hours plays the closed message
            b.answered()
            b.emit(f"play announcement:{CLOSED_ANNOUNCEMENT}")
            b.wait(const=ANNOUNCEMENT_S)
            b.path.lastapp, b.path.lastdata, b.path.destination = "Playback", CLOSED_ANNOUNCEMENT, party.number
            b.path.owners = (party.number,)
            return b.finish(Disposition.OTHER, "announcement finished, hangup")
        return _auto_attendant(b, s, org, org.auto_attendants.get(party.number, party.name))
    if party.kind == "Group":
        return _group(b, s, party)
    if party.kind == "Conference bridge":
        b.emit(f"enter conference bridge:{party.number}")
        b.answered()
        b.wait(talk=1)
        b.path.lastapp, b.path.lastdata = "ConfBridge", party.number
        return b.finish(Disposition.ANSWERED, "left conference, hangup")
    return _extension(b, s, org, org.handling[s.callee])


def _call_from(s: Situation) -> CallFrom:
    return {Kind.INTERNAL: CallFrom.INTERNAL, Kind.PEER: CallFrom.OFFICE_PEER}.get(s.kind, CallFrom.EXTERNAL)


def _outgoing(b: PathBuilder, s: Situation) -> Path:
    b.emit(f"dial outgoing number:{DST}, trunk:{s.trunk}")
    b.path.destination, b.path.lastdata = DST, f"PJSIP/{DST}@{s.trunk}"
    if s.congested:
        return b.finish(Disposition.FAILED, f"all lines busy on trunk:{s.trunk}, status: CONGESTION")
    if s.fax:
        b.wait(ring=1)
        b.answered()
        b.emit(f"send fax to number:{DST}, pages:{s.fax_pages}")
        b.path.lastapp = "SendFAX"
        b.wait(const=FAX_PAGE_S * max(1, s.fax_pages))
        return b.finish(Disposition.ANSWERED, f"fax sent, pages:{s.fax_pages}")
    if s.remote_busy:
        b.wait(const=2)
        return b.finish(Disposition.BUSY, "call unsuccessful, status: BUSY")
    if not s.answers:
        b.wait(const=REMOTE_NO_ANSWER_S)
        return b.finish(Disposition.NO_ANSWER, "call unsuccessful, status: NOANSWER")
    b.wait(ring=1)
    b.answered()
    b.emit(f"call answered by number:{DST}")
    _talk(b, s)
    return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")


def _talk(b: PathBuilder, s: Situation) -> None:
    """Conversation, with the personal recording the recorder makes (REC-1)."""
    if s.recorder:
        start, pause, resume = (b.now.plus(talk=f * s.talk_left) for f in (0.1, 0.4, 0.55))
        b.path.steps.append(Step(start, f"start personal recording (*30) for user:<{s.recorder}>"))
        b.path.steps.append(Step(pause, f"pause personal recording (*31) for user:<{s.recorder}>"))
        b.path.steps.append(Step(resume, f"resume personal recording (*30) for user:<{s.recorder}>"))
        b.path.recording = Recorded(s.recorder, start, pause, resume, b.now.plus(talk=s.talk_left))
    b.wait(talk=s.talk_left)


def _extension(b: PathBuilder, s: Situation, org: RoutingOrg, h: Handling) -> Path:
    n = h.number
    if n not in b.path.owners:
        b.path.owners = (*b.path.owners, n)
    b.emit(f"dial local number:{n}, device:PJSIP/{n}")
    if s.blocked:
        b.emit(f"caller number:{SRC} found in personal block list of user:<{n}>")
        return _status(b, s, org, h, HandlingStatus.BLOCK_LIST)
    if s.quick_active and h.quick_mode is not None:
        return _status(b, s, org, h, h.quick_mode.status)
    if h.dnd:
        return _status(b, s, org, h, HandlingStatus.DND)
    if not h.registered:
        b.emit(f'dial local extension:PJSIP/{n}, callee id:"{h.display_name}" <{n}>')
        b.emit("call unsuccessful, status: CHANUNAVAIL")
        return _status(b, s, org, h, HandlingStatus.NOT_CONNECTED)
    if s.busy and (not h.call_waiting or s.waiting_full):
        b.emit(f'dial local extension:PJSIP/{n}, callee id:"{h.display_name}" <{n}>')
        b.emit("call unsuccessful, status: BUSY")
        return _status(b, s, org, h, HandlingStatus.BUSY)
    return _status(b, s, org, h, HandlingStatus.NORMAL)


def _rules(s: Situation, h: Handling, status: HandlingStatus | QuickStatus) -> tuple[Rule, ...] | None:
    """Return the user-defined rules that apply now, or None for the system default."""
    if status not in h.rules:
        return None
    source = _call_from(s)
    return tuple(r for r in h.rules[status] if r.schedule in s.schedules and source in r.applies_to)


def _status(b: PathBuilder, s: Situation, org: RoutingOrg, h: Handling, status: HandlingStatus | QuickStatus) -> Path:
    b.emit(f"process call handling state:<{FLOW_STATE[status]}> for user:<{h.number}>")
    if status is HandlingStatus.NORMAL and h.forward_to:
        b.emit(f"call forward enabled for user:<{h.number}>")
        return _forward(b, s, h.forward_to)
    # NOTE: follow me as the No answer action ends in No answer handling again (guide
    # p.29); the second time round the status takes its system default (voicemail).
    rules = None if (h.number, status) in b.visited else _rules(s, h, status)
    b.visited.add((h.number, status))
    if not rules:
        return _action(b, s, org, h, status, SYSTEM_DEFAULT_ACTION[status], "")
    for i, rule in enumerate(rules):
        last = i == len(rules) - 1
        if rule.action is Action.PLAY_ANNOUNCEMENT:
            b.answered()
            b.emit(f"play announcement:{rule.target}")
            b.wait(const=ANNOUNCEMENT_S)
            if last:
                b.path.lastapp, b.path.lastdata = "Playback", rule.target
                return b.finish(Disposition.OTHER, "announcement finished, hangup")
            continue
        action = SYSTEM_DEFAULT_ACTION[status] if rule.action is Action.DEFAULT else rule.action
        return _action(b, s, org, h, status, action, rule.target)
    raise AssertionError("unreachable: the last rule always ends the call")


def _action(
    b: PathBuilder,
    s: Situation,
    org: RoutingOrg,
    h: Handling,
    status: HandlingStatus | QuickStatus,
    action: Action,
    target: str,
) -> Path:
    if action is Action.RING_PHONE:
        return _ring(b, s, org, h)
    if action is Action.VOICEMAIL:
        no_message = Disposition.BUSY if status is HandlingStatus.BUSY else Disposition.NO_ANSWER
        if HandlingStatus.VOICEMAIL in h.rules and (h.number, HandlingStatus.VOICEMAIL) not in b.visited:
            # a user-defined process for the Voicemail status runs before the box answers
            return _status(b, s, org, h, HandlingStatus.VOICEMAIL)
        return _voicemail(b, s, h.number, no_message)
    if action is Action.REJECT:
        b.wait(const=REJECT_S)
        b.path.lastapp, b.path.lastdata = "Hangup", "21"
        return b.finish(Disposition.DENIED, f"call rejected for user:<{h.number}>, status: DENIED")
    if action is Action.FORWARD:
        return _forward(b, s, target)
    if action is Action.FOLLOW_ME:
        return _follow_me(b, s, org, h, target)
    if action is Action.AUTO_ATTENDANT:
        return _auto_attendant(b, s, org, target)
    raise ValueError(f"no routing for action {action}")


def _ring(b: PathBuilder, s: Situation, org: RoutingOrg, h: Handling) -> Path:
    n = h.number
    b.emit(f'dial local extension:PJSIP/{n}, callee id:"{h.display_name}" <{n}>')
    twin = _twin_number(s, h)
    if twin:
        b.emit(f"dial twinning number:{twin} for user:<{n}>")
    b.path.lastdata = f"PJSIP/{n},{h.ring_seconds}"
    b.path.dstchannel = f"PJSIP/{n}"
    if s.answers:
        b.wait(ring=1)
        b.answered()
        b.path.occupies = (*b.path.occupies, n)
        b.emit(f"call answered by PJSIP/{n}")
        b.path.destination = n
        return _after_answer(b, s, org, n)
    b.wait(const=h.ring_seconds)
    b.emit("call unsuccessful, status: NOANSWER")
    return _status(b, s, org, h, HandlingStatus.NO_ANSWER)


def _twin_number(s: Situation, h: Handling) -> str:
    t = h.twinning
    if t.mode is TwinningMode.SIMPLE and t.status is TwinningStatus.ACTIVATED:
        return t.number
    if t.mode is TwinningMode.SCHEDULED:
        return next((num for sched, num in t.scheduled if sched in s.schedules), "")
    return ""


def _after_answer(b: PathBuilder, s: Situation, org: RoutingOrg, n: str) -> Path:
    colleague = s.colleague or org.transfer_to.get(n, "")
    if s.transfer is Transfer.NONE or colleague in ("", n) or colleague not in org.parties:
        _talk(b, s)
        return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")
    b.wait(talk=0.3)
    h = org.handling.get(colleague)
    # SIM-7: the colleague picks up only when free, present and able to ring
    reachable = h is None or (h.registered and not h.dnd and not h.forward_to and not h.rules)
    takes = reachable and s.colleague_answers and not s.colleague_busy
    if s.transfer is Transfer.BLIND:
        b.emit(f"blind transfer to extension:{colleague} by user:<{n}>")
        if not takes and h is not None:
            # the colleague's own call handling takes the call (busy, no answer, DND ...)
            if colleague not in b.path.owners:
                b.path.owners = (*b.path.owners, colleague)
            after = s.but(
                callee=colleague,
                busy=s.colleague_busy,
                answers=s.colleague_answers,
                transfer=Transfer.NONE,
                recorder="",
                blocked=False,
                quick_active=False,
                talk_left=0.7,
                waiting_full=s.colleague_busy,
            )
            path = _extension(b, after, org, h)
            if path.disposition is not Disposition.VOICEMAIL:
                # the call was answered and passed on: it stays a transferred call
                path.disposition, path.destination = Disposition.TRANSFERRED_BLIND, colleague
            return path
        disposition = Disposition.TRANSFERRED_BLIND
    else:
        b.emit(f"attended transfer to extension:{colleague} by user:<{n}>")
        if not takes:
            # the consultation fails: the user takes the held caller back (SIM-7 consultation leg)
            b.wait(const=TRANSFER_RING_S if s.colleague_busy else TRANSFER_NO_ANSWER_S)
            status = "BUSY" if s.colleague_busy or not reachable else "NOANSWER"
            b.emit(f"consultation unsuccessful, status: {status}")
            b.emit(f"call resumed by user:<{n}>")
            _talk(b, s.but(talk_left=0.7))
            return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")
        b.wait(const=TRANSFER_RING_S)
        b.emit(f"consultation answered by PJSIP/{colleague}")
        disposition = Disposition.TRANSFERRED_ATTENDED
    b.emit(f'dial local extension:PJSIP/{colleague}, callee id:"{org.name(colleague)}" <{colleague}>')
    b.wait(const=TRANSFER_RING_S)
    b.emit(f"call answered by PJSIP/{colleague}")
    b.path.owners = (*b.path.owners, colleague)
    b.path.occupies = (*b.path.occupies, colleague)
    b.path.destination = colleague
    b.path.dstchannel = f"PJSIP/{colleague}"
    b.wait(talk=0.7)
    return b.finish(disposition, "call completed, status: ANSWER")


def _voicemail(b: PathBuilder, s: Situation, box: str, no_message: Disposition) -> Path:
    b.emit(f"enter voicemail number:{box}, device:{box}@system")
    b.path.lastapp, b.path.lastdata = "VoiceMail", f"{box}@system"
    b.path.destination = f"{box}@system"
    b.wait(const=GREETING_S)
    if not s.leaves_message:
        b.wait(const=NO_MESSAGE_S)
        if not b.path.occupies:  # the caller hung up on the greeting: nothing was billed
            b.path.answer = None
        return b.finish(no_message, f"no message left to voicemail account {box}@system <{box}>")
    b.answered()
    b.emit(f"record voicemail message for account {box}@system <{box}>")
    b.path.voicemail = VoicemailLeft(box, b.now)
    b.wait(message=1)
    return b.finish(Disposition.VOICEMAIL, f"voicemail message left to voicemail account {box}@system <{box}>")


def _forward(b: PathBuilder, s: Situation, number: str) -> Path:
    b.emit(f"forward call to number:{number}")
    b.path.destination, b.path.lastdata = number, f"PJSIP/{number}"
    if not s.answers:
        b.wait(const=REMOTE_NO_ANSWER_S)
        return b.finish(Disposition.NO_ANSWER, "call unsuccessful, status: NOANSWER")
    b.wait(ring=1)
    b.answered()
    b.emit(f"call answered by number:{number}")
    b.wait(talk=1)
    return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")


def _follow_me(b: PathBuilder, s: Situation, org: RoutingOrg, h: Handling, profile_name: str) -> Path:
    profile = h.follow_me[profile_name]
    b.emit(f"process follow me:<{profile.name}> for user:<{h.number}>")
    for i, entry in enumerate(profile.numbers):
        b.emit(f"dial follow me number:{entry.number}, ring duration:{entry.ring_seconds}s")
        if i == s.follow_me_answer:
            b.wait(const=min(FOLLOW_ME_ANSWER_S, entry.ring_seconds))
            b.answered()
            b.emit(f"call answered by follow me number:{entry.number}")
            b.path.destination = entry.number
            b.wait(talk=1)
            return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")
        b.wait(const=entry.ring_seconds)
        b.emit("call unsuccessful, status: NOANSWER")
    # guide p.29: after the last number, the extension's No Answer handling applies
    return _status(b, s, org, h, HandlingStatus.NO_ANSWER)


def _auto_attendant(b: PathBuilder, s: Situation, org: RoutingOrg, name: str) -> Path:
    b.answered()
    b.emit(f"enter auto attendant:{name}")
    b.path.lastapp, b.path.lastdata, b.path.destination = "BackGround", name, name
    b.wait(const=AUTO_ATTENDANT_S)
    if s.abandons:
        return b.finish(Disposition.OTHER, "caller hung up in auto attendant")
    op = org.operator
    b.emit(f"auto attendant transfer to extension:{op}")
    if op in org.handling:
        return _extension(b, _handed_to(s, org.handling[op]), org, org.handling[op])
    b.emit(f'dial local extension:PJSIP/{op}, callee id:"{org.name(op)}" <{op}>')
    b.wait(ring=1)
    b.emit(f"call answered by PJSIP/{op}")
    b.path.owners = (*b.path.owners, op)
    b.path.occupies = (*b.path.occupies, op)
    b.path.destination, b.path.dstchannel, b.path.lastapp = op, f"PJSIP/{op}", "Dial"
    b.path.lastdata = f"PJSIP/{op}"
    b.wait(talk=1)
    return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")


def _handed_to(s: Situation, h: Handling) -> Situation:
    """Return the situation of a call the auto attendant passes on to the operator.

    NOTE: the operator's busy state and answer come from the engine's timeline (SIM-7); of
    the quick mode only one with no expiry is known here.
    """
    quick = h.quick_mode is not None and h.quick_mode.expires_us is None
    return s.but(
        callee=h.number,
        blocked=False,
        busy=s.operator_busy,
        waiting_full=s.operator_full,
        answers=s.operator_answers,
        quick_active=quick,
    )


def _group(b: PathBuilder, s: Situation, group: Party) -> Path:
    members = ",".join(group.members)
    b.emit(f"dial ring group:{group.number}, members:{members}")
    b.path.owners = (group.number,)
    if s.answers and 0 <= s.group_member < len(group.members):
        who = group.members[s.group_member]
        b.wait(ring=1)
        b.answered()
        b.emit(f"call answered by PJSIP/{who}")
        b.path.owners = (*b.path.owners, who)
        b.path.occupies = (*b.path.occupies, who)
        b.path.destination, b.path.dstchannel = who, f"PJSIP/{who}"
        b.wait(talk=1)
        return b.finish(Disposition.ANSWERED, "call completed, status: ANSWER")
    b.wait(const=REMOTE_NO_ANSWER_S)
    b.emit("call unsuccessful, status: NOANSWER")
    return _voicemail(b, s, group.number, Disposition.NO_ANSWER)


def _fax(b: PathBuilder, s: Situation, party: Party) -> Path:
    b.path.owners = (party.number,)
    b.emit(f"receive fax on extension:{party.number}")
    b.wait(const=2)
    b.answered()
    b.path.lastapp, b.path.lastdata, b.path.destination = "ReceiveFAX", party.number, party.number
    b.wait(const=FAX_PAGE_S * max(1, s.fax_pages))
    return b.finish(Disposition.ANSWERED, f"fax received, pages:{s.fax_pages}")
