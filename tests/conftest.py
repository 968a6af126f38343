"""Shared fixtures: a small seeded organisation, built once per session, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from fvkit.sim.run import Options, simulate
from fvkit.store import Store

SEED_PASSWORD = "password1"


@pytest.fixture(autouse=True)
def private_outbox(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Send every test's email to a folder of its own, never over SMTP nor into data/outbox."""
    outbox = tmp_path_factory.mktemp("outbox")
    monkeypatch.setenv("FVKIT_OUTBOX", str(outbox))
    for name in ("FVKIT_SMTP_HOST", "FVKIT_SMTP_USER", "FVKIT_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return outbox


@pytest.fixture(scope="session")
def seeded_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database file: 12 extensions (7101 has every privilege), one day of traffic."""
    path = tmp_path_factory.mktemp("seeded") / "fvkit.duckdb"
    db = Store(path)
    simulate(db, datetime(2026, 10, 5, 7), seed=2, extensions=12, password=SEED_PASSWORD, options=Options(days=1))
    db.close()
    return path


@pytest.fixture
def seeded_store(seeded_path: Path, tmp_path: Path) -> Iterator[Store]:
    """A private, writable copy of the seeded database."""
    copy = tmp_path / "fvkit.duckdb"
    shutil.copyfile(seeded_path, copy)
    db = Store(copy)
    yield db
    db.close()
