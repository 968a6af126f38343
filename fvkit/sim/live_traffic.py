"""Live mode (SIM-5): calls keep arriving while the portal runs, through the same engine.

`LiveTraffic.advance(now)` adds the calls that arrived since the last step (Poisson at the
hour's rate), sets every extension's header status from the calls in flight (Ringing, In
use, DND, Not in use), and emails voicemail and missed-call notifications as each user's
Notification Options ask (PREF-9, NOTIF-1). The face calls it from a background thread with
the wall clock, optionally sped up; tests call it with chosen times.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import pyarrow as pa

from fvkit.domain.calls import ExtensionStatus
from fvkit.media.mail import MailSettings
from fvkit.sim.compiled import PathTable
from fvkit.sim.engine import LineState, PathMemo
from fvkit.sim.notify import notify
from fvkit.sim.placement import attend, place, targets
from fvkit.sim.reminders import fire_due_reminders
from fvkit.sim.run import Router
from fvkit.sim.settings import load_settings
from fvkit.sim.traffic import Mix, arrivals_between, draw, to_micros
from fvkit.store import Store
from fvkit.store.notifications import dnd_extensions, set_statuses


@dataclass(slots=True)
class InFlight:
    """A call leg an extension is on: ringing until answered, in use until it ends."""

    owner: str
    start_us: int
    answer_us: int | None
    end_us: int
    ringing: bool  # the owner was called (a caller's own phone does not ring)


@dataclass(frozen=True, slots=True)
class Step:
    """What one step added."""

    calls: tuple[str, ...]
    statuses: dict[str, str]
    emails: tuple[str, ...]  # where each notification went (SMTP or an .eml path)


@dataclass(slots=True)
class LiveTraffic:
    """Calls arriving in (simulated) real time into a store the portal is showing."""

    store: Store
    clock: datetime  # naive UTC: the end of the last step
    seed: int = 0
    calls_per_user_day: float = 8.0
    mail: MailSettings | None = None  # None: no notification emails
    router: Router = field(init=False)
    rng: np.random.Generator = field(init=False)
    in_flight: list[InFlight] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # statuses this stepper has set

    def __post_init__(self) -> None:
        self.router = Router.load(self.store)
        self.rng = np.random.default_rng([self.seed, to_micros(self.clock) // 1_000_000])

    def reload_settings(self) -> None:
        """Re-read call handling (the portal may have changed it); keep the caller pool."""
        settings = load_settings(self.store)
        tg = targets(settings)
        state = self.router.state if tg == self.router.tg else LineState([], [0] * len(tg.numbers))
        self.router = replace(self.router, settings=settings, tg=tg, table=PathTable(), memo=PathMemo(), state=state)

    def advance(self, now: datetime) -> Step:
        """Add the calls that arrived up to `now`; update statuses; send notifications."""
        self.reload_settings()
        settings, t0, t1 = self.router.settings, to_micros(self.clock), to_micros(now)
        per_day = self.calls_per_user_day * len(settings.users)
        times = arrivals_between(self.rng, t0, t1, settings.time_zone, per_day)
        calls: tuple[str, ...] = ()
        emails: tuple[str, ...] = ()
        if len(times):
            mix = Mix()
            d = draw(self.rng, len(times), len(settings.users), len(self.router.pool), mix)
            who = place(settings, self.router.tg, d, mix, self.rng, self.router.pool, self.router.pool_names)
            attend(settings, self.router.tg, times, d, who, self.rng)
            rows = self.router.write(self.store, times, d, who, self.seed, t1, live=True)
            cdr = rows["cdr"]
            calls = tuple(cdr.filter(cdr.column("is_primary")).column("uniqueid").to_pylist())
            self._track(cdr)
            if self.mail is not None:
                emails = notify(self.store, rows, now, self.mail)
        # reminders falling due in this step call their guests (REM-6); fired ones are recorded
        fire_due_reminders(self.store, self.clock, now, seed=self.seed)
        self.clock = now
        statuses = self._statuses(t1, now)
        return Step(calls, statuses, emails)

    def _track(self, cdr: pa.Table) -> None:
        users = set(self.router.settings.users)
        for r in cdr.select(["owner", "placed", "start_time", "answer_time", "end_time"]).to_pylist():
            if r["owner"] in users:
                answer = to_micros(r["answer_time"]) if r["answer_time"] else None
                leg = InFlight(
                    r["owner"], to_micros(r["start_time"]), answer, to_micros(r["end_time"]), not r["placed"]
                )
                self.in_flight.append(leg)

    def _statuses(self, t: int, now: datetime) -> dict[str, str]:
        """Set each extension's header status from the calls in flight at `t` (HOME-2)."""
        self.in_flight = [c for c in self.in_flight if c.end_us > t]
        status: dict[str, str] = {}
        for c in self.in_flight:
            if c.start_us > t:
                continue
            if c.ringing and (c.answer_us is None or t < c.answer_us):
                status.setdefault(c.owner, ExtensionStatus.RINGING.value)
            else:
                status[c.owner] = ExtensionStatus.IN_USE.value
        for number in dnd_extensions(self.store):
            status[number] = ExtensionStatus.DND.value
        changed = {n: s for n, s in status.items() if self.shown.get(n) != s}
        for number in set(self.shown) - set(status):  # back to idle
            if self.shown[number] != ExtensionStatus.NOT_IN_USE.value:
                changed[number] = ExtensionStatus.NOT_IN_USE.value
        if changed:
            set_statuses(self.store, changed, now)
            self.shown.update(changed)
        return changed
