"""Traffic (SIM-2): when calls arrive, who calls whom, and what the people do - vectorised."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from fvkit.sim.behaviour import RATE, WEEKDAY_PROFILE, WEEKDAY_VOLUME
from fvkit.sim.routing import Kind, Transfer

WEEKEND_FACTOR = RATE["weekend_volume"]
#: Share of calls by kind: internal, outgoing, incoming, from an office peer.
KIND_SHARES = (0.34, 0.33, 0.30, 0.03)
EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Mix:
    """Behaviour odds of the people involved."""

    answer: float = 0.72  # a ringing phone is picked up (live calls; bulk traffic uses presence)
    remote_answer: float = RATE["remote_answer"]
    remote_busy: float = 0.05
    leave_message: float = RATE["leave_message"]
    urgent: float = 0.1
    follow_me_answer: float = 0.35  # each follow me number, in turn
    blind_transfer: float = RATE["transfer_blind"]
    attended_transfer: float = RATE["transfer_attended"]
    record: float = 0.08  # of answered calls by users with the personal recording privilege
    fax_in: float = 0.04  # of incoming calls, to a fax extension
    fax_out: float = 0.01  # of outgoing calls
    to_main_number: float = 0.12  # of incoming calls, to the auto attendant's number
    to_group: float = 0.04  # of internal calls
    to_conference: float = 0.02  # of internal calls
    blocked_caller: float = 0.01  # of incoming calls, from a number someone blocked


def to_micros(t: datetime) -> int:
    """Return a naive UTC datetime as integer microseconds since the epoch."""
    return (t - EPOCH) // timedelta(microseconds=1)


def hour_table(start: datetime, hours: int, time_zone: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, per UTC hour from `start`: its start (µs), local weekday and local hour."""
    zone = ZoneInfo(time_zone)
    base = start.replace(minute=0, second=0, microsecond=0)
    starts = to_micros(base) + np.arange(hours, dtype=np.int64) * 3_600_000_000

    def offset_s(h: int) -> int:
        utc = (base + timedelta(hours=h)).replace(tzinfo=ZoneInfo("UTC"))
        delta = utc.astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    # the zone's offset changes at most once a day, on the hour: look it up per day, and per
    # hour only in a day where it changed
    offsets = np.empty(hours, dtype=np.int64)
    for day in range(0, hours, 24):
        last = min(day + 24, hours) - 1
        first_offset = offset_s(day)
        if offset_s(last) == first_offset:
            offsets[day : last + 1] = first_offset
        else:
            offsets[day : last + 1] = [offset_s(h) for h in range(day, last + 1)]
    local_s = starts // 1_000_000 + offsets
    weekday = ((local_s // 86_400 + 3) % 7).astype(np.int8)  # 1970-01-01 was a Thursday
    local_hour = (local_s // 3_600 % 24).astype(np.int8)
    return starts, weekday, local_hour


def _hourly_rate(weekday: np.ndarray, local_hour: np.ndarray, calls_per_day: float) -> np.ndarray:
    """Return expected calls per hour: the day shape times the weekday's volume (SIM-8)."""
    profile = np.asarray(WEEKDAY_PROFILE)
    rate: np.ndarray = profile[local_hour] * (calls_per_day / profile.sum()) * np.asarray(WEEKDAY_VOLUME)[weekday]
    return rate


def arrivals(
    rng: np.random.Generator,
    start: datetime,
    days: float,
    time_zone: str,
    calls_per_day: float,
    flat: bool = False,
) -> np.ndarray:
    """Return sorted call start times (UTC µs): a Poisson process, piecewise constant per hour.

    Args:
        calls_per_day: expected calls on a Wednesday; other days follow WEEKDAY_VOLUME.
        flat: constant intensity round the clock (for checking blocking against Erlang B).
    """
    hours = max(1, round(days * 24))
    starts, weekday, local_hour = hour_table(start, hours, time_zone)
    rate = np.full(hours, calls_per_day / 24.0) if flat else _hourly_rate(weekday, local_hour, calls_per_day)
    counts = rng.poisson(rate)
    # whole seconds, as Asterisk records them
    times = np.repeat(starts, counts) + (rng.random(int(counts.sum())) * 3_600).astype(np.int64) * 1_000_000
    times.sort()
    return times


def arrivals_by_zone(
    rng: np.random.Generator,
    start: datetime,
    days: float,
    zones: tuple[tuple[str, float], ...],
    calls_per_day: float,
    flat: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted call starts and each call's home office (index into `zones`).

    Each office's share of the calls arrives in its own local hours (SIM-8 local office hours).
    """
    parts = [arrivals(rng, start, days, zone, calls_per_day * share, flat) for zone, share in zones]
    times = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    home = np.repeat(np.arange(len(parts), dtype=np.int8), [len(p) for p in parts])
    order = np.argsort(times, kind="stable")
    return times[order], home[order]


@dataclass(slots=True)
class Draws:
    """Per-call random quantities, as parallel arrays of length n."""

    kind: np.ndarray  # Kind
    caller: np.ndarray  # index into users (internal / outgoing), else -1
    callee: np.ndarray  # index into the routable extensions, else -1 (outgoing)
    outside: np.ndarray  # index into the people pool: external party
    fax: np.ndarray
    fax_pages: np.ndarray
    answers: np.ndarray
    leaves_message: np.ndarray
    urgent: np.ndarray
    follow_me_answer: np.ndarray
    transfer: np.ndarray
    records: np.ndarray
    remote_busy: np.ndarray
    blocked_pick: np.ndarray  # incoming from a blocked number: which of the callee's
    ring: np.ndarray  # seconds until a ringing phone is answered
    talk: np.ndarray  # seconds of conversation
    message: np.ndarray  # seconds of voicemail message
    # SIM-7/8: the other people a call may reach (set by `attend` from presence; defaults for live calls)
    answer_u: np.ndarray  # uniform draw compared with the answer probability at the callee's hour
    abandons: np.ndarray  # the caller hangs up in the auto attendant
    operator_answers: np.ndarray
    member_u: np.ndarray  # where a ring group starts looking for a free member
    colleague: np.ndarray  # transfer target (index into users), -1: the callee's usual colleague
    colleague_answers: np.ndarray

    def take(self, idx: np.ndarray) -> Draws:
        """Return the draws of the calls at `idx` only."""
        return Draws(*(getattr(self, f.name)[idx] for f in fields(self)))


def _outside_weights(n_pool: int) -> np.ndarray:
    """Return how often each outside number calls: a long tail, no single number dominating."""
    w = 1.0 / np.sqrt(np.arange(n_pool) + 50.0)
    result: np.ndarray = w / w.sum()
    return result


def draw(
    rng: np.random.Generator,
    n: int,
    n_users: int,
    n_pool: int,
    mix: Mix,
    home: np.ndarray | None = None,
    user_home: np.ndarray | None = None,
    quiet: int = -1,
) -> Draws:
    """Return the random part of n calls; routing targets are resolved by the engine.

    `home` is each call's office and `user_home` each user's: callers and called users come
    from the call's office (internal calls reach another office one time in five). The user
    `quiet` (the operator) places and receives no more calls of their own than a median user.
    """
    kind = rng.choice(np.arange(4, dtype=np.int8), size=n, p=KIND_SHARES)
    internal_like = (kind == Kind.INTERNAL) | (kind == Kind.OUTGOING)
    # a few heavy users place many calls: Zipf-like activity over users
    weights = 1.0 / np.arange(1, n_users + 1) ** 0.6
    weights = rng.permutation(weights / weights.sum())
    if 0 <= quiet < n_users:  # the operator answers the main number: no heavy caller besides
        weights[quiet] = min(weights[quiet], float(np.median(weights)))
        weights /= weights.sum()
    home = np.zeros(n, dtype=np.int8) if home is None else home
    user_home = np.zeros(n_users, dtype=np.int8) if user_home is None else user_home
    local = np.empty((2, n), dtype=np.int32)  # users of the call's office, by activity: caller, callee
    for z in np.unique(home).tolist():
        at = np.flatnonzero(home == z)
        members = np.flatnonzero(user_home == z)
        if not len(members):
            members = np.arange(n_users)
        w = weights[members] / weights[members].sum()
        local[:, at] = members[rng.choice(len(members), size=(2, len(at)), p=w)]
    caller = np.where(internal_like, local[0], -1).astype(np.int32)
    callee = local[1].copy()
    internal = kind == Kind.INTERNAL
    across = internal & (rng.random(n) < 0.2)
    callee[across] = rng.choice(n_users, size=int(across.sum()), p=weights)
    same = internal & (callee == caller)
    callee[same] = (callee[same] + 1) % n_users
    outside = rng.choice(n_pool, size=n, p=_outside_weights(n_pool)).astype(np.int64)
    outside = np.where(kind == Kind.PEER, rng.integers(0, 100, size=n), outside)  # peers: 85xx extensions
    incoming = kind == Kind.INCOMING
    if incoming.any():
        # an outside number calls a few fixed people of one office (SIM-8 relationships)
        k = 1 + outside % int(RATE["contacts_per_caller"])
        j = (rng.random(n) * k).astype(np.int64)
        for z in np.unique(home).tolist():
            members = np.flatnonzero(user_home == z)
            members = members if len(members) else np.arange(n_users)
            at = np.flatnonzero(incoming & (home == z))
            callee[at] = members[(outside[at] * 2_654_435_761 + j[at] * 40_503) % len(members)]
    outgoing = kind == Kind.OUTGOING
    # most outgoing calls go to the caller's regular contacts
    regular = outgoing & (rng.random(n) < 0.7)
    slot = rng.integers(0, 10, size=n)
    outside = np.where(regular, (caller.astype(np.int64) * 7_919 + slot * 104_729) % n_pool, outside)
    fax_in = incoming & (rng.random(n) < mix.fax_in)
    fax_out = outgoing & (rng.random(n) < mix.fax_out)
    fax = fax_in | fax_out
    pages = np.where(fax, np.minimum(rng.geometric(1.0 / RATE["fax_pages_mean"], size=n), 15), 0)
    answers = rng.random(n) < np.where(outgoing, mix.remote_answer, mix.answer)
    leaves = rng.random(n) < mix.leave_message
    fm = np.full(n, -1, dtype=np.int8)
    u = rng.random(n)
    fm[u < mix.follow_me_answer] = 0
    fm[(u >= mix.follow_me_answer) & (u < mix.follow_me_answer * 1.6)] = 1
    t = rng.random(n)
    transfer = np.where(
        t < mix.blind_transfer,
        Transfer.BLIND,
        np.where(t < mix.blind_transfer + mix.attended_transfer, Transfer.ATTENDED, Transfer.NONE),
    ).astype(np.int8)
    transfer[outgoing] = Transfer.NONE
    # conversation lengths: log-normal, outside calls longer than internal ones (behaviour table)
    talk = np.where(
        internal,
        rng.lognormal(np.log(RATE["talk_internal_median_s"]), 0.9, n),
        rng.lognormal(np.log(RATE["talk_external_median_s"]), 1.0, n),
    )
    return Draws(
        kind=kind,
        caller=caller,
        callee=callee,
        outside=outside,
        fax=fax,
        fax_pages=pages,
        answers=answers,
        leaves_message=leaves,
        urgent=rng.random(n) < mix.urgent,
        follow_me_answer=fm,
        transfer=transfer,
        records=rng.random(n) < mix.record,
        remote_busy=outgoing & ~answers & (rng.random(n) < mix.remote_busy / (1 - mix.remote_answer)),
        blocked_pick=rng.random(n),
        ring=rng.uniform(2.0, 12.0, n).round(0),
        talk=np.clip(talk, 4, 3 * 3600).round(0),
        message=np.clip(rng.lognormal(np.log(18), 0.6, n), 3, 180).round(0),
        answer_u=rng.random(n),
        abandons=rng.random(n) < RATE["aa_abandon"],
        operator_answers=answers.copy(),
        member_u=rng.random(n),
        colleague=np.full(n, -1, dtype=np.int32),
        colleague_answers=rng.random(n) < RATE["answer_when_present"],
    )


def arrivals_between(
    rng: np.random.Generator, start_us: int, end_us: int, time_zone: str, calls_per_day: float
) -> np.ndarray:
    """Return sorted whole-second call starts in [start_us, end_us): Poisson at the local hour's rate."""
    if end_us <= start_us:
        return np.empty(0, dtype=np.int64)
    t = datetime(1970, 1, 1) + timedelta(microseconds=start_us)
    local = t.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(time_zone))
    per_hour = float(_hourly_rate(np.asarray([local.weekday()]), np.asarray([local.hour]), calls_per_day)[0])
    n = int(rng.poisson(per_hour * (end_us - start_us) / 3_600_000_000))
    seconds = rng.integers(start_us // 1_000_000, -(-end_us // 1_000_000), size=n)
    seconds.sort()
    return seconds.astype(np.int64) * 1_000_000
