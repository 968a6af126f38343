"""Log how long each Streamlit script run takes in a served portal (benchmarks/interactions.py only).

benchmarks/interactions.py puts this folder first on the served portal's PYTHONPATH and names a log
file in $FVKIT_BENCH_RUNS; Python imports this module at start-up, and every script run (reruns that
st.rerun() starts included) then appends "start end ms" (wall-clock seconds, run milliseconds).
"""

from __future__ import annotations

import cProfile
import os
import threading
import time
from typing import Any

_LOG = os.environ.get("FVKIT_BENCH_RUNS")
_PROFILE = os.environ.get("FVKIT_BENCH_PROFILE")  # also profile every run into this pstats file

if _LOG:
    _PATH: str = _LOG
    from streamlit.runtime.scriptrunner import script_runner

    _original = script_runner.ScriptRunner._run_script
    _depth = threading.local()
    _PROFILER = cProfile.Profile() if _PROFILE else None  # one thread runs scripts at a time here

    def _run_script(self: Any, rerun_data: Any) -> None:
        depth = getattr(_depth, "n", 0)
        _depth.n = depth + 1
        wall, began = time.time(), time.perf_counter()
        if _PROFILER is not None and depth == 0:
            _PROFILER.enable()
        try:
            _original(self, rerun_data)
        finally:
            _depth.n = depth
            if depth == 0:  # a rerun st.rerun() started runs inside: count the outer run once
                ms = (time.perf_counter() - began) * 1000
                with open(_PATH, "a", encoding="utf-8") as log:
                    log.write(f"{wall:.4f} {time.time():.4f} {ms:.1f}\n")
                if _PROFILER is not None and _PROFILE:
                    _PROFILER.disable()
                    _PROFILER.dump_stats(_PROFILE)

    script_runner.ScriptRunner._run_script = _run_script  # type: ignore[method-assign]
