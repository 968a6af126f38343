"""Fixtures for the attack tests: a private copy of the seeded organisation for the portal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dashboards.apptest import portal_copy


@pytest.fixture
def portal_db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the seeded database that the portal under AppTest opens."""
    yield from portal_copy(seeded_path, tmp_path, monkeypatch)
