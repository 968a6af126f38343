"""Start and stop a real portal (`fvkit serve`) for browser tests: one way, used by every module."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
#: the page is idle: the script run a click started has finished
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: Debian's Chromium, headless in a container: the browser tests and the benchmarks launch it so
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def log_in(page: Page, number: str, password: str, *, remember: bool = False) -> None:
    """Fill the sign-in form (Extension, Password, Remember me) and click Login."""
    page.get_by_role("textbox", name="Extension").fill(number)
    page.get_by_role("textbox", name="Password").fill(password)
    if remember:
        page.get_by_text("Remember me").click()
    page.get_by_role("button", name="Login").click()


def pick(page: Page, box: Locator, option: str) -> None:
    """Open a select box and choose `option`, once the page is idle.

    NOTE: a click that lands while a run redraws the dialog opens no list (seen once under
    load); the list is opened again then.
    """
    page.locator(IDLE).wait_for()
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(2):
        if not page.get_by_role("listbox").count():  # a list still opening is not clicked shut
            box.click()
        try:
            choice.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.locator(IDLE).wait_for()
    choice.click()


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:  # noqa: S310  # local URL
            return bool(resp.read().decode().strip() == "ok")
    except OSError:
        return False


@contextmanager
def serve(db: Path, log: Path, env: dict[str, str] | None = None, timeout: float = 30) -> Iterator[str]:
    """Serve `db` with `fvkit serve` on a free port until the block ends; yield the portal's URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "fvkit.cli", "serve", "--db", str(db), "--port", str(port), "--address", "127.0.0.1"]
    with log.open("wb") as out:
        # its own process group, so that stopping it stops everything it started
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env or dict(os.environ), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the portal did not start at {url} (exit code {proc.poll()})")
                time.sleep(0.1)
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
