"""Route a batch of calls (SIM-3, SIM-4): one sequential pass for shared state, the rest vectorised."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from fvkit.domain.org import Privilege
from fvkit.sim.compiled import PathTable
from fvkit.sim.routing import Kind, Situation, Transfer, route
from fvkit.sim.settings import Settings
from fvkit.sim.traffic import Draws, Mix, hour_table

# bit layout of a call's static situation key
_FIELDS = (
    ("kind", 2),
    ("party", 16),
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
    ("caller", 16),
)


@dataclass(slots=True)
class LineState:
    """What carries over from one batch to the next: busy trunk lines and extensions."""

    trunk_free_at: list[int]  # heap of end times (µs) of calls holding a line
    busy_until: list[int]  # per party index


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
class Targets:
    """The routable extensions, indexed: users first, then the others."""

    numbers: tuple[str, ...]
    index: dict[str, int]


def targets(settings: Settings) -> Targets:
    """Index every extension a call can reach."""
    others = [n for n in settings.org.parties if n not in set(settings.users)]
    numbers = (*settings.users, *sorted(others))
    return Targets(numbers, {n: i for i, n in enumerate(numbers)})


def _schedule_mask(
    settings: Settings, start: np.ndarray, first_hour_us: int, hours: tuple[np.ndarray, ...]
) -> np.ndarray:
    _, weekday, local_hour = hours
    h = ((start - first_hour_us) // 3_600_000_000).clip(0, len(weekday) - 1)
    wd = weekday[h]
    minute = local_hour[h].astype(np.int32) * 60 + ((start // 60_000_000) % 60).astype(np.int32)
    mask = np.zeros(len(start), dtype=np.int64)
    for bit, sched in enumerate(settings.schedules[:5]):
        inside = np.isin(wd, list(sched.weekdays)) & (minute >= sched.start_minute) & (minute < sched.end_minute)
        mask |= (inside != sched.inverted).astype(np.int64) << bit
    return mask


def resolve(
    settings: Settings,
    tg: Targets,
    d: Draws,
    mix: Mix,
    rng: np.random.Generator,
    pool: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Return each call's target party index and outside-number index, after redirections."""
    n = len(d.kind)
    party = d.callee.astype(np.int64)  # users are the first indexes
    u = rng.random(n)
    internal = d.kind == Kind.INTERNAL
    incoming = d.kind == Kind.INCOMING
    if settings.groups:
        to_group = internal & (u < mix.to_group)
        party[to_group] = [tg.index[g] for g in rng.choice(settings.groups, int(to_group.sum()))]
    to_conf = internal & (u >= mix.to_group) & (u < mix.to_group + mix.to_conference)
    party[to_conf] = tg.index[settings.conference]
    if settings.auto_attendants:
        to_main = incoming & ~d.fax & (u < mix.to_main_number)
        party[to_main] = tg.index[settings.auto_attendants[0]]
    if settings.fax_extensions:
        party[d.fax & incoming] = [
            tg.index[f] for f in rng.choice(settings.fax_extensions, int((d.fax & incoming).sum()))
        ]
    party[d.kind == Kind.OUTGOING] = -1
    outside = d.outside.copy()
    # some callers are ones the callee has blocked (CT-10, HD-3)
    pool_index = {num: i for i, num in enumerate(pool)}
    block_lists = [sorted(settings.org.handling[u_].block_list) for u_ in settings.users]
    pick = np.flatnonzero(incoming & (d.blocked_pick < mix.blocked_caller) & (party < len(settings.users)))
    for i in pick.tolist():
        numbers = block_lists[party[i]]
        if numbers and numbers[0] in pool_index:
            outside[i] = pool_index[numbers[int(d.blocked_pick[i] * 1e6) % len(numbers)]]
    return party, outside


