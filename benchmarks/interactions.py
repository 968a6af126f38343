"""Portal speed as a user feels it: a fixed tour of 30 interactions in Chromium, against a floor.

Run: .venv/bin/python benchmarks/interactions.py [--calls N] [--tours 3] [--db PATH]

Builds (once, kept under data/bench/) a store of about N calls (default 1M) with `fvkit simulate`,
serves it with `fvkit serve`, and drives Debian's Chromium through the same 30 interactions on
every screen, in a fresh browser session per tour. Each interaction is timed from the click until
the page is idle: the script run the click started has finished (Streamlit's `script_finished`
message on the page's websocket), the element the interaction changes is there, and the app reports
`notRunning`. In the same run, a bare Streamlit app (benchmarks/floor_app.py, one button that
reruns) is timed the same way, 30 clicks per tour: no interaction can be faster than that floor.

It prints each interaction's median over the tours, p50 and p95 over every timing, the floor, the
first page load and sign-in to first screen, and last `ratio: X.XX` = portal p50 / floor p50.
The "in page" column times the same interaction in the page's own clock, from the input event to
the page's last DOM change before the timing ended: what the user sees settle, without the slack of
Playwright's re-checks (a condition not yet true is checked again after 20, 50, 100, 100, 500 ms).
An interaction whose control is missing (the pages change) prints "skipped: why" and the tour goes on.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: the repo's packages, not an installed copy

from benchmarks.tour import DONE_MS, IDLE, TOUR, Skip, Tab, dialog  # noqa: E402
from fvkit.sim.run import calls_per_user_day_for  # noqa: E402
from tests.e2e.portal import CHROMIUM, CHROMIUM_ARGS, free_port, serve  # noqa: E402

PASSWORD = "benchmark-pw"  # noqa: S105  # a throwaway store built here
USER = "7101"  # the operator: every privilege, every screen

# --- the store and the servers ------------------------------------------------------------


def build(path: Path, calls: int) -> None:
    """Simulate a store of about `calls` calls ending today, as a user would: `fvkit simulate`."""
    if path.exists():
        return
    days = 365 if calls >= 100_000 else 30
    per_day = calls_per_user_day_for(calls, days)
    start = time.strftime("%Y-%m-%d", time.gmtime(time.time() - days * 86_400))
    partial = path.with_name(path.stem + ".partial.duckdb")
    partial.unlink(missing_ok=True)
    began = time.perf_counter()
    cmd = [sys.executable, "-m", "fvkit.cli", "simulate", "--db", str(partial), "--seed", "7", "--extensions", "200"]
    cmd += ["--days", str(days), "--start", start, "--calls-per-user-day", f"{per_day:.3f}", "--password", PASSWORD]
    subprocess.run(
        cmd,
        cwd=REPO,
        check=True,
    )
    partial.rename(path)
    print(f"built {path} in {time.perf_counter() - began:.0f} s", flush=True)


@contextmanager
def serve_floor(log: Path, env: dict[str, str]) -> Iterator[str]:
    """Serve benchmarks/floor_app.py with `streamlit run`, the portal's flags; yield its URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "benchmarks" / "floor_app.py")]
    cmd += ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port)]
    cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:  # noqa: S310
                        if resp.read().strip() == b"ok":
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the floor app did not start") from None
                    time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=15)


@dataclass
class Results:
    """Timings in milliseconds by interaction, and why interactions were skipped."""

    times: dict[str, list[float]] = field(default_factory=dict)
    to_end: dict[str, list[float]] = field(default_factory=dict)  # click to the run's script_finished
    kib: dict[str, list[float]] = field(default_factory=dict)  # websocket KiB the server sent
    runs: dict[str, list[int]] = field(default_factory=dict)  # script runs per timing
    # the page's own clock: input to its last change (what the user sees settle, without the waits'
    # polling: Playwright re-checks a condition after 0, 20, 50, 100, 100, 500 ms, ...)
    shown: dict[str, list[float]] = field(default_factory=dict)
    windows: list[tuple[str, float, float]] = field(default_factory=list)  # name, click, end (wall clock)
    skipped: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, ms: float, tab: Tab | None = None) -> None:
        self.times.setdefault(name, []).append(ms)
        if tab is not None:
            self.to_end.setdefault(name, []).append(tab.last[0])
            self.kib.setdefault(name, []).append(tab.last[1] / 1024)
            self.runs.setdefault(name, []).append(tab.last[2])
            if tab.last[3] is not None:
                self.shown.setdefault(name, []).append(tab.last[3])
            self.windows.append((name, *tab.window))

    def script_ms(self, log: Path) -> dict[str, list[float]]:
        """Return, per interaction, the server's script-run milliseconds inside each of its timings."""
        runs = [tuple(map(float, line.split())) for line in log.read_text().splitlines()] if log.exists() else []
        spent: dict[str, list[float]] = {}
        for name, clicked, ended in self.windows:
            inside = sum(ms for start, _, ms in runs if clicked - 0.002 <= start <= ended)
            spent.setdefault(name, []).append(inside)
        return spent

    def all(self) -> list[float]:
        return [ms for values in self.times.values() for ms in values]


