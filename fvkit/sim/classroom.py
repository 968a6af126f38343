"""A fresh, small organisation for a class or a notebook: same seed and clock, same numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fvkit.sim.run import Options, simulate
from fvkit.store import Store

CLASS_PASSWORD = "fortivoice"  # noqa: S105 - every trainee signs in with it; a training database only
CLASS_EXTENSIONS = 12  # 7101 is the first user and holds every privilege
CLASS_DAYS = 7.0  # a full week: enough calls, voicemails and faxes for every lesson
# The trainer notebooks' class clock, naive UTC: Monday 2 November 2026, 09:30 in the classroom organisation's
# time zone (America/Los_Angeles, PST, UTC-8). A class in business hours: the simulator seats people by local
# hour, so live calls at this time find them at their desks.
CLASS_NOW = datetime(2026, 11, 2, 17, 30)


def build_classroom(
    path: Path | str,
    now: datetime,
    *,
    seed: int = 7,
    extensions: int = CLASS_EXTENSIONS,
    days: float = CLASS_DAYS,
) -> Store:
    """Replace the database at `path` with a new organisation and `days` of traffic ending at `now`.

    `now` is naive UTC. Returns the open store; the caller closes it.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in (target, target.with_name(target.name + ".wal")):
        stale.unlink(missing_ok=True)
    store = Store(target)
    simulate(
        store,
        now - timedelta(days=days),
        seed=seed,
        extensions=extensions,
        password=CLASS_PASSWORD,
        options=Options(days=days),
    )
    return store
