"""Who each generated call is between, and what the people reached will do (SIM-2, SIM-8).

`place` picks the extension each call reaches (ring groups, the main number, fax lines,
blocked callers); `attend` turns the behaviour table into each call's answers: presence by
the local hour of whoever is rung, the operator's and ring groups' rates, a varied colleague
for transfers. Busy state is not decided here: that is the engine's timeline (SIM-7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from fvkit.sim.behaviour import RATE, presence
from fvkit.sim.routing import Kind, Transfer
from fvkit.sim.settings import Settings
from fvkit.sim.traffic import Draws, Mix, hour_table

HOUR_US = 3_600_000_000


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


def offices(settings: Settings, tg: Targets) -> tuple[tuple[str, ...], np.ndarray]:
    """Return the zones in use and each routable extension's zone index (users first)."""
    zones = settings.zones()
    index = {z: i for i, z in enumerate(zones)}
    zone_idx = np.asarray([index[settings.zone_of.get(n, settings.time_zone)] for n in tg.numbers], dtype=np.int8)
    return zones, zone_idx


def office_shares(settings: Settings, tg: Targets) -> tuple[tuple[str, float], ...]:
    """Return each zone with its share of the users (who place and take the calls)."""
    zones, zone_idx = offices(settings, tg)
    users = zone_idx[: len(settings.users)]
    return tuple((z, float((users == i).mean())) for i, z in enumerate(zones) if (users == i).any())


@dataclass(frozen=True, slots=True)
class Clocks:
    """Local weekday and hour of every call, in every zone: arrays (zones, calls)."""

    weekday: np.ndarray
    hour: np.ndarray
    minute: np.ndarray  # minute of the hour (same in every zone used here)


def clocks(zones: tuple[str, ...], start: np.ndarray) -> Clocks:
    """Return the local weekday and hour of each call start (UTC µs) in each zone."""
    n = len(start)
    weekday = np.zeros((len(zones), n), dtype=np.int8)
    hour = np.zeros((len(zones), n), dtype=np.int8)
    if n:
        first = int(start.min()) // HOUR_US * HOUR_US
        span = int((int(start.max()) - first) // HOUR_US) + 1
        offset = (start - first) // HOUR_US
        base = datetime(1970, 1, 1) + timedelta(microseconds=first)
        for z, zone in enumerate(zones):
            _, wd, lh = hour_table(base, span, zone)
            weekday[z], hour[z] = wd[offset], lh[offset]
    return Clocks(weekday, hour, ((start // 60_000_000) % 60).astype(np.int16))


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


def attend(
    settings: Settings, tg: Targets, start: np.ndarray, d: Draws, who: Parties, rng: np.random.Generator
) -> None:
    """Set each call's answers from the behaviour table at the local hour of whoever is rung."""
    zones, zone_idx = offices(settings, tg)
    c = clocks(zones, start)
    n = len(start)
    rows = np.arange(n)
    party = who.party
    p = np.maximum(party, 0)
    here = presence(c.weekday[zone_idx[p], rows], c.hour[zone_idx[p], rows])
    n_users = len(settings.users)
    kinds = np.asarray([settings.org.parties[num].kind for num in tg.numbers])
    is_group = (party >= 0) & (kinds[p] == "Group")
    is_aa = (party >= 0) & (kinds[p] == "Auto attendant")
    prob = RATE["answer_when_present"] * here
    prob = np.where(is_group, RATE["group_answer"] * here, prob)
    if settings.org.operator in tg.index:
        op_zone = zone_idx[tg.index[settings.org.operator]]
        op_here = presence(c.weekday[op_zone], c.hour[op_zone])
        prob = np.where(is_aa, RATE["operator_answer"] * op_here, prob)
    to_party = party >= 0
    d.answers = np.where(to_party, d.answer_u < prob, d.answers)
    d.operator_answers = d.answers.copy()
    # transfers go to varied colleagues of the same department, and office if possible (SIM-8)
    d.colleague = np.full(n, -1, dtype=np.int32)
    moved = np.flatnonzero(to_party & (party < n_users) & (d.transfer != Transfer.NONE))
    if len(moved):
        team: dict[str, list[int]] = {}
        for i, num in enumerate(settings.users):
            team.setdefault(settings.departments.get(num, ""), []).append(i)
        mates_of: list[list[int]] = []
        for u, num in enumerate(settings.users):
            mates = [m for m in team[settings.departments.get(num, "")] if m != u]
            # a colleague in the same office when there is one
            mates_of.append([m for m in mates if zone_idx[m] == zone_idx[u]] or mates)
        pick = d.member_u[moved]
        for j, i in enumerate(moved.tolist()):
            mates = mates_of[party[i]]
            if mates:
                d.colleague[i] = mates[int(pick[j] * len(mates))]
        col = np.maximum(d.colleague, 0)
        col_here = presence(c.weekday[zone_idx[col], rows], c.hour[zone_idx[col], rows])
        d.colleague_answers = d.colleague_answers & (rng.random(n) < col_here)
