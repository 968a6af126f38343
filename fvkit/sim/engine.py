"""Route a batch of calls (SIM-3, SIM-4, SIM-7): one sequential timeline for shared state, the rest vectorised.

The timeline is the only sequential pass: trunk lines (SIM-4) and who is on a call (SIM-7).
A person talks on one call at a time; with call waiting (PREF-6) a second call may ring
while the first is held, never a third. Callers on a call place no other; ring groups pick
a free member; the auto attendant's operator, transfer targets and callees are routed busy
when they are on a call, each through their own call handling.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from fvkit.domain.calls import TAKEN
from fvkit.domain.handling import Action
from fvkit.domain.org import Privilege
from fvkit.sim.compiled import DISPOSITIONS, PathTable
from fvkit.sim.placement import Clocks, Parties, Targets, clocks, offices, place, targets
from fvkit.sim.routing import Kind, Situation, Transfer, route
from fvkit.sim.settings import Settings
from fvkit.sim.traffic import Draws

__all__ = ["LineState", "Parties", "PathMemo", "Routed", "Targets", "place", "route_batch", "targets"]

_DYNAMIC_BITS = 10  # congested, busy, full, blocked, operator busy, colleague busy, operator full, member (3)
#: the dynamic bits each situation field is decoded from (see `_situation`)
_DYNAMIC_OF = {
    "congested": 1,
    "busy": 1 << 1,
    "waiting_full": 1 << 2,
    "blocked": 1 << 3,
    "operator_busy": 1 << 4,
    "colleague_busy": 1 << 5,
    "operator_full": 1 << 6,
    "group_member": 0b111 << 7,
}
#: the key fields each situation field is decoded from (see `_situation`)
_STATIC_OF = {
    "kind": ("kind",),
    "callee": ("party",),
    "schedules": ("mask",),
    "quick_active": ("quick",),
    "fax": ("fax",),
    "fax_pages": ("pages",),
    "answers": ("answers",),
    "operator_answers": ("answers",),
    "leaves_message": ("leaves",),
    "follow_me_answer": ("fm",),
    "transfer": ("transfer",),
    "recorder": ("rec", "caller", "party", "kind"),
    "remote_busy": ("rbusy",),
    "abandons": ("abandons",),
    "colleague": ("colleague",),
    "colleague_answers": ("col_answers",),
}


@dataclass(slots=True)
class LineState:
    """What carries over from one batch to the next: busy trunk lines and people on calls."""

    trunk_free_at: list[int]  # heap of end times (µs) of calls holding a line
    busy_until: list[int]  # per party index: end of the call they talk on
    held_until: list[int] = field(default_factory=list)  # per party: end of a second, call-waiting call


@dataclass(slots=True)
class PathMemo:
    """The path id of every situation key met, and of the parts of keys routing actually read.

    Most of a key's draws do not matter to most calls (whether the callee would answer, when
    the callee is busy; whether a caller leaves a message, when someone answers): a path is
    filed under the key bits of the situation fields its routing read, so a key that agrees
    on those bits takes the same path without being routed again (a year met 56k keys).
    """

    keys: dict[int, int] = field(default_factory=dict)  # full key -> path id
    #: relevance mask (the key bits a routing read) -> {key & mask: path id}
    read: dict[int, dict[int, int]] = field(default_factory=dict)


@dataclass(slots=True)
class Routed:
    """A batch of calls after routing: who, what path, and the per-call draws."""

    start: np.ndarray
    party: np.ndarray  # index into Targets.numbers, -1 for outgoing
    caller: np.ndarray  # index into settings.users, -1 for outside callers
    outside_name: np.ndarray  # name an outside caller presents
    src: np.ndarray
    dst: np.ndarray
    pid: np.ndarray
    draws: Draws
    vars: np.ndarray  # (n, 3): ring, talk, message seconds


@dataclass(frozen=True, slots=True)
class Facts:
    """Per-party facts the timeline needs, as arrays and lists indexed by party."""

    fields: tuple[tuple[str, int], ...]
    members: list[tuple[int, ...]]  # ring group members (party indexes), () for others
    can_ring: list[bool]  # registered and not in DND: a ring group may reach them
    blocks: list[frozenset[str]]
    usual_colleague: np.ndarray  # the department colleague a user transfers to, -1 none
    operator: int  # party index of the operator, -1 none
    is_aa: np.ndarray
    reaches_operator: list[bool]  # an auto attendant, or a user whose rules send callers to one


def _facts(settings: Settings, tg: Targets) -> Facts:
    handling = [settings.org.handling.get(num) for num in tg.numbers]
    bits = max(1, (len(tg.numbers) + 1).bit_length())
    fields = (
        ("kind", 2),
        ("party", bits),
        ("mask", 5),
        ("quick", 1),
        ("pages", 4),
        ("answers", 1),
        ("leaves", 1),
        ("fm", 2),
        ("transfer", 2),
        ("rec", 1),
        ("rbusy", 1),
        ("fax", 1),
        ("caller", bits),
        ("abandons", 1),
        ("colleague", bits),
        ("col_answers", 1),
    )
    if sum(b for _, b in fields) > 63:
        raise ValueError(f"too many extensions to key a call's situation in 64 bits: {len(tg.numbers)}")
    parties = settings.org.parties
    members = [tuple(tg.index[m] for m in parties[num].members if m in tg.index) for num in tg.numbers]
    return Facts(
        fields=fields,
        members=members,
        can_ring=[bool(h is None or (h.registered and not h.dnd)) for h in handling],
        blocks=[h.block_list if h else frozenset() for h in handling],
        usual_colleague=np.asarray([tg.index.get(settings.org.transfer_to.get(n, ""), -1) for n in tg.numbers]),
        operator=tg.index.get(settings.org.operator, -1),
        is_aa=np.asarray([parties[n].kind == "Auto attendant" for n in tg.numbers]),
        reaches_operator=[
            parties[n].kind == "Auto attendant"
            or bool(h and any(r.action is Action.AUTO_ATTENDANT for rs in h.rules.values() for r in rs))
            for n, h in zip(tg.numbers, handling, strict=True)
        ],
    )


def _schedule_mask(settings: Settings, c: Clocks, zone: np.ndarray) -> np.ndarray:
    """Return, per call, a bit per schedule active at the call's start in the zone given."""
    rows = np.arange(c.weekday.shape[1])
    wd = c.weekday[zone, rows]
    minute = c.hour[zone, rows].astype(np.int32) * 60 + c.minute
    mask = np.zeros(len(rows), dtype=np.int64)
    for bit, sched in enumerate(settings.schedules[:5]):
        inside = np.isin(wd, list(sched.weekdays)) & (minute >= sched.start_minute) & (minute < sched.end_minute)
        mask |= (inside != sched.inverted).astype(np.int64) << bit
    return mask


