"""A new organisation's trunk sized by a traffic study of its own first month (issue 9, SIM-4).

Erlang B gives the first size from the expected busy hour (`default_trunk_lines`). One month's
busy hour is a small sample, though: about 2,000 outside calls over 22 weekdays, and blocked
calls come in bursts, so the share the same trunk blocks differs by about half a point from one
month to the next (0.9-2.4% with 11 lines over six sampled months of the demo). A traffic
engineer checks the size against the measured busy hour; so does this: when the month's busy
hour blocks outside the band, the run is repeated on a fresh store with a line more (or less),
at most `MAX_STUDIES` runs. Same seed and start draw the same organisation and calls whatever
the trunk: a study changes what the trunk decides, and what follows from it (redials after a
blocked call, who is free for the next one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fvkit.sim import org as org_gen
from fvkit.sim.run import Options, Summary, default_trunk_lines, simulate
from fvkit.store import Store
from fvkit.store.realism import busy_hour_blocking

#: share of outside calls the busy hour may block (issue 9: "roughly 0.5-2%")
BAND = (0.005, 0.02)
MAX_STUDIES = 3


@dataclass(frozen=True, slots=True)
class Study:
    """One run of the study: the trunk's lines and the busy-hour blocking measured with them."""

    lines: int
    blocked: float | None

    def __str__(self) -> str:
        share = "no outside calls" if self.blocked is None else f"{self.blocked:.1%} blocked in the busy hour"
        return f"{self.lines} lines: {share}"


def simulate_sized(
    open_fresh: Callable[[], Store],
    start: datetime,
    *,
    seed: int,
    extensions: int,
    password: str | None,
    options: Options,
    progress: Callable[[str, float], None] = lambda _msg, _frac: None,
) -> tuple[Store, Summary, list[Study]]:
    """Build a new organisation and its traffic with a trunk whose busy hour blocks inside `BAND`.

    `open_fresh` returns an empty store, discarding what an earlier call returned (the caller
    owns the files). Returns the store of the run kept, its summary, and every run's study.
    """
    lines = default_trunk_lines(org_gen.user_count(extensions), options.calls_per_user_day)
    studies: list[Study] = []
    while True:
        store = open_fresh()
        summary = simulate(
            store,
            start,
            seed=seed,
            extensions=extensions,
            trunk_lines=lines,
            password=password,
            options=options,
            progress=progress,
        )
        blocked = busy_hour_blocking(store)
        studies.append(Study(lines, blocked))
        low, high = BAND
        step = 0 if blocked is None else 1 if blocked > high else -1 if blocked < low else 0
        tried = {s.lines for s in studies}
        if step == 0 or len(studies) >= MAX_STUDIES or lines + step in tried or lines + step < 1:
            return store, summary, studies
        store.close()
        lines += step
