"""Keep the portal's imported modules out of Streamlit's garbage collection after each run.

Streamlit calls `gc.collect()` after every script run (`runner.postScriptGC`), holding the GIL,
so a click's `script_finished` waits for it. With pandas, pyarrow, plotly, duckdb... loaded that
full collection walks ~190k long-lived objects: 200-500 ms per click on this machine
(docs/PERFORMANCE-NOTES.md, finding 1). `gc.freeze()` moves the objects alive after the imports
into a permanent generation that collections skip; the collection after each run then walks only
what runs created since, and still frees it - so memory stays bounded, unlike turning the
collection off, which leaves each run's reference cycles to Python's rare full collections
(which then pay the whole walk again, on whichever thread triggers them).
"""

from __future__ import annotations

import gc
import sys

_frozen_modules = 0


def freeze_imports() -> bool:
    """Freeze what is alive when the process has imported modules since the last freeze.

    Called at the end of each run of the entry file: the first run of a page imports what it
    needs, so a freeze happens at most a few times per process (once per new set of imports),
    and each one first collects, so no garbage of the run is frozen. Returns True when it froze.
    """
    global _frozen_modules  # once per process, by design
    count = len(sys.modules)
    if count == _frozen_modules:
        return False
    gc.collect()
    gc.freeze()
    _frozen_modules = count
    return True
