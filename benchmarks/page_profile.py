"""Where a page rerun spends its time: the portal calls it makes vs everything else (AppTest, no browser).

Run: .venv/bin/python benchmarks/page_profile.py [--db PATH] [--runs 5] [--cprofile SLUG]

Works on a private copy of the interaction benchmark's store (data/bench/interactions-1M.duckdb,
built by benchmarks/interactions.py), so a running portal is not disturbed. For each page, and for a
few dialogs opened through their session state, it prints the first run in this process (imports,
first queries) and the median of the next `--runs` reruns - what every click on that page costs -
split into the time spent inside each `fvkit.portal` / `pipelines` call and the rest (Streamlit:
widgets, serialising frames and figures). `--cprofile SLUG` adds cProfile's top functions for one.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import inspect
import os
import pkgutil
import pstats
import shutil
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import fvkit.portal  # noqa: E402
import pipelines  # noqa: E402

APP = REPO / "dashboards" / "app.py"
PASSWORD = "benchmark-pw"  # noqa: S105  # the benchmark store's password
USER = "7101"
SPENT: dict[str, float] = defaultdict(float)  # seconds inside each portal call, this run
_DEPTH = [0]  # only the outermost portal call counts: a service calling a service is inside it


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _DEPTH[0] += 1
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _DEPTH[0] -= 1
            if _DEPTH[0] == 0:
                SPENT[name] += time.perf_counter() - began

    return wrapper


def share_bytecode() -> None:
    """Compile each page once, as the served portal does (AppTest starts every run with an empty cache)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    compiled: dict[str, Any] = {}
    original = ScriptCache.get_bytecode

    def get_bytecode(self: ScriptCache, script_path: str) -> Any:
        if script_path not in compiled:
            compiled[script_path] = original(self, script_path)
        return compiled[script_path]

    ScriptCache.get_bytecode = get_bytecode  # type: ignore[method-assign]


def instrument() -> None:
    """Wrap every public function of fvkit.portal.* and pipelines.* to add its time to SPENT."""
    for package in (fvkit.portal, pipelines):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for attr, fn in list(vars(module).items()):
                if attr.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                    continue
                setattr(module, attr, _timed(f"{module.__name__.split('.')[-1]}.{attr}", fn))


@contextmanager
def counting() -> Iterator[dict[str, float]]:
    SPENT.clear()
    yield SPENT


def signed_in(db: Path) -> AppTest:
    """Return an AppTest of the portal with the benchmark user signed in."""
    os.environ["FVKIT_DB"] = str(db)
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    at.text_input(key="signin_extension").input(USER)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    return at


def measure(at: AppTest, runs: int) -> tuple[float, float, dict[str, float]]:
    """Return (first run ms, median rerun ms, median ms per portal call) of the AppTest's page."""
    began = time.perf_counter()
    at.run()
    first = (time.perf_counter() - began) * 1000
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    totals: list[float] = []
    per_call: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        with counting() as spent:
            began = time.perf_counter()
            at.run()
            totals.append((time.perf_counter() - began) * 1000)
        for name, seconds in spent.items():
            per_call[name].append(seconds * 1000)
    calls = {name: statistics.median(v + [0.0] * (runs - len(v))) for name, v in per_call.items()}
    return first, statistics.median(totals), calls


def first_call_history_id(at: AppTest) -> str:
    frame = at.dataframe[0].value
    return str(frame["uniqueid"].iloc[0])


#: dialogs opened through the page's own session-state key, as the page's buttons do
DIALOGS: dict[str, tuple[str, str, Callable[[AppTest], object]]] = {
    "call details": ("call_history", "ch_dialog", lambda at: ("details", first_call_history_id(at))),
    "Voicemail Options": ("voicemail", "vm_dialog", lambda at: ("options", [])),
    "Conference event": ("conference", "conf_dialog", lambda at: None),
}


def profile_rerun(at: AppTest) -> None:
    """Print cProfile's top functions of one rerun, profiled in the script thread that runs it."""
    from streamlit.runtime.scriptrunner import script_runner

    profiler = cProfile.Profile()
    original = script_runner.ScriptRunner._run_script

    def profiled(self: Any, rerun_data: Any) -> None:
        profiler.runcall(original, self, rerun_data)

    script_runner.ScriptRunner._run_script = profiled  # type: ignore[method-assign]
    try:
        at.run()
    finally:
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(20)


def report(label: str, first: float, warm: float, calls: dict[str, float]) -> None:
    inside = sum(calls.values())
    top = ", ".join(f"{n} {ms:.0f}" for n, ms in sorted(calls.items(), key=lambda kv: -kv[1])[:5])
    print(f"| {label} | {first:.0f} | {warm:.0f} | {inside:.0f} | {warm - inside:.0f} | {top} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=REPO / "data" / "bench" / "interactions-1M.duckdb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cprofile", metavar="SLUG", help="also print cProfile's top functions for this page")
    args = parser.parse_args()
    copy = args.db.with_name(args.db.stem + ".profile.duckdb")
    copy_wal = copy.with_name(copy.name + ".wal")
    shutil.copyfile(args.db, copy)
    # the store's write-ahead log goes with it; a previous copy's log would not match this copy
    source_wal = args.db.with_name(args.db.name + ".wal")
    if source_wal.exists():
        shutil.copyfile(source_wal, copy_wal)
    else:
        copy_wal.unlink(missing_ok=True)
    instrument()
    share_bytecode()
    print("| page or dialog | first run ms | rerun ms (median) | in portal calls ms | rest ms | top portal calls ms |")
    print("|---|---:|---:|---:|---:|---|")
    pages = ["home", "call_history", "voicemail", "contact", "call_handling", "call_recording", "conference"]
    pages += ["reminder", "fax", "device", "preferences", "analytics"]
    for slug in pages:
        st.cache_resource.clear()
        at = signed_in(copy)
        at.switch_page(f"app_pages/{slug}.py")
        report(slug, *measure(at, args.runs))
        if slug == args.cprofile:
            profile_rerun(at)
    for label, (slug, key, value) in DIALOGS.items():
        st.cache_resource.clear()
        at = signed_in(copy)
        at.switch_page(f"app_pages/{slug}.py").run()
        state = value(at)
        if state is None:  # the page's own "New event" button opens it
            next(b for b in at.button if "New event" in str(b.label)).click()
        else:
            at.session_state[key] = state
        report(f"{slug}: {label} dialog", *measure(at, args.runs))
    st.cache_resource.clear()  # release the copy before removing it
    copy.unlink(missing_ok=True)
    copy_wal.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