def _static_keys(
    settings: Settings, tg: Targets, f: Facts, start: np.ndarray, d: Draws, party: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return each call's situation key from its draws, and its transfer colleague (-1 none)."""
    n_users = len(settings.users)
    kind = d.kind
    handling = [settings.org.handling.get(num) for num in tg.numbers]
    uses_sched = np.array([bool(h and (h.rules or h.twinning.scheduled)) for h in handling]) | f.is_aa
    has_fm = np.array([bool(h and h.follow_me) for h in handling])
    quick_has = np.array([bool(h and h.quick_mode) for h in handling])
    quick_exp = np.array(
        [h.quick_mode.expires_us if h and h.quick_mode and h.quick_mode.expires_us else 2**62 for h in handling],
        dtype=np.int64,
    )
    can_rec = np.array([Privilege.PERSONAL_RECORDING.value in settings.privileges.get(num, ()) for num in tg.numbers])
    p = np.maximum(party, 0)
    to_party = party >= 0
    transfer = np.where(to_party & (p < n_users), d.transfer, Transfer.NONE)
    colleague = np.where(d.colleague >= 0, d.colleague, f.usual_colleague[p])
    transfer = np.where(colleague >= 0, transfer, Transfer.NONE)
    colleague = np.where(transfer != Transfer.NONE, colleague, -1)
    zones, zone_idx = offices(settings, tg)
    c = clocks(zones, start)
    needs_mask = uses_sched[p] | ((colleague >= 0) & uses_sched[np.maximum(colleague, 0)])
    if f.operator >= 0:
        needs_mask |= f.is_aa[p] & uses_sched[f.operator]
    mask = np.where(to_party & needs_mask, _schedule_mask(settings, c, zone_idx[p]), 0)
    outgoing = kind == Kind.OUTGOING
    caller_rec = np.zeros(len(start), dtype=bool)
    caller_rec[outgoing] = can_rec[d.caller[outgoing]]
    # the operator may record the main-number calls they take, like any call of their own
    op_rec = f.operator >= 0 and bool(can_rec[f.operator])
    callee_rec = to_party & (((p < n_users) & can_rec[p]) | (f.is_aa[p] & op_rec))
    rec = d.records & np.where(outgoing, caller_rec, callee_rec) & ~d.fax
    values = {
        "kind": kind.astype(np.int64),
        "party": np.where(to_party, party + 1, 0),
        "mask": mask,
        "quick": to_party & quick_has[p] & (start < quick_exp[p]),
        "pages": d.fax_pages,
        "answers": d.answers,
        "leaves": d.leaves_message,
        "fm": np.where(to_party & has_fm[p], d.follow_me_answer + 1, 0),
        "transfer": transfer,
        "rec": rec,
        "rbusy": d.remote_busy,
        "fax": d.fax,
        "caller": np.where(outgoing & rec, d.caller + 1, 0),
        "abandons": d.abandons,
        "colleague": colleague + 1,
        "col_answers": d.colleague_answers,
    }
    static = np.zeros(len(start), dtype=np.int64)
    for name, bits in f.fields:
        static = (static << bits) | values[name].astype(np.int64)
    return static, colleague


def route_batch(
    settings: Settings,
    tg: Targets,
    table: PathTable,
    memo: PathMemo,
    state: LineState,
    start: np.ndarray,
    d: Draws,
    who: Parties,
    *,
    keep_all: bool = False,
    parent: np.ndarray | None = None,
) -> Routed:
    """Route every call of a batch in time order; extend `table` with new paths.

    A call whose caller is already on a call is not placed (SIM-7) and is left out of the
    result, unless `keep_all` (a call a person dials now, in live mode). A follow-up call
    (`parent` >= 0, see `fvkit.sim.followups`) is placed only if its parent call was missed.
    """
    f = _facts(settings, tg)
    static, colleague = _static_keys(settings, tg, f, start, d, who.party)
    parents = np.full(len(start), -1, dtype=np.int64) if parent is None else parent
    pid, keep = _timeline(settings, tg, table, memo, state, f, start, static, colleague, d, who, keep_all, parents)
    is_user_caller = (d.kind == Kind.INTERNAL) | (d.kind == Kind.OUTGOING)
    routed = Routed(
        start,
        who.party,
        np.where(is_user_caller, d.caller, -1),
        who.outside_name,
        who.src,
        who.dst,
        pid,
        d,
        np.stack([d.ring, d.talk, d.message], axis=1),
    )
    return routed if keep.all() else _take(routed, np.flatnonzero(keep))


def _take(r: Routed, idx: np.ndarray) -> Routed:
    """Return the routed calls at `idx` only."""
    return Routed(
        r.start[idx],
        r.party[idx],
        r.caller[idx],
        r.outside_name[idx],
        r.src[idx],
        r.dst[idx],
        r.pid[idx],
        r.draws.take(idx),
        r.vars[idx],
    )


def _timeline(
    settings: Settings,
    tg: Targets,
    table: PathTable,
    memo: PathMemo,
    state: LineState,
    f: Facts,
    start: np.ndarray,
    static: np.ndarray,
    colleague: np.ndarray,
    d: Draws,
    who: Parties,
    keep_all: bool,
    parents: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The one sequential pass: trunk lines and who is on a call, call by call in time order."""
    n = len(start)
    ends, occupies = table.end, table.occupies
    lines, heap = settings.lines, state.trunk_free_at
    b1 = state.busy_until
    b2 = state.held_until
    b2.extend([0] * (len(b1) - len(b2)))
    members, can_ring, blocks = f.members, f.can_ring, f.blocks
    operator = f.operator
    to_operator = f.reaches_operator
    pid = np.zeros(n, dtype=np.int64)
    keep = np.ones(n, dtype=bool)
    known = memo.keys
    caller = np.where((d.kind == Kind.INTERNAL) | (d.kind == Kind.OUTGOING), d.caller, -1)
    taken = [DISPOSITIONS.index(x) for x in TAKEN]  # someone took it: no follow-up
    disposition = table.disposition
    for i, (t, key0, pt, s, trunk, who_calls, col, mu, par, ring, talk, msg) in enumerate(
        zip(
            start.tolist(),
            static.tolist(),
            who.party.tolist(),
            who.src.tolist(),
            (d.kind != Kind.INTERNAL).tolist(),
            caller.tolist(),
            colleague.tolist(),
            d.member_u.tolist(),
            parents.tolist(),
            d.ring.tolist(),
            d.talk.tolist(),
            d.message.tolist(),
            strict=True,
        )
    ):
        if par >= 0 and (not keep[par] or disposition[pid[par]] in taken):
            keep[i] = False  # a follow-up of a call that was answered (or never placed)
            continue
        if who_calls >= 0 and (b1[who_calls] > t or b2[who_calls] > t) and not keep_all:
            keep[i] = False  # the caller is on a call: this call is never placed
            continue
        congested = 0
        if trunk:
            while heap and heap[0] <= t:
                heapq.heappop(heap)
            congested = int(len(heap) >= lines)
        dyn = congested
        if pt >= 0 and not congested:
            on = (b1[pt] > t) + (b2[pt] > t)
            dyn |= (on >= 1) << 1 | (on >= 2) << 2 | (s in blocks[pt]) << 3
            if col >= 0:
                dyn |= (b1[col] > t or b2[col] > t) << 5
            if operator >= 0 and (to_operator[pt] or (col >= 0 and to_operator[col])):
                on_op = (b1[operator] > t) + (b2[operator] > t)
                dyn |= (on_op >= 1) << 4 | (on_op >= 2) << 6
            group = members[pt]
            if group:
                member = -1
                first = int(mu * len(group))
                for k in range(len(group)):
                    m = group[(first + k) % len(group)]
                    if can_ring[m] and b1[m] <= t and b2[m] <= t:
                        member = (first + k) % len(group)
                        break
                dyn |= (member + 1) << 7
        key = (key0 << _DYNAMIC_BITS) | dyn
        path_id = known.get(key)
        if path_id is None:
            path_id = known[key] = _path_of(key, settings, tg, table, memo, f)
        pid[i] = path_id
        e = ends[path_id]
        end = t + int((e[0] + e[1] * ring + e[2] * talk + e[3] * msg) * 1_000_000)
        talkers = occupies[path_id]
        if who_calls >= 0:
            talkers = (who_calls, *talkers)
        for p in talkers:
            if b1[p] <= t:
                b1[p] = end
            elif b2[p] <= t:
                b2[p] = end
            else:  # NOTE: only a call dialled now in live mode (keep_all) gets here
                b1[p] = max(b1[p], end)
        if trunk and not congested:
            heapq.heappush(heap, end)
    return pid, keep


def _path_of(key: int, settings: Settings, tg: Targets, table: PathTable, memo: PathMemo, f: Facts) -> int:
    """Return the id of the path of a key not met before: one filed under the bits it shares, or a new one."""
    for mask, paths in memo.read.items():
        found = paths.get(key & mask)
        if found is not None:
            return found
    s = _situation(key, settings, tg, f, _Reading)
    assert isinstance(s, _Reading)
    path_id = table.add(route(s, settings.org), tg.index)
    mask = _relevance(s.fields_read, f)
    memo.read.setdefault(mask, {})[key & mask] = path_id
    return path_id


_SITUATION_FIELDS = frozenset(x.name for x in fields(Situation))


class _Reading(Situation):
    """A situation that notes which of its fields routing read (see `PathMemo`).

    A copy made with `dataclasses.replace` notes nothing itself, but making it read every
    field of the original, so a path routed through a copy is filed under all its key bits.
    """

    __slots__ = ("fields_read",)
    fields_read: set[str]

    def __getattribute__(self, name: str) -> Any:
        if name in _SITUATION_FIELDS:
            try:  # noqa: SIM105 - cheaper per read than contextlib.suppress
                object.__getattribute__(self, "fields_read").add(name)
            except AttributeError:  # a copy made by `replace`
                pass
        return object.__getattribute__(self, name)


def _relevance(read: set[str], f: Facts) -> int:
    """Return the key bits the situation fields `read` are decoded from."""
    at: dict[str, int] = {}
    shift = _DYNAMIC_BITS
    for name, bits in reversed(f.fields):
        at[name] = ((1 << bits) - 1) << shift
        shift += bits
    mask = 0
    for name in read:
        mask |= _DYNAMIC_OF.get(name, 0)
        for part in _STATIC_OF.get(name, ()):
            mask |= at[part]
    return mask


def _situation(key: int, settings: Settings, tg: Targets, facts: Facts, cls: type[Situation] = Situation) -> Situation:
    """Decode a key back into the situation it stands for (an instance of `cls`)."""
    dyn = key & ((1 << _DYNAMIC_BITS) - 1)
    key >>= _DYNAMIC_BITS
    f: dict[str, int] = {}
    for name, bits in reversed(facts.fields):
        f[name] = key & ((1 << bits) - 1)
        key >>= bits
    party = tg.numbers[f["party"] - 1] if f["party"] else ""
    kind = Kind(f["kind"])
    recorder = ""
    if f["rec"]:
        recorder = settings.users[f["caller"] - 1] if kind is Kind.OUTGOING else party
        if party and settings.org.parties[party].kind == "Auto attendant":
            recorder = settings.org.operator
    situation = cls(
        kind=kind,
        callee=party,
        trunk=settings.trunk,
        schedules=frozenset(s.name for bit, s in enumerate(settings.schedules[:5]) if f["mask"] >> bit & 1),
        blocked=bool(dyn >> 3 & 1),
        busy=bool(dyn >> 1 & 1),
        quick_active=bool(f["quick"]),
        fax=bool(f["fax"]),
        fax_pages=f["pages"],
        answers=bool(f["answers"]),
        leaves_message=bool(f["leaves"]),
        follow_me_answer=f["fm"] - 1,
        transfer=Transfer(f["transfer"]),
        recorder=recorder,
        remote_busy=bool(f["rbusy"]),
        congested=bool(dyn & 1),
        waiting_full=bool(dyn >> 2 & 1),
        abandons=bool(f["abandons"]),
        operator_busy=bool(dyn >> 4 & 1),
        operator_answers=bool(f["answers"]),
        group_member=(dyn >> 7) - 1,
        operator_full=bool(dyn >> 6 & 1),
        colleague=tg.numbers[f["colleague"] - 1] if f["colleague"] else "",
        colleague_busy=bool(dyn >> 5 & 1),
        colleague_answers=bool(f["col_answers"]),
    )
    if isinstance(situation, _Reading):
        object.__setattr__(situation, "fields_read", set())
    return situation
