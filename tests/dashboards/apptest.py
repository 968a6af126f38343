"""AppTest helpers for the page tests: a private copy of a database for the portal, and a signed-in page."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.conftest import SEED_PASSWORD

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def open_page(slug: str, number: str = "7101", password: str = SEED_PASSWORD) -> AppTest:
    """Sign in to the portal on $FVKIT_DB and open `dashboards/app_pages/<slug>.py`."""
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(password)
    at.button[0].click().run()
    at.switch_page(f"app_pages/{slug}.py").run()
    assert not at.exception, at.exception
    return at


def portal_copy(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Yield a private copy of `source` that the portal under test opens ($FVKIT_DB), for a fixture."""
    copy = tmp_path / "portal.duckdb"
    shutil.copyfile(source, copy)
    monkeypatch.setenv("FVKIT_DB", str(copy))
    st.cache_resource.clear()
    yield copy
    st.cache_resource.clear()


def read_db(path: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Query the database file the portal uses (releasing the portal's handle first)."""
    st.cache_resource.clear()
    store = Store(path)
    try:
        return list(store.execute(sql, params or []).fetchall())
    finally:
        store.close()


#: a download button's file name and the callable that makes its bytes, by the button's deferred_file_id
Downloads = dict[str, tuple[str | None, Callable[[], Any]]]


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> Downloads:
    """Record what each deferred download button would send, so a test can read its bytes.

    AppTest cannot click a download; the button's proto carries only a placeholder id. The
    callable behind it is what the browser's click would run.
    """
    seen: Downloads = {}
    original = MediaFileManager.add_deferred

    def record(
        self: MediaFileManager,
        data_callable: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        *,
        element_id: str = "",
    ) -> str:
        file_id = original(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)
        seen[file_id] = (file_name, data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen
