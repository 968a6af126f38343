"""Calls drawn, placed and attended for a router's organisation, as the simulator does before routing."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from fvkit.sim.placement import Parties, attend, place
from fvkit.sim.run import Router
from fvkit.sim.traffic import Draws, Mix, arrivals, draw


def placed_calls(
    router: Router, start: datetime, days: float, per_day: float, seed: int
) -> tuple[np.random.Generator, np.ndarray, Draws, Parties]:
    """Return `days` of calls from `start` at `per_day` a day, with the generator that drew them."""
    settings, tg, mix = router.settings, router.tg, Mix()
    rng = np.random.default_rng(seed)
    times = arrivals(rng, start, days, settings.time_zone, per_day)
    d = draw(rng, len(times), len(settings.users), len(router.pool), mix)
    who = place(settings, tg, d, mix, rng, router.pool, router.pool_names)
    attend(settings, tg, times, d, who, rng)
    return rng, times, d, who
