"""Follow-up calls after a missed call (SIM-8): redials and call-backs, placed only when the parent was missed."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import numpy as np
import pytest

from fvkit.sim.engine import route_batch
from fvkit.sim.followups import MIN_DELAY_S, with_follow_ups
from fvkit.sim.placement import Parties
from fvkit.sim.routing import Kind
from fvkit.sim.run import Options, Router, simulate
from fvkit.sim.traffic import Draws, Mix, to_micros
from fvkit.store.db import Store
from tests.sim.placed import placed_calls

START = datetime(2026, 4, 7, 16, 0)  # a Tuesday, 09:00 in Los Angeles


@pytest.fixture(scope="module")
def router() -> Router:
    store = Store(None)
    simulate(store, START, seed=3, extensions=30, options=Options(days=0.0))
    return Router.load(store)


def _half_day(router: Router, seed: int) -> tuple[np.random.Generator, np.ndarray, Draws, Parties]:
    """Return half a day of placed and attended calls (4,000 a day), with the generator that drew them."""
    return placed_calls(router, START, 0.5, 4_000, seed)


@pytest.mark.req("SIM-8")
def test_follow_ups_come_after_their_parent_between_the_same_people(router: Router) -> None:
    settings, tg, mix = router.settings, router.tg, Mix()
    rng, times, d, who = _half_day(router, 5)
    until = to_micros(START) + 12 * 3_600_000_000
    b = with_follow_ups(rng, settings, tg, times, d, who, len(router.pool), mix, until)
    assert np.all(np.diff(b.times) >= 0) and b.times.max() < until
    children = np.flatnonzero(b.parent >= 0)
    parents = b.parent[children]
    assert len(children) > 100
    assert np.all(b.times[children] - b.times[parents] >= MIN_DELAY_S * 1_000_000)
    assert np.all(b.draws.kind[parents] == Kind.INCOMING)
    redial = b.draws.kind[children] == Kind.INCOMING
    # a redial: the same number calls the same extension; a call back: the user calls that number
    assert np.array_equal(b.who.src[children[redial]], b.who.src[parents[redial]])
    assert np.array_equal(b.who.dst[children[redial]], b.who.dst[parents[redial]])
    back = children[~redial]
    assert np.all(b.draws.kind[back] == Kind.OUTGOING)
    assert np.array_equal(b.who.src[back], b.who.dst[b.parent[back]])
    assert np.array_equal(b.who.dst[back], b.who.src[b.parent[back]])
    assert 0.3 < redial.mean() < 0.7


@pytest.mark.req("SIM-7")
@pytest.mark.req("SIM-8")
def test_a_follow_up_is_placed_only_after_a_missed_call(router: Router) -> None:
    settings, tg, mix = router.settings, router.tg, Mix()
    rng, times, d, who = _half_day(router, 9)
    b = with_follow_ups(rng, settings, tg, times, d, who, len(router.pool), mix, to_micros(START) + 43_200_000_000)
    routed = route_batch(
        settings, tg, router.table, router.memo, router.state, b.times, b.draws, b.who, parent=b.parent
    )
    # calls start on whole seconds: compare only calls whose start second is unique
    unique = {t for t, k in Counter(b.times.tolist()).items() if k == 1}
    outcome = {
        t: router.table.paths[p].disposition.value
        for t, p in zip(routed.start.tolist(), routed.pid.tolist(), strict=True)
        if t in unique
    }
    taken = {"Answered", "Transferred - Blind", "Transferred - Attended"}
    checked = 0
    for child in np.flatnonzero(b.parent >= 0).tolist():
        child_t, parent_t = int(b.times[child]), int(b.times[b.parent[child]])
        if child_t in outcome and parent_t in unique:
            assert outcome.get(parent_t) not in taken | {None}  # placed only after a missed, placed call
            checked += 1
    assert checked > 20
