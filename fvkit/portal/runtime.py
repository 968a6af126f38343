"""What the portal process needs from the layers below, named once for the pages.

Pages and the entry file import `fvkit.portal`, never `fvkit.store` or `fvkit.sim` (an
import-linter contract): the process's store, the live traffic it runs (SIM-5), and the
errors a page shows come from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fvkit.media.mail import MailSettings
from fvkit.sim.live import CannotDial
from fvkit.store import DEFAULT_DB, Store, StoreLocked
from fvkit.store.history import SEARCH_FIELDS

if TYPE_CHECKING:  # imported on use: a portal without live traffic never loads it
    from fvkit.sim.live_traffic import LiveTraffic

__all__ = ["DEFAULT_DB", "SEARCH_FIELDS", "CannotDial", "LiveTraffic", "Store", "StoreLocked", "live_traffic"]


def live_traffic(store: Store, start: datetime, *, seed: int, mail: MailSettings) -> LiveTraffic:
    """Return live traffic (SIM-5) on `store` from `start`; the simulator's live module loads only here."""
    from fvkit.sim.live_traffic import LiveTraffic  # lazy on purpose (PERFORMANCE-NOTES finding 4)

    return LiveTraffic(store, start, seed=seed, mail=mail)
