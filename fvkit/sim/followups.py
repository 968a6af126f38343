"""Calls that follow a missed call (SIM-8): the caller tries again, or the user calls back.

Each outside call may bring one follow-up: a redial of the same extension by the same
number (behaviour `redial_after_missed`, soon after) or a call back from the user who was
called (`callback_after_missed`, later). Follow-ups are generated with the batch but are
conditional: the engine's timeline places one only if its parent call was missed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from fvkit.sim.behaviour import RATE
from fvkit.sim.placement import Parties, Targets, attend
from fvkit.sim.routing import Kind, Transfer
from fvkit.sim.settings import Settings
from fvkit.sim.traffic import Draws, Mix, draw

US = 1_000_000
REDIAL_MEAN_S = 15 * 60
CALLBACK_MEAN_S = 45 * 60
MIN_DELAY_S = 60


@dataclass(slots=True)
class Batch:
    """A batch of calls in time order, with each follow-up's parent (-1: not a follow-up)."""

    times: np.ndarray
    draws: Draws
    who: Parties
    parent: np.ndarray


def with_follow_ups(
    rng: np.random.Generator,
    settings: Settings,
    tg: Targets,
    times: np.ndarray,
    d: Draws,
    who: Parties,
    n_pool: int,
    mix: Mix,
    until_us: int,
    enabled: bool = True,
) -> Batch:
    """Return the batch with its possible follow-up calls merged in, in time order (none if not `enabled`)."""
    n = len(times)
    n_users = len(settings.users)
    outside_caller = (d.kind == Kind.INCOMING) & ~d.fax & (who.party >= 0) & enabled
    u = rng.random(n)
    redial = outside_caller & (u < RATE["redial_after_missed"])
    # NOTE: one draw decides both, so a call has at most one follow-up
    callback = outside_caller & (who.party < n_users) & (u >= 1 - RATE["callback_after_missed"])
    parents = np.concatenate([np.flatnonzero(redial), np.flatnonzero(callback)])
    is_cb = np.repeat([False, True], [int(redial.sum()), int(callback.sum())])
    delay = rng.exponential(np.where(is_cb, CALLBACK_MEAN_S, REDIAL_MEAN_S)).astype(np.int64) + MIN_DELAY_S
    at = times[parents] + delay * US
    inside = at < until_us
    parents, is_cb, at = parents[inside], is_cb[inside], at[inside]
    m = len(parents)
    none = np.full(n, -1, dtype=np.int64)
    if m == 0:
        return Batch(times, d, who, none)
    child = draw(rng, m, n_users, n_pool, mix)
    child.kind = np.where(is_cb, Kind.OUTGOING, Kind.INCOMING).astype(np.int8)
    child.caller = np.where(is_cb, who.party[parents], -1).astype(np.int32)
    child.outside = who.outside[parents]
    child.fax[:], child.fax_pages[:] = False, 0
    child.transfer = np.where(is_cb, Transfer.NONE, child.transfer).astype(np.int8)
    child.records[:] = False
    child.remote_busy &= is_cb
    child_who = Parties(
        party=np.where(is_cb, -1, who.party[parents]),
        outside=who.outside[parents],
        src=np.where(is_cb, who.dst[parents], who.src[parents]),
        dst=np.where(is_cb, who.src[parents], who.dst[parents]),
        outside_name=np.where(is_cb, "", who.outside_name[parents]).astype(object),
    )
    attend(settings, tg, at, child, child_who, rng)
    all_times = np.concatenate([times, at])
    order = np.argsort(all_times, kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    parent = np.concatenate([none, position[parents]])[order]
    merged = Draws(*(np.concatenate([a, b]) for a, b in zip(_arrays(d), _arrays(child), strict=True))).take(order)
    merged_who = Parties(
        *(np.concatenate([a, b])[order] for a, b in zip(_parties(who), _parties(child_who), strict=True))
    )
    return Batch(all_times[order], merged, merged_who, parent)


def _arrays(d: Draws) -> list[np.ndarray]:
    return [getattr(d, f.name) for f in fields(d)]


def _parties(p: Parties) -> list[np.ndarray]:
    return [p.party, p.outside, p.src, p.dst, p.outside_name]
