"""Portal speed against store size: page renders (AppTest) and the call-history page + count.

Run: .venv/bin/python benchmarks/portal.py [--dir DIR]. Builds (once, cached in DIR) stores of
10k, 100k, 1M and 10M calls, then in one run measures
- each screen page's render time through AppTest on the 10k and the 1M store (target: 1M within
  1.5x of 10k), and
- the call-history list page + its count through the service on the 100k and the 10M store
  (target: 10M within 2x of 100k),
- the Analytics report (KPIs, trend, heatmap, dispositions, Sankey) for the last 30 days on the 1M
  and the 10M store, per call in the window (target: 10M within 2x of 1M - the cost follows the
  user's calls, not the store),
and the peak resident memory of the portal (`fvkit serve`) on the 10M store while Chromium walks
every page (target: under 1 GiB). The last line
reads `ratio: X.XX`, the worst of those ratios.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.portal import analytics, call_history
from fvkit.portal.auth import acting_as
from fvkit.sim.run import Options, calls_per_user_day_for, simulate
from fvkit.store import Store
from fvkit.store.accounts import set_password_hash
from fvkit.store.secrets import hash_secret

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: the repo's test helpers too

from tests.e2e.portal import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

APP = REPO / "dashboards" / "app.py"
PAGES = ("call_history", "voicemail", "contact", "call_recording")
PASSWORD = "benchmark-pw"  # noqa: S105  # a throwaway store built here
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def build(path: Path, calls: int) -> None:
    """Simulate a store of about `calls` calls over a year (a month for the small ones)."""
    if path.exists():
        return
    days = 365.0 if calls >= 1_000_000 else 30.0
    per_day = calls_per_user_day_for(calls, days)
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    db = Store(tmp)
    began = time.perf_counter()
    summary = simulate(
        db,
        datetime(2026, 1, 1, 8),
        seed=7,
        extensions=200,
        options=Options(days=days, calls_per_user_day=per_day, chunk_days=31),
    )
    set_password_hash(db, "7101", hash_secret(PASSWORD))
    db.close()
    tmp.rename(path)
    print(f"built {path.name}: {summary.calls:,} calls in {time.perf_counter() - began:.0f} s", flush=True)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Return the median wall time of `fn` in milliseconds after one warm-up run."""
    fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def page_ms(db: Path, slug: str, runs: int = 5) -> float:
    """Return the median render time of a page for a signed-in user (AppTest, no browser)."""
    os.environ["FVKIT_DB"] = str(db)
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.text_input(key="signin_extension").input("7101")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    at.switch_page(f"app_pages/{slug}.py").run()
    if at.exception:
        raise RuntimeError(f"{slug} failed: {at.exception[0].value}")
    ms = median_ms(lambda: at.run(), runs)
    st.cache_resource.clear()
    return ms


def history_ms(db: Path, runs: int = 20) -> tuple[float, int]:
    """Return the median time of the call-history page + count, and the user's call count."""
    store = Store(db, read_only=True)
    user = acting_as(store, "7101")
    q = call_history.query(user)
    ms = median_ms(lambda: call_history.list_page(store, user, q, 1), runs)
    total = call_history.count(store, user, q)
    store.close()
    return ms, total


def analytics_ms(db: Path, runs: int = 5) -> tuple[float, int]:
    """Return the median time of 7101's Analytics report for November 2026, and the calls in it."""
    store = Store(db, read_only=True)
    user = acting_as(store, "7101")
    now = datetime(2026, 12, 1)
    ms = median_ms(lambda: analytics.report(store, user, now), runs)
    calls = analytics.report(store, user, now).kpis.calls
    store.close()
    return ms, calls


def portal_peak_mib(db: Path) -> float:
    """Serve the store with `fvkit serve`, walk every page in Chromium, return the server's peak RSS."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "fvkit.cli", "serve", "--db", str(db), "--port", str(port), "--address", "127.0.0.1"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:  # noqa: S310
                    if resp.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            page.goto(f"{url}/call_history")
            page.get_by_role("textbox", name="Extension").fill("7101")
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Login").click()
            page.get_by_text(" of ").first.wait_for(timeout=120_000)
            for _ in range(5):  # page through the newest calls
                page.get_by_role("button", name="▶").click()
                page.wait_for_timeout(500)
            for slug in [*PAGES[1:], "analytics"]:
                page.goto(f"{url}/{slug}")
                page.wait_for_timeout(3000)
            browser.close()
        status = Path(f"/proc/{server.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=REPO / "data" / "bench")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    stores = {name: args.dir / f"calls-{name}.duckdb" for name in SIZES}
    if args.build_only:
        for name, calls in SIZES.items():
            build(stores[name], calls)
        return
    # build in a child process, so this one's memory figures are the measurement's alone
    subprocess.run([sys.executable, __file__, "--dir", str(args.dir), "--build-only"], check=True)

    ratios: dict[str, float] = {}
    # before the page renders: they leave the 1M store open read-write in this process
    small, n_small = analytics_ms(stores["1M"])
    large, n_large = analytics_ms(stores["10M"])
    per_call = (large / n_large) / (small / n_small)
    ratios["analytics report per call 10M/1M"] = per_call
    print(
        f"analytics report, last 30 days: 1M store ({n_small:,} calls of 7101) {small:.0f} ms   "
        f"10M store ({n_large:,} calls) {large:.0f} ms   per-call ratio {per_call:.2f}"
    )
    pages = [slug for slug in PAGES if (REPO / "dashboards" / "app_pages" / f"{slug}.py").exists()]
    for slug in pages:
        small, large = page_ms(stores["10k"], slug), page_ms(stores["1M"], slug)
        ratios[f"{slug} page 1M/10k"] = large / small
        print(f"{slug:>15} page: 10k {small:7.1f} ms   1M {large:7.1f} ms   ratio {large / small:.2f}")
    small, n_small = history_ms(stores["100k"])
    large, n_large = history_ms(stores["10M"])
    ratios["call history page + count 10M/100k"] = large / small
    print(
        f"call history page + count: 100k store ({n_small:,} calls of 7101) {small:.1f} ms   "
        f"10M store ({n_large:,} calls of 7101) {large:.1f} ms   ratio {large / small:.2f}"
    )
    peak_mib = portal_peak_mib(stores["10M"])
    print(f"portal process on the 10M store, peak resident memory after walking every page: {peak_mib:.0f} MiB")
    worst = max(ratios, key=lambda k: ratios[k])
    print(f"worst: {worst}")
    print(f"ratio: {ratios[worst]:.2f}")


if __name__ == "__main__":
    main()
