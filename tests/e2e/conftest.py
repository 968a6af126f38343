"""Browser tests: the real portal in a subprocess, driven by Debian's Chromium."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fvkit.store.db import Store
from tests.e2e.portal import CHROMIUM, CHROMIUM_ARGS, serve

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"

PASSWORD = "e2e-password"
#: statuses the header must show; the simulator leaves every phone "Not in use"
STATUSES = {"7101": "In use", "7102": "Not in use"}


def build_db(path: Path) -> Path:
    """Build the database as a user would, with `fvkit simulate`, and close it."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fvkit.cli",
            "simulate",
            "--db",
            str(path),
            "--seed",
            "11",
            "--extensions",
            "16",
            "--days",
            "2",
            "--start",
            "2026-10-05",
            "--password",
            PASSWORD,
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    db = Store(path)
    for number, status in STATUSES.items():
        db.execute("UPDATE extension SET status = ? WHERE number = ?", [status, number])
    db.close()
    return path


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulated organisation the browser tests sign in to."""
    return build_db(tmp_path_factory.mktemp("e2e") / "fvkit.duckdb")


@pytest.fixture(scope="session")
def password() -> str:
    """The portal password `fvkit simulate --password` gave every user."""
    return PASSWORD


@pytest.fixture(scope="session")
def names(e2e_db: Path) -> dict[str, str]:
    """Display name by extension number, read from the simulated organisation."""
    db = Store(e2e_db, read_only=True)
    rows = db.execute("SELECT number, display_name FROM extension").fetchall()
    db.close()
    return dict(rows)


@pytest.fixture(scope="session")
def portal_url(tmp_path_factory: pytest.TempPathFactory, e2e_db: Path, names: dict[str, str]) -> Iterator[str]:
    """Start the portal with `fvkit serve` on a free port; return its URL."""
    with serve(e2e_db, tmp_path_factory.getbasetemp() / "portal.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Use Debian's Chromium, offline (`playwright install` cannot download here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
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
