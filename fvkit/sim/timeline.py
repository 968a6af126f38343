"""The engine's one sequential pass, compiled: trunk lines and who is on a call, call by call (SIM-4, SIM-7).

Busy state is sequential by nature - whether a call finds someone free depends on every
call before it - so this loop cannot be vectorised. It runs as a numba kernel over numpy
arrays (a year of 1M calls: 0.35 s, where the Python loop it replaced took 2.5 s); the
portal's live calls, a few at a time, run the same function as plain Python. It stops at a
situation key it has no path for; Python routes that situation (`fvkit.sim.routing.route`),
files the path and lets the walk resume at the same call. The kernel is compiled on first
use and cached on disk (numba's cache, beside `fvkit.sim.timeline_jit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fvkit.sim.compiled import Grow

US = 1_000_000


def _walk(
    i0: int,
    calls: np.ndarray,  # (n, 7) int64: start, key (static bits, shifted), party, trunk, caller, colleague, parent
    floats: np.ndarray,  # (n, 4) float64: member draw, ring, talk, message seconds
    blocked: np.ndarray,  # (n,) bool: the caller is on the callee's block list
    keep_all: bool,
    lines: int,
    slots: np.ndarray,  # end times of the calls holding trunk lines (0: free)
    b1: np.ndarray,  # per party: end of the call they talk on
    b2: np.ndarray,  # per party: end of a second, call-waiting call
    group: np.ndarray,  # (parties, 2): first index into members, member count
    members: np.ndarray,
    can_ring: np.ndarray,
    to_operator: np.ndarray,
    operator: int,
    known: Any,  # numba typed Dict: full key -> path id
    read: Any,  # numba typed Dict: (mask index, key & mask) -> path id
    masks: np.ndarray,
    n_masks: int,
    filed: np.ndarray,  # a path filed since the last walk: key, mask index, path id (-1: none)
    ends: np.ndarray,  # (paths, 4) end offset coefficients
    occupies: np.ndarray,  # (paths, width) party indexes of the users who talk, -1 padded
    disposition: np.ndarray,  # per path
    taken: np.ndarray,  # per disposition: someone took the call
    pid: np.ndarray,
    keep: np.ndarray,
) -> tuple[int, int]:
    """Walk calls from `i0`; return (n, 0) when done, or (i, key) at a key with no path yet.

    State is only changed for calls that got a path, so the walk resumes at `i` unchanged.
    """
    if filed[2] >= 0:
        known[filed[0]] = filed[2]
        read[(filed[1], filed[0] & masks[filed[1]])] = filed[2]
        filed[2] = -1
    n = calls.shape[0]
    for i in range(i0, n):
        t = calls[i, 0]
        par = calls[i, 6]
        if par >= 0 and (not keep[par] or taken[disposition[pid[par]]]):
            keep[i] = False  # a follow-up of a call that was answered (or never placed)
            continue
        caller = calls[i, 4]
        if caller >= 0 and (b1[caller] > t or b2[caller] > t) and not keep_all:
            keep[i] = False  # the caller is on a call: this call is never placed
            continue
        trunk = calls[i, 3] != 0
        congested = 0
        if trunk:
            active = 0
            for k in range(slots.shape[0]):
                if slots[k] <= t:
                    slots[k] = 0  # that call has ended: its line is free
                else:
                    active += 1
            congested = 1 if active >= lines else 0
        dyn = congested
        pt = calls[i, 2]
        if pt >= 0 and congested == 0:
            on = (1 if b1[pt] > t else 0) + (1 if b2[pt] > t else 0)
            dyn |= (1 if on >= 1 else 0) << 1 | (1 if on >= 2 else 0) << 2 | (1 if blocked[i] else 0) << 3
            col = calls[i, 5]
            if col >= 0 and (b1[col] > t or b2[col] > t):
                dyn |= 1 << 5
            if operator >= 0 and (to_operator[pt] or (col >= 0 and to_operator[col])):
                on_op = (1 if b1[operator] > t else 0) + (1 if b2[operator] > t else 0)
                dyn |= (1 if on_op >= 1 else 0) << 4 | (1 if on_op >= 2 else 0) << 6
            count = group[pt, 1]
            if count > 0:
                member = -1
                first = int(floats[i, 0] * count)
                for k in range(count):
                    m = members[group[pt, 0] + (first + k) % count]
                    if can_ring[m] and b1[m] <= t and b2[m] <= t:
                        member = (first + k) % count
                        break
                dyn |= (member + 1) << 7
        key = calls[i, 1] | dyn
        p = -1
        if key in known:
            p = known[key]
        else:
            for m in range(n_masks):
                probe = (m, key & masks[m])
                if probe in read:
                    p = read[probe]
                    break
            if p < 0:
                return i, key
            known[key] = p
        pid[i] = p
        end = t + int(
            (ends[p, 0] + ends[p, 1] * floats[i, 1] + ends[p, 2] * floats[i, 2] + ends[p, 3] * floats[i, 3]) * US
        )
        for k in range(-1, occupies.shape[1]):
            who = caller if k < 0 else occupies[p, k]
            if who < 0:
                continue
            if b1[who] <= t:
                b1[who] = end
            elif b2[who] <= t:
                b2[who] = end
            else:  # NOTE: only a call dialled now in live mode (keep_all) gets here
                b1[who] = max(b1[who], end)
        if trunk and congested == 0:
            for k in range(slots.shape[0]):
                if slots[k] == 0:
                    slots[k] = end
                    break
    return n, 0


def kernel() -> Callable[..., tuple[int, int]]:
    """Return `_walk` compiled (numba is imported on first use: the portal never pays for it)."""
    from fvkit.sim import timeline_jit

    return timeline_jit.walk


def typed_dicts() -> tuple[Any, Any]:
    """Return the two empty typed dicts the compiled kernel reads and fills (see `PathMemo`)."""
    from fvkit.sim import timeline_jit

    return timeline_jit.new_dicts()


@dataclass(slots=True)
class PathMemo:
    """The path id of every situation key met, and of the parts of keys routing actually read.

    Most of a key's draws do not matter to most calls (whether the callee would answer, when
    the callee is busy; whether a caller leaves a message, when someone answers): a path is
    filed under the key bits of the situation fields its routing read, so a key that agrees
    on those bits takes the same path without being routed again (a year met 56k keys, 15.8k
    paths). What the kernel needs of each path is in the `PathTable`, as arrays.
    """

    #: walk compiled (bulk simulation) or as plain Python (live calls, a few at a time: the
    #: portal never imports numba, 120 MB)
    compiled: bool = False
    keys: Any = None  # full key -> path id (a typed Dict when compiled)
    read: Any = None  # (mask index, key & mask) -> path id (likewise)
    masks: dict[int, int] = field(default_factory=dict)  # relevance mask (key bits read) -> its index
    mask_array: Grow = field(default_factory=lambda: Grow(1, 0, np.int64))
    #: a path filed since the last walk: key, mask index, path id (-1: none); the walk files it
    filed: np.ndarray = field(default_factory=lambda: np.asarray([0, 0, -1], dtype=np.int64))

    def __post_init__(self) -> None:
        self.keys, self.read = typed_dicts() if self.compiled else ({}, {})

    def walker(self) -> Callable[..., tuple[int, int]]:
        """Return the walk over calls that fits these dicts."""
        return kernel() if self.compiled else _walk

    def file(self, key: int, mask: int, path_id: int) -> None:
        """File a new path under its key and under the bits of it that routing read."""
        index = self.masks.setdefault(mask, len(self.masks))
        if index == self.mask_array.rows:
            self.mask_array.append((mask,))
        self.filed[:] = (key, index, path_id)  # the kernel files it in its dicts when it resumes
