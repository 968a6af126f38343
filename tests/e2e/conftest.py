"""Browser tests: the real portal in a subprocess, driven by Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"

#: number, name, access level, privileges, status, password
PEOPLE = (
    ("7101", "Juliet Higgins", "Standard", ["User portal"], "Not in use", "juliet-7101"),
    ("7102", "Arthur Dent", "Basic", ["User portal", "Fax"], "DND", "arthur-7102"),
    ("7104", "Sam Ortega", "Premium", ["User portal", "Conference", "Fax"], "In use", "sam-7104"),
)


def build_db(path: Path) -> Path:
    """Write the organisation the browser tests sign in to, and close the file.

    NOTE: the one step to swap for `fvkit simulate` once the simulator exists.
    """
    db = Store(path)
    for number, name, level, privileges, status, password in PEOPLE:
        db.execute(
            "INSERT INTO extension (number, display_name, ext_type, department, location, "
            "email, access_level, auth_type, privileges, did, password_hash, status) "
            "VALUES (?, ?, 'User', 'Sales', 'Burnaby', ?, ?, 'Local', ?, '', ?, ?)",
            [
                number,
                name,
                f"{number}@example.com",
                level,
                privileges,
                hash_secret(password),
                status,
            ],
        )
    db.close()
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the portal exited with {proc.returncode}")
        try:
            health = f"{url}/_stcore/health"  # always http://127.0.0.1:PORT
            with urllib.request.urlopen(health, timeout=1) as resp:  # noqa: S310
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"the portal did not answer at {url} within {timeout} s")


@pytest.fixture(scope="session")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the portal on a free port over a fresh database; return its URL."""
    db = build_db(tmp_path_factory.mktemp("e2e") / "fvkit.duckdb")
    port = _free_port()
    log = (tmp_path_factory.getbasetemp() / "portal.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboards/app.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO,
        env={**os.environ, "FVKIT_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Use Debian's Chromium, offline (`playwright install` cannot download here)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Use a tall viewport: the main area scrolls inside it, screenshots stop at its edge."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 1600}}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Return the folder screenshots are saved to."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