def recover(tab: Tab) -> None:
    """After a skipped step: close any dialog or menu so that the tour can go on."""
    page = tab.page
    for _ in range(2):
        if dialog(page).count():
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
    page.keyboard.press("Escape")
    page.locator(IDLE).wait_for(timeout=DONE_MS)


def sign_in(tab: Tab, url: str, portal: Results | None = None) -> None:
    """Open the portal and sign in; into `portal`, time the first page load and sign-in to the first screen."""
    page = tab.page
    began = time.perf_counter()
    page.goto(f"{url}/")
    login = page.get_by_role("button", name="Login")
    login.wait_for(timeout=DONE_MS)
    page.locator(IDLE).wait_for(timeout=DONE_MS)
    loaded = (time.perf_counter() - began) * 1000
    page.get_by_role("textbox", name="Extension").fill(USER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    menu = page.get_by_test_id("stSidebarNavLink")
    signed_in = tab.timed(login.click, lambda: menu.first.wait_for(timeout=DONE_MS))
    if portal is not None:
        portal.add("first page load", loaded)
        portal.add("sign-in to first screen", signed_in, tab)


def tour(tab: Tab, results: Results, number: int) -> None:
    """Do every interaction of the tour once in the signed-in `tab`."""
    for name, prepare in TOUR:
        try:
            act, ready = prepare(tab)
            ms = tab.timed(act, ready)
        except (Skip, PlaywrightError, AssertionError) as err:
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            results.skipped[name] = reason
            print(f"  tour {number}: skipped: {name}: {reason}", flush=True)
            recover(tab)
            continue
        results.add(name, ms, tab)


def floor(tab: Tab, url: str, results: Results, clicks: int) -> None:
    """Click the bare app's Rerun button `clicks` times, timed as the tour's interactions."""
    page = tab.page
    if not page.url.startswith(url):
        page.goto(url)
    button = page.get_by_role("button", name="Rerun")
    button.wait_for(timeout=DONE_MS)
    page.locator(IDLE).wait_for(timeout=DONE_MS)
    done = int(page.get_by_text(re.compile(r"^Clicks: \d+$")).inner_text().split()[1])
    for n in range(done + 1, done + clicks + 1):
        shows = page.get_by_text(f"Clicks: {n}", exact=True)
        results.add("floor", tab.timed(button.click, lambda s=shows: s.wait_for(timeout=DONE_MS)), tab)  # type: ignore[misc]


def fresh_session(browser: Browser, url: str) -> Tab:
    """Return a new signed-in browser session (its first use of every screen is in the tour)."""
    tab = Tab(browser)
    sign_in(tab, url)
    return tab


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of `values`, nearest rank."""
    ranked = sorted(values)
    return ranked[max(0, min(len(ranked) - 1, round(q / 100 * len(ranked) + 0.5) - 1))]


def report(
    portal: Results, bare: Results, tours: int, script: dict[str, list[float]], floor_script: dict[str, list[float]]
) -> None:
    """Print the table, the summary and the closing ratio line."""
    print(
        f"\n| interaction | median ms ({tours} tours) | each tour | to end ms | after ms | KiB | script ms | runs"
        " | in page ms | in page: each tour |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
    for name in [*(n for n, _ in TOUR), "first page load", "sign-in to first screen", "floor"]:
        values = (bare if name == "floor" else portal).times.get(name, [])
        if not values:
            print(f"| {name} | skipped: {portal.skipped.get(name, 'not run')} | | | | | | | | |")
            continue
        each = ", ".join(f"{v:.0f}" for v in values) if len(values) <= 5 else f"{len(values)} clicks"
        median = statistics.median(values)
        to_end = (bare if name == "floor" else portal).to_end.get(name)
        kib = (bare if name == "floor" else portal).kib.get(name)
        split = f"{statistics.median(to_end):.0f} | {median - statistics.median(to_end):.0f}" if to_end else " | "
        size = f"{statistics.median(kib):.0f}" if kib else ""
        ran = (floor_script if name == "floor" else script).get(name)
        server = f"{statistics.median(ran):.0f}" if ran else ""
        counts = (bare if name == "floor" else portal).runs.get(name)
        ran_n = f"{max(counts)}" if counts else ""
        seen = (bare if name == "floor" else portal).shown.get(name)
        in_page = f"{statistics.median(seen):.0f}" if seen else ""
        each_seen = (", ".join(f"{v:.0f}" for v in seen) if len(seen) <= 5 else f"{len(seen)} clicks") if seen else ""
        print(f"| {name} | {median:.0f} | {each} | {split} | {size} | {server} | {ran_n} | {in_page} | {each_seen} |")
    timings = [ms for name, _ in TOUR for ms in portal.times.get(name, [])]
    floor_ms = bare.times.get("floor", [])
    if not timings or not floor_ms:
        print("ratio: nan (nothing was timed)")
        return
    medians = {name: statistics.median(portal.times[name]) for name, _ in TOUR if name in portal.times}
    slow = sorted((m, n) for n, m in medians.items() if m > 1000)
    print(f"\ninteractions timed: {len(timings)} ({len(medians)} of {len(TOUR)} kinds)")
    print(f"portal: p50 {percentile(timings, 50):.0f} ms, p95 {percentile(timings, 95):.0f} ms")
    print(f"floor (bare Streamlit rerun): p50 {percentile(floor_ms, 50):.0f} ms, p95 {percentile(floor_ms, 95):.0f} ms")
    print(f"p95 ratio: {percentile(timings, 95) / percentile(floor_ms, 50):.2f}")
    print(f"over 1 s median: {len(slow)}" + "".join(f"\n  {n}: {m:.0f} ms" for m, n in reversed(slow)))
    seen = [ms for name, _ in TOUR for ms in portal.shown.get(name, [])]
    seen_medians = {name: statistics.median(portal.shown[name]) for name, _ in TOUR if name in portal.shown}
    floor_seen = bare.shown.get("floor", [])
    if seen and floor_seen:
        print(
            f"in page (input to the page's last change): portal p50 {percentile(seen, 50):.0f} ms,"
            f" p95 {percentile(seen, 95):.0f} ms; floor p50 {percentile(floor_seen, 50):.0f} ms;"
            f" over 1 s median: {sum(m > 1000 for m in seen_medians.values())}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"ratio: {percentile(timings, 50) / percentile(floor_ms, 50):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000, help="calls in the store (default 1M)")
    parser.add_argument("--tours", type=int, default=3, help="tours of the 30 interactions (default 3)")
    parser.add_argument(
        "--portal-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the portal only, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false (a trial)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the portal's script runs (slower)")
    parser.add_argument("--fresh", action="store_true", help="a new browser session for each tour")
    parser.add_argument("--db", type=Path, help="the store (default: data/bench/interactions-<calls>.duckdb)")
    args = parser.parse_args()
    bench = REPO / "data" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    db = args.db or bench / f"interactions-{args.calls // 1000}k.duckdb"
    if args.calls == 1_000_000 and args.db is None:
        db = bench / "interactions-1M.duckdb"
    build(db, args.calls)
    print(f"store {db}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    portal, bare = Results(), Results()
    runs, floor_runs = bench / "interactions-runs.log", bench / "interactions-floor-runs.log"
    runs.unlink(missing_ok=True)
    floor_runs.unlink(missing_ok=True)
    path = os.pathsep.join([str(REPO / "benchmarks" / "server_timing"), str(REPO)])
    env = {**os.environ, "PYTHONPATH": path, "FVKIT_BENCH_RUNS": str(runs)}
    floor_env = {**env, "FVKIT_BENCH_RUNS": str(floor_runs)}
    for pair in args.portal_env:
        key, _, value = pair.partition("=")
        env[key] = value
        print(f"portal environment: {key}={value}")
    if args.profile:
        env["FVKIT_BENCH_PROFILE"] = str(bench / "interactions-portal.pstats")
    with (
        serve(db, bench / "interactions-portal.log", env=env, timeout=120) as url,
        serve_floor(bench / "interactions-floor.log", floor_env) as floor_url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # one browser session for every tour, as a user works: tour 1 also pays each screen's first use
        # (the grid's and plotly's code loading); sign-in is timed in a fresh session per tour
        tab, floor_tab = Tab(browser), Tab(browser)
        sign_in(tab, url)
        for n in range(1, args.tours + 1):  # the floor between the tours: both see the same load
            began = time.perf_counter()
            fresh = Tab(browser)
            sign_in(fresh, url, portal)
            fresh.close()
            touring = fresh_session(browser, url) if args.fresh else tab
            tour(touring, portal, n)
            if touring is not tab:
                touring.close()
            floor(floor_tab, floor_url, bare, len(TOUR))
            print(f"tour {n} done in {time.perf_counter() - began:.0f} s", flush=True)
        browser.close()
    report(portal, bare, args.tours, portal.script_ms(runs), bare.script_ms(floor_runs))


if __name__ == "__main__":
    main()
