"""The Call History page through AppTest (CH-1..6, HOME-3)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import SEED_PASSWORD

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    copy = tmp_path / "portal.duckdb"
    shutil.copyfile(seeded_path, copy)
    monkeypatch.setenv("FVKIT_DB", str(copy))
    st.cache_resource.clear()
    yield copy
    st.cache_resource.clear()


def _page(number: str = "7101") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    at.switch_page("app_pages/call_history.py").run()
    assert not at.exception
    return at


def _pager(at: AppTest) -> str:
    return next(c.value for c in at.caption if " of " in c.value)


@pytest.mark.req("CH-1")
@pytest.mark.req("HOME-3")
def test_the_list_shows_the_guides_columns_and_the_pager(db: Path) -> None:
    at = _page()
    frame = at.dataframe[0].value
    assert list(frame.columns)[1:] == [
        "From (Name)",
        "From",
        "To (Name)",
        "To",
        "Start",
        "Duration",
        "Disposition",
        "Direction",
        "Call Type",
    ]
    assert _pager(at).startswith("1-")
    assert at.button(key="page_refresh").label == "🔄 Refresh"  # HOME-3: refresh, home, go to widget
    assert at.selectbox(key="page_jump") is not None


@pytest.mark.req("CH-6")
def test_direction_and_disposition_filters(db: Path) -> None:
    at = _page()
    at.selectbox(key="ch_direction").select("Internal").run()
    at.selectbox(key="ch_disposition").select("Answered").run()
    frame = at.dataframe[0].value
    assert len(frame) > 0
    assert set(frame["Direction"]) == {"Internal"} and set(frame["Disposition"]) == {"Answered"}
    at.selectbox(key="ch_view").select("Placed").run()
    assert set(at.dataframe[0].value["From"]) <= {"7101"}


@pytest.mark.req("CH-5")
def test_a_search_full_of_quotes_shows_an_empty_list_and_no_error(db: Path) -> None:
    at = _page()
    at.text_input(key="ch_search").input("'\"%;-- DROP TABLE cdr").run()
    assert not at.exception and not at.error
    assert _pager(at) == "0 of 0"
    at.text_input(key="ch_search").input("x" * 300).run()
    assert [e.value for e in at.error] == ["Search for at most 200 characters."]


@pytest.mark.req("CH-3")
def test_call_places_a_call_that_tops_the_list(db: Path) -> None:
    at = _page()
    before = _pager(at)
    uid = at.dataframe[0].value["uniqueid"].iloc[0]
    at.session_state["ch_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="ch_call").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success and at.success[0].value.startswith("Called ")
    assert _pager(at) != before
    assert at.dataframe[0].value["uniqueid"].iloc[0] != uid


@pytest.mark.req("CH-5")
def test_a_saved_search_comes_back_with_its_filters(db: Path) -> None:
    at = _page()
    at.selectbox(key="ch_direction").select("Incoming").run()
    at.text_input(key="ch_search").input("1").run()
    at.text_input(key="ch_saved_name").input("incoming ones").run()
    at.button(key="ch_saved_save").click().run()
    at = _page()  # a new session: the filters are back to All
    assert at.selectbox(key="ch_direction").value == "--All--"
    at.selectbox(key="ch_saved_pick").select("incoming ones").run()
    at.button(key="ch_saved_apply").click().run()
    assert at.selectbox(key="ch_direction").value == "Incoming"
    assert at.text_input(key="ch_search").value == "1"
    assert set(at.dataframe[0].value["Direction"]) == {"Incoming"}
    at.text_input(key="ch_saved_name").input("   ").run()
    at.button(key="ch_saved_save").click().run()
    assert [e.value for e in at.error] == ["Name the search with 1 to 60 printable characters."]
