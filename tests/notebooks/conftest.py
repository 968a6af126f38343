"""Notebook fixtures: a private data folder and outbox per test, the analysts' seeded database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from fvkit.portal import auth
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from tests.notebooks.harness import BUDGET_S, Lesson, run_isolated


@pytest.fixture(scope="session")
def analyst_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database with a week of traffic for 40 extensions: enough for busy hours and Sankeys."""
    path = tmp_path_factory.mktemp("analyst") / "fvkit.duckdb"
    db = Store(path)
    simulate(db, datetime(2026, 10, 5, 5), seed=5, extensions=40, password="password1", options=Options(days=7))
    db.close()
    return path


@pytest.fixture
def notebook_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the notebooks' data folder and outbox at a private folder; return it."""
    monkeypatch.setenv("FVKIT_NOTEBOOK_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("FVKIT_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.delenv("FVKIT_SMTP_HOST", raising=False)
    return tmp_path


@pytest.fixture
def analyst_db(analyst_path: Path, notebook_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the analysts' database, named by FVKIT_DB for the notebook; return its path."""
    copy = notebook_env / "fvkit.duckdb"
    shutil.copyfile(analyst_path, copy)
    monkeypatch.setenv("FVKIT_DB", str(copy))
    return copy


@pytest.fixture(scope="module")
def lesson(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Lesson:
    """Run the module's NOTEBOOK once, in a folder of its own, within the time budget."""
    name: str = request.module.NOTEBOOK
    workdir = tmp_path_factory.mktemp(name.removesuffix(".ipynb"))
    result = Lesson(run_isolated(name, workdir), workdir, name)
    assert result.run.seconds < BUDGET_S, f"{name} took {result.run.seconds:.1f} s"
    return result


@pytest.fixture(scope="module")
def db(lesson: Lesson) -> Iterator[Store]:
    """Open the classroom database the module's notebook left behind."""
    store = Store(lesson.db)
    yield store
    store.close()


@pytest.fixture(scope="module")
def user(db: Store) -> auth.User:
    """Sign in as the class's user, 7101, on the notebook's database."""
    return auth.sign_in(db, "7101", CLASS_PASSWORD, CLASS_NOW)
