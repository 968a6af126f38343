"""The compiled half of the timeline (`fvkit.sim.timeline`): imported by bulk runs only.

numba costs 120 MB and a fifth of a second to import, so the portal, which routes a few live
calls at a time through the interpreted walk, never imports this module. Both functions are
cached on disk by numba (beside this module) and load in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
from numba import types
from numba.typed import Dict

from fvkit.sim.timeline import _walk

_PAIR = types.UniTuple(types.int64, 2)  # type: ignore[no-untyped-call]

walk: Callable[..., tuple[int, int]] = numba.njit(cache=True, nogil=True)(_walk)


@numba.njit(cache=True)  # type: ignore[misc]
def new_dicts() -> tuple[Any, Any]:
    """Return the kernel's two empty dicts: full key -> path id, (mask index, key & mask) -> path id.

    NOTE: made in compiled code, which numba caches: a typed dict made from Python compiles
    its constructor afresh in every process (0.3 s here). The kernel alone fills them.
    """
    return Dict.empty(key_type=types.int64, value_type=types.int64), Dict.empty(key_type=_PAIR, value_type=types.int64)
