"""Fixtures for the Streamlit portal: a closed database file with a few extensions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret
from tests.dashboards.apptest import portal_copy

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"

#: number, name, access level, privileges, status, password
PEOPLE = (
    ("7101", "Juliet Higgins", "Standard", ["User portal"], "Not in use", "juliet-7101"),
    ("7102", "Arthur Dent", "Basic", ["User portal", "Fax"], "DND", "arthur-7102"),
    ("7103", "Nora Kline", "Standard", ["Conference"], "Not in use", "nora-7103"),
    ("7104", "Sam Ortega", "Premium", ["User portal", "Conference", "Fax"], "In use", "sam-7104"),
)


def build_db(path: Path) -> Path:
    """Write the test extensions to a database file and close it."""
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


@pytest.fixture(scope="session")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a closed database file holding the test extensions."""
    return build_db(tmp_path_factory.mktemp("portal") / "fvkit.duckdb")


@pytest.fixture
def portal_db(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the portal at the test database; drop the process's cached store after."""
    monkeypatch.setenv("FVKIT_DB", str(db_file))
    st.cache_resource.clear()
    yield db_file
    st.cache_resource.clear()


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the seeded organisation, which the portal under test opens ($FVKIT_DB)."""
    yield from portal_copy(seeded_path, tmp_path, monkeypatch)
