"""Route a batch of calls (SIM-3, SIM-4, SIM-7): one sequential timeline for shared state, the rest vectorised.

The timeline is the only sequential pass: trunk lines (SIM-4) and who is on a call (SIM-7).
A person talks on one call at a time; with call waiting (PREF-6) a second call may ring
while the first is held, never a third. Callers on a call place no other; ring groups pick
a free member; the auto attendant's operator, transfer targets and callees are routed busy
when they are on a call, each through their own call handling.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fvkit.domain.calls import TAKEN
from fvkit.domain.handling import Action
from fvkit.domain.org import Privilege
from fvkit.sim.compiled import DISPOSITIONS, PathTable
from fvkit.sim.placement import Clocks, Parties, Targets, clocks, offices, place, targets
from fvkit.sim.routing import Kind, Situation, Transfer, route
from fvkit.sim.settings import Settings
from fvkit.sim.timeline import PathMemo
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
    field_masks: dict[str, int]  # each field's bits in a full key (dynamic bits included)
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
    if sum(b for _, b in fields) + _DYNAMIC_BITS > 63:
        raise ValueError(f"too many extensions to key a call's situation in 64 bits: {len(tg.numbers)}")
    parties = settings.org.parties
    members = [tuple(tg.index[m] for m in parties[num].members if m in tg.index) for num in tg.numbers]
    masks: dict[str, int] = {}
    shift = _DYNAMIC_BITS
    for name, width in reversed(fields):
        masks[name] = ((1 << width) - 1) << shift
        shift += width
    return Facts(
        fields=fields,
        field_masks=masks,
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
    """The one sequential pass: trunk lines and who is on a call, call by call in time order.

    The compiled kernel (`fvkit.sim.timeline`) walks the calls; at a situation with no path
    yet it stops, the path is routed here, and it resumes at that call.
    """
    n = len(start)
    caller = np.where((d.kind == Kind.INTERNAL) | (d.kind == Kind.OUTGOING), d.caller, -1)
    trunk = d.kind != Kind.INTERNAL
    calls = np.stack(
        [start, static << _DYNAMIC_BITS, who.party, trunk, caller, colleague, parents], axis=1, dtype=np.int64
    )
    floats = np.stack([d.member_u, d.ring, d.talk, d.message], axis=1, dtype=np.float64)
    blocked = np.zeros(n, dtype=bool)
    listed = {number: code for code, number in enumerate(sorted(set().union(*f.blocks)))}  # blocked numbers
    if listed:
        found = pc.index_in(pa.array(who.src, type=pa.string()), value_set=pa.array(list(listed), type=pa.string()))
        code = pc.fill_null(found, -1).to_numpy()
        for p, numbers in enumerate(f.blocks):
            if numbers:
                blocked |= (who.party == p) & np.isin(code, [listed[x] for x in numbers])
    state.held_until.extend([0] * (len(state.busy_until) - len(state.held_until)))
    b1 = np.asarray(state.busy_until, dtype=np.int64)
    b2 = np.asarray(state.held_until, dtype=np.int64)
    heap = state.trunk_free_at
    slots = np.zeros(max(settings.lines, len(heap)), dtype=np.int64)
    slots[: len(heap)] = heap
    sizes = np.asarray([len(m) for m in f.members], dtype=np.int64)
    group = np.stack([np.cumsum(sizes) - sizes, sizes], axis=1)
    members = np.asarray([m for ms in f.members for m in ms] or [0], dtype=np.int64)
    can_ring = np.asarray(f.can_ring, dtype=bool)
    to_operator = np.asarray(f.reaches_operator, dtype=bool)
    taken = np.asarray([x in TAKEN for x in DISPOSITIONS], dtype=bool)
    pid = np.zeros(n, dtype=np.int64)
    keep = np.ones(n, dtype=bool)
    walk = memo.walker()
    i = 0
    while True:
        i, key = walk(
            i, calls, floats, blocked, keep_all, settings.lines, slots, b1, b2, group, members, can_ring,
            to_operator, f.operator, memo.keys, memo.read, memo.mask_array.data[:, 0], memo.mask_array.rows, memo.filed,
            table.end.data, table.occupies.data, table.disposition.data[:, 0], taken, pid, keep,
        )  # fmt: skip
        if i >= n:
            break
        _path_of(key, settings, tg, table, memo, f)
    state.busy_until[:] = b1.tolist()
    state.held_until[:] = b2.tolist()
    heap[:] = sorted(int(x) for x in slots if x > 0)  # a sorted list is a heap
    return pid, keep


def _path_of(key: int, settings: Settings, tg: Targets, table: PathTable, memo: PathMemo, f: Facts) -> None:
    """Route the situation of a key no path is filed for; file its path."""
    s = _situation(key, settings, tg, f, _Reading)
    assert isinstance(s, _Reading)
    path_id = table.add(route(s, settings.org), tg.index)
    memo.file(key, _relevance(s.fields_read, f), path_id)


_SITUATION_FIELDS = frozenset(x.name for x in fields(Situation))
_SLOTS = {name: Situation.__dict__[name] for name in _SITUATION_FIELDS}  # each field's slot descriptor


class _Reading(Situation):
    """A situation that notes which of its fields routing read (see `PathMemo`).

    Routing copies a situation with `Situation.but` (a transfer, the operator after the auto
    attendant): a copy notes its reads in the original's set.
    """

    __slots__ = ("fields_read",)
    fields_read: set[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "fields_read", set())
        super().__init__(*args, **kwargs)

    def but(self, **changes: Any) -> Situation:
        """Return a copy with the fields given changed, noting its reads in this one's set.

        The fields it keeps are copied without being noted: only what routing reads of the
        copy counts (reading a changed field notes it too - more than needed, never less).
        """
        copy = object.__new__(_Reading)
        object.__setattr__(copy, "fields_read", self.fields_read)
        for name, slot in _SLOTS.items():
            slot.__set__(copy, changes[name] if name in changes else slot.__get__(self, Situation))
        return copy


def _noting(name: str) -> property:
    """Return a property of `_Reading` that notes its field was read (cheaper than __getattribute__)."""
    slot = _SLOTS[name]

    def get(self: _Reading) -> Any:
        self.fields_read.add(name)
        return slot.__get__(self, Situation)

    def put(self: _Reading, value: Any) -> None:  # the frozen dataclass's __init__ sets each field once
        slot.__set__(self, value)

    return property(get, put)


for _name in _SITUATION_FIELDS:
    setattr(_Reading, _name, _noting(_name))


def _relevance(read: set[str], f: Facts) -> int:
    """Return the key bits the situation fields `read` are decoded from."""
    mask = 0
    for name in read:
        mask |= _DYNAMIC_OF.get(name, 0)
        for part in _STATIC_OF.get(name, ()):
            mask |= f.field_masks[part]
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
    return cls(
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
