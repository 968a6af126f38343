"""Traffic (SIM-2): when calls arrive, who calls whom, and what the people do - vectorised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from fvkit.sim.routing import Kind, Transfer

#: Relative call intensity by local hour on a weekday: a morning and an afternoon peak.
WEEKDAY_PROFILE = (
    0.02,
    0.01,
    0.01,
    0.01,
    0.02,
    0.05,
    0.12,
    0.35,
    0.75,
    1.0,
    1.0,
    0.9,
    0.6,
    0.85,
    1.0,
    0.95,
    0.8,
    0.45,
    0.2,
    0.1,
    0.07,
    0.05,
    0.04,
    0.03,
)
WEEKEND_FACTOR = 0.08
#: Share of calls by kind: internal, outgoing, incoming, from an office peer.
KIND_SHARES = (0.34, 0.33, 0.30, 0.03)
EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Mix:
    """Behaviour odds of the people involved."""

    answer: float = 0.72  # a ringing phone is picked up
    remote_answer: float = 0.78
    remote_busy: float = 0.05
    leave_message: float = 0.62
    urgent: float = 0.1
    follow_me_answer: float = 0.35  # each follow me number, in turn
    blind_transfer: float = 0.03
    attended_transfer: float = 0.02
    record: float = 0.08  # of answered calls by users with the personal recording privilege
    fax_in: float = 0.04  # of incoming calls, to a fax extension
    fax_out: float = 0.01  # of outgoing calls
    to_main_number: float = 0.2  # of incoming calls, to the auto attendant's number
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
    starts = np.empty(hours, dtype=np.int64)
    weekday = np.empty(hours, dtype=np.int8)
    local_hour = np.empty(hours, dtype=np.int8)
    for h in range(hours):
        t = base + timedelta(hours=h)
        local = t.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
        starts[h], weekday[h], local_hour[h] = to_micros(t), local.weekday(), local.hour
    return starts, weekday, local_hour


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
        calls_per_day: expected calls on a weekday; weekends get WEEKEND_FACTOR of it.
        flat: constant intensity round the clock (for checking blocking against Erlang B).
    """
    hours = max(1, round(days * 24))
    starts, weekday, local_hour = hour_table(start, hours, time_zone)
    if flat:
        rate = np.full(hours, calls_per_day / 24.0)
    else:
        profile = np.asarray(WEEKDAY_PROFILE)
        rate = profile[local_hour] * (calls_per_day / profile.sum())
        rate = np.where(weekday >= 5, rate * WEEKEND_FACTOR, rate)
    counts = rng.poisson(rate)
    # whole seconds, as Asterisk records them
    times = np.repeat(starts, counts) + (rng.random(int(counts.sum())) * 3_600).astype(np.int64) * 1_000_000
    times.sort()
    return times


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


def draw(rng: np.random.Generator, n: int, n_users: int, n_pool: int, mix: Mix) -> Draws:
    """Return the random part of n calls; routing targets are resolved by the engine."""
    kind = rng.choice(np.arange(4, dtype=np.int8), size=n, p=KIND_SHARES)
    internal_like = (kind == Kind.INTERNAL) | (kind == Kind.OUTGOING)
    # a few heavy users place many calls: Zipf-like activity over users
    weights = 1.0 / np.arange(1, n_users + 1) ** 0.6
    weights = rng.permutation(weights / weights.sum())
    caller = np.where(internal_like, rng.choice(n_users, size=n, p=weights), -1).astype(np.int32)
    callee = rng.choice(n_users, size=n, p=weights).astype(np.int32)
    same = (kind == Kind.INTERNAL) & (callee == caller)
    callee[same] = (callee[same] + 1) % n_users
    outside = (rng.pareto(1.2, size=n) * 40).astype(np.int64) % n_pool  # frequent callers repeat
    outside = np.where(kind == Kind.PEER, 0, outside)
    fax_in = (kind == Kind.INCOMING) & (rng.random(n) < mix.fax_in)
    fax_out = (kind == Kind.OUTGOING) & (rng.random(n) < mix.fax_out)
    fax = fax_in | fax_out
    pages = np.where(fax, rng.integers(1, 9, size=n), 0)
    outgoing = kind == Kind.OUTGOING
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
    # conversation lengths: log-normal, outside calls longer than internal ones
    talk = np.where(kind == Kind.INTERNAL, rng.lognormal(np.log(45), 0.9, n), rng.lognormal(np.log(110), 1.0, n))
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
    )


def arrivals_between(
    rng: np.random.Generator, start_us: int, end_us: int, time_zone: str, calls_per_day: float
) -> np.ndarray:
    """Return sorted whole-second call starts in [start_us, end_us): Poisson at the local hour's rate."""
    if end_us <= start_us:
        return np.empty(0, dtype=np.int64)
    t = datetime(1970, 1, 1) + timedelta(microseconds=start_us)
    local = t.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(time_zone))
    profile = np.asarray(WEEKDAY_PROFILE)
    per_hour = profile[local.hour] * calls_per_day / profile.sum()
    if local.weekday() >= 5:
        per_hour *= WEEKEND_FACTOR
    n = int(rng.poisson(per_hour * (end_us - start_us) / 3_600_000_000))
    seconds = rng.integers(start_us // 1_000_000, -(-end_us // 1_000_000), size=n)
    seconds.sort()
    return seconds.astype(np.int64) * 1_000_000
