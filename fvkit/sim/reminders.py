"""Reminders calling their guests (REM-6): each occurrence places one call per guest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fvkit.domain.prefs import DEFAULT_TIME_ZONE
from fvkit.domain.recurrence import expand
from fvkit.sim.live import Behaviour, CannotDial, place_call
from fvkit.sim.run import Router
from fvkit.store import Store
from fvkit.store import reminders as rows
from fvkit.store.accounts import user_time_zone
from fvkit.store.org import organisation

#: Caller ID of reminders the system set: they have no owner extension to call from.
#: NOTE: our choice; the guide does not say what number a system reminder shows.
SYSTEM_CALLER = "9999"
#: How long a guest listens: the beep or the customised message, then the line drops.
REMINDER_TALK_S = 8.0


@dataclass(frozen=True, slots=True)
class ReminderCall:
    """One call a reminder placed."""

    reminder: int
    occurrence: datetime
    guest: str
    uniqueid: str  # '' when the number could not be dialled
    note: str = ""


def owner_zone(store: Store, owner: str) -> str:
    """Return the time zone a reminder's times are set in: its owner's, or the organisation's."""
    if owner != "system":
        return user_time_zone(store, owner)
    try:
        return str(organisation(store)["time_zone"])
    except LookupError:  # a store holding reminders but no organisation row
        return DEFAULT_TIME_ZONE


def fire_due_reminders(store: Store, since: datetime, until: datetime, *, seed: int = 0) -> list[ReminderCall]:
    """Call each guest of every reminder occurrence in [since, until), once per occurrence.

    An occurrence that already fired (an earlier run) is skipped, so runs may overlap.
    """
    router: Router | None = None
    placed: list[ReminderCall] = []
    for r in rows.every(store):
        rid = int(r["id"])  # type: ignore[call-overload]
        starts = r["starts"]
        assert isinstance(starts, datetime)
        done = rows.fired(store, rid)
        zone = owner_zone(store, str(r["owner"]))
        due = [t for t in expand(starts, str(r["rrule"]), zone, since, until) if t not in done]
        for t in due:
            guest_list = rows.guests(store, rid)
            if not rows.mark_fired(store, rid, t, t, len(guest_list)):
                continue
            owner = str(r["owner"])
            caller = SYSTEM_CALLER if owner == "system" else owner
            router = router or Router.load(store)
            for guest, _external in guest_list:
                try:
                    uid = place_call(
                        store,
                        caller,
                        guest,
                        t,
                        behaviour=Behaviour(answers=True, leaves_message=False, talk_seconds=REMINDER_TALK_S),
                        router=router,
                        seed=seed,
                    )
                except CannotDial as err:
                    placed.append(ReminderCall(rid, t, guest, "", str(err)))
                else:
                    placed.append(ReminderCall(rid, t, guest, uid))
    return placed
