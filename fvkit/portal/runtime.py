"""What the portal process needs from the layers below, named once for the pages.

Pages and the entry file import `fvkit.portal`, never `fvkit.store` or `fvkit.sim` (an
import-linter contract): the process's store, the live traffic it runs (SIM-5), and the
errors a page shows come from here.
"""

from __future__ import annotations

from fvkit.sim.live import CannotDial
from fvkit.sim.live_traffic import LiveTraffic
from fvkit.store import DEFAULT_DB, Store, StoreLocked
from fvkit.store.history import SEARCH_FIELDS

__all__ = ["DEFAULT_DB", "SEARCH_FIELDS", "CannotDial", "LiveTraffic", "Store", "StoreLocked"]