@dataclass(slots=True)
class Parties:
    """Who each call of a batch is between."""

    party: np.ndarray  # index into Targets.numbers of the extension reached, -1 for outgoing
    outside: np.ndarray  # index into the outside-number pool, -1 when not from the pool
    src: np.ndarray
    dst: np.ndarray
    outside_name: np.ndarray  # caller name an outside caller presents ('' if none)


def place(
    settings: Settings,
    tg: Targets,
    d: Draws,
    mix: Mix,
    rng: np.random.Generator,
    pool: tuple[str, ...],
    pool_names: np.ndarray,
) -> Parties:
    """Pick who the generated calls are between: targets, numbers and caller names."""
    party, outside = resolve(settings, tg, d, mix, rng, pool)
    user_arr = np.asarray(settings.users)
    pool_arr = np.asarray(pool)
    kind = d.kind
    is_user_caller = (kind == Kind.INTERNAL) | (kind == Kind.OUTGOING)
    src = np.where(is_user_caller, user_arr[np.maximum(d.caller, 0)], pool_arr[outside])
    peer = kind == Kind.PEER
    if peer.any():  # office peers call from their own 4-digit extensions
        src[peer] = np.asarray([f"85{x:02d}" for x in (outside[peer] % 100).tolist()], dtype=src.dtype)
    numbers_arr = np.asarray(tg.numbers)
    dst = np.where(party >= 0, numbers_arr[np.maximum(party, 0)], pool_arr[outside])
    names = np.where(is_user_caller | peer, "", pool_names[outside]).astype(object)
    return Parties(party, outside, src, dst, names)


def route_batch(
    settings: Settings,
    tg: Targets,
    table: PathTable,
    memo: dict[int, int],
    state: LineState,
    start: np.ndarray,
    d: Draws,
    who: Parties,
    hours: tuple[np.ndarray, ...],
) -> Routed:
    """Route every call of a batch in time order; extend `table` with new paths."""
    n = len(start)
    party, src = who.party, who.src
    n_users = len(settings.users)
    kind = d.kind
    is_user_caller = (kind == Kind.INTERNAL) | (kind == Kind.OUTGOING)

    # per-party facts, as arrays indexed by party
    handling = [settings.org.handling.get(num) for num in tg.numbers]
    uses_sched = np.array([bool(h and (h.rules or h.twinning.scheduled)) for h in handling])
    has_fm = np.array([bool(h and h.follow_me) for h in handling])
    quick_has = np.array([bool(h and h.quick_mode) for h in handling])
    quick_exp = np.array(
        [h.quick_mode.expires_us if h and h.quick_mode and h.quick_mode.expires_us else 2**62 for h in handling],
        dtype=np.int64,
    )
    can_rec = np.array([Privilege.PERSONAL_RECORDING.value in settings.privileges.get(num, ()) for num in tg.numbers])
    transferable = np.array([num in settings.org.transfer_to for num in tg.numbers])
    cw = [bool(h is None or h.call_waiting) for h in handling]
    blocks = [h.block_list if h else frozenset() for h in handling]

    p = np.maximum(party, 0)
    to_party = party >= 0
    mask = np.where(to_party & uses_sched[p], _schedule_mask(settings, start, int(hours[0][0]), hours), 0)
    quick = to_party & quick_has[p] & (start < quick_exp[p])
    fm = np.where(to_party & has_fm[p], d.follow_me_answer + 1, 0)
    transfer = np.where(to_party & transferable[p], d.transfer, Transfer.NONE)
    outgoing = kind == Kind.OUTGOING
    caller_rec = np.zeros(n, dtype=bool)
    caller_rec[outgoing] = can_rec[d.caller[outgoing]]
    rec = d.records & np.where(outgoing, caller_rec, to_party & (p < n_users) & can_rec[p])
    rec &= ~d.fax
    fields = {
        "kind": kind.astype(np.int64),
        "party": np.where(to_party, party + 1, 0),
        "mask": mask,
        "quick": quick,
        "pages": d.fax_pages,
        "answers": d.answers,
        "leaves": d.leaves_message,
        "fm": fm,
        "transfer": transfer,
        "rec": rec,
        "rbusy": d.remote_busy,
        "fax": d.fax,
        "caller": np.where(outgoing & rec, d.caller + 1, 0),
    }
    static = np.zeros(n, dtype=np.int64)
    for name, bits in _FIELDS:
        static = (static << bits) | fields[name].astype(np.int64)
    uses_trunk = (kind != Kind.INTERNAL).tolist()
    v = np.stack([d.ring, d.talk, d.message], axis=1)
    ends = table.end
    occupies = table.occupies
    lines = settings.lines
    heap = state.trunk_free_at
    busy_until = state.busy_until
    pid = np.empty(n, dtype=np.int64)
    party_index = tg.index
    for i, (t, key0, pt, s, trunk, ring, talk, msg) in enumerate(
        zip(
            start.tolist(),
            static.tolist(),
            party.tolist(),
            src.tolist(),
            uses_trunk,
            d.ring.tolist(),
            d.talk.tolist(),
            d.message.tolist(),
            strict=True,
        )
    ):
        congested = 0
        if trunk:
            while heap and heap[0] <= t:
                heapq.heappop(heap)
            congested = int(len(heap) >= lines)
        busy = blocked = 0
        if pt >= 0:
            busy = int(not cw[pt] and busy_until[pt] > t)
            blocked = int(s in blocks[pt])
        key = (key0 << 3) | (blocked << 2) | (busy << 1) | congested
        path_id = memo.get(key)
        if path_id is None:
            sit = _situation(key, settings, tg)
            path_id = memo[key] = table.add(route(sit, settings.org), party_index)
        pid[i] = path_id
        e = ends[path_id]
        end = t + int((e[0] + e[1] * ring + e[2] * talk + e[3] * msg) * 1_000_000)
        occ = occupies[path_id]
        if occ >= 0 and end > busy_until[occ]:
            busy_until[occ] = end
        if trunk and not congested:
            heapq.heappush(heap, end)
    return Routed(start, party, np.where(is_user_caller, d.caller, -1), who.outside_name, src, who.dst, pid, d, v)


