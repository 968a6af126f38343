"""The busy-state timeline (SIM-7): compiled and interpreted walks agree; paths shared by key bits are exact."""

from __future__ import annotations

from datetime import datetime

import pytest

from fvkit.sim.engine import _facts, _situation, route_batch
from fvkit.sim.followups import with_follow_ups
from fvkit.sim.routing import route
from fvkit.sim.run import Options, Router, simulate
from fvkit.sim.traffic import Mix, to_micros
from fvkit.store.db import Store
from tests.sim.placed import placed_calls

START = datetime(2026, 4, 7, 16, 0)  # a Tuesday, 09:00 in Los Angeles


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store(None)
    simulate(s, START, seed=3, extensions=30, options=Options(days=0.0))
    return s


def _route_day(router: Router, seed: int) -> list[tuple[int, str, tuple[str, ...]]]:
    """Route a busy working day (6,000 calls, 30 extensions); return each placed call: start, disposition, flow."""
    settings, tg, mix = router.settings, router.tg, Mix()
    rng, times, d, who = placed_calls(router, START, 1.0, 6_000, seed)
    b = with_follow_ups(rng, settings, tg, times, d, who, len(router.pool), mix, to_micros(START) + 86_400_000_000)
    routed = route_batch(
        settings, tg, router.table, router.memo, router.state, b.times, b.draws, b.who, parent=b.parent
    )
    paths = router.table.paths
    return [
        (t, paths[p].disposition.value, tuple(paths[p].texts()))
        for t, p in zip(routed.start.tolist(), routed.pid.tolist(), strict=True)
    ]


@pytest.mark.req("SIM-7")
def test_the_compiled_walk_routes_every_call_as_the_interpreted_one(store: Store) -> None:
    compiled, interpreted = Router.load(store, compiled=True), Router.load(store, compiled=False)
    for seed in (1, 2):  # the second day starts from the state the first left
        calls = _route_day(compiled, seed)
        assert calls == _route_day(interpreted, seed)
        assert compiled.state == interpreted.state
    outcomes = {disposition for _, disposition, _ in calls}
    assert {"Answered", "Voicemail", "Busy"} <= outcomes  # busy people were met, not just free ones


@pytest.mark.req("SIM-7")
def test_a_path_shared_by_the_key_bits_routing_read_is_the_path_of_each_key(store: Store) -> None:
    router = Router.load(store)
    _route_day(router, 3)
    keys = dict(router.memo.keys)
    assert len(router.table.paths) < len(keys) / 2  # the sharing is real
    f = _facts(router.settings, router.tg)
    for key, path_id in keys.items():
        own = route(_situation(key, router.settings, router.tg, f), router.settings.org)
        shared = router.table.paths[path_id]
        assert (own.disposition, own.texts(), own.end, own.answer, own.owners, own.occupies) == (
            shared.disposition,
            shared.texts(),
            shared.end,
            shared.answer,
            shared.owners,
            shared.occupies,
        ), key