def _situation(key: int, settings: Settings, tg: Targets) -> Situation:
    """Decode a key back into the situation it stands for."""
    congested, busy, blocked = key & 1, (key >> 1) & 1, (key >> 2) & 1
    key >>= 3
    f: dict[str, int] = {}
    for name, bits in reversed(_FIELDS):
        f[name] = key & ((1 << bits) - 1)
        key >>= bits
    party = tg.numbers[f["party"] - 1] if f["party"] else ""
    kind = Kind(f["kind"])
    recorder = ""
    if f["rec"]:
        recorder = settings.users[f["caller"] - 1] if kind is Kind.OUTGOING else party
    return Situation(
        kind=kind,
        callee=party,
        trunk=settings.trunk,
        schedules=frozenset(s.name for bit, s in enumerate(settings.schedules[:5]) if f["mask"] >> bit & 1),
        blocked=bool(blocked),
        busy=bool(busy),
        quick_active=bool(f["quick"]),
        fax=bool(f["fax"]),
        fax_pages=f["pages"],
        answers=bool(f["answers"]),
        leaves_message=bool(f["leaves"]),
        follow_me_answer=f["fm"] - 1,
        transfer=Transfer(f["transfer"]),
        recorder=recorder,
        remote_busy=bool(f["rbusy"]),
        congested=bool(congested),
    )


def hours_for(settings: Settings, start_us: int, days: float) -> tuple[np.ndarray, ...]:
    """Return the hour table (UTC start µs, local weekday, local hour) covering a period."""
    first = datetime(1970, 1, 1) + timedelta(microseconds=start_us)
    return hour_table(first, int(days * 24) + 2, settings.time_zone)
