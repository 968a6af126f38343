"""The Call History page through AppTest (CH-1..6, HOME-3)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.dashboards.apptest import open_page

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def _page(number: str = "7101") -> AppTest:
    return open_page("call_history", number)


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
    assert "Voicemail" in at.selectbox(key="page_jump").options  # every page's bar: tests/dashboards/test_toolbar.py


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


def _select(at: AppTest, row: int = 0) -> AppTest:
    at.session_state["ch_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def _download_buttons(at: AppTest) -> dict[str, bool]:
    """Return the download buttons on the page: label -> enabled."""
    return {b.proto.label: not b.proto.disabled for b in at.get("download_button")}


@pytest.mark.req("CH-7")
@pytest.mark.req("CH-8")
def test_download_choices_follow_the_guides_rules(db: Path) -> None:
    at = _page()
    assert _download_buttons(at) == {"All": True}  # no search: All only
    assert at.button(key="ch_download_search").disabled
    at.toggle(key="ch_with_flow").set_value(True).run()
    assert _download_buttons(at) == {"All": False}  # guide p.15: All only with call flow OFF
    at.text_input(key="ch_search").input("1").run()
    assert not at.button(key="ch_download_search").disabled
    at.button(key="ch_download_search").click().run()
    assert "with call flow" in " ".join(m.value for m in at.markdown)
    assert _download_buttons(at)["OK"]


@pytest.mark.req("CH-4")
def test_details_dialog_shows_the_three_sections(db: Path) -> None:
    at = _select(_page())
    at.button(key="ch_details").click().run()
    text = " ".join(m.value for m in at.markdown)
    for label in ("**From:**", "**Real duration:**", "**Disposition:**", "**Unique ID:**", "**Bill duration:**"):
        assert label in text
    assert [e.label for e in at.expander] == ["Call Information", "Detail Information", "Call Flow"]
    assert list(at.dataframe[1].value.columns) == ["Time", "Description"]


@pytest.mark.req("CH-2")
def test_a_caller_in_the_personal_contacts_shows_under_that_name(db: Path) -> None:
    at = _page()
    frame = at.dataframe[0].value
    incoming = frame[frame["Direction"] == "Incoming"].iloc[0]
    store = Store(db)
    store.execute(
        "INSERT INTO contact (id, owner, display_name, main_number) VALUES (99002, '7101', 'Known Caller', ?)",
        ["+" + incoming["From"]],
    )
    store.close()
    st.cache_resource.clear()
    at = _page()
    frame = at.dataframe[0].value
    assert frame.loc[frame["uniqueid"] == incoming["uniqueid"], "From (Name)"].tolist() == ["Known Caller"]


@pytest.mark.req("CH-9")
def test_more_action_add_to_contact_creates_the_contact(db: Path) -> None:
    at = _select(_page())
    at.button(key="ch_add").click().run()
    at.text_input(key="ch_add_name").input("From History")
    at.button(key="FormSubmitter:ch_add_contact_form-Create").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value == "From History was added to your personal contacts."
    st.cache_resource.clear()
    store = Store(db)
    assert store.execute(
        "SELECT count(*) FROM contact WHERE owner = '7101' AND display_name = 'From History'"
    ).fetchone() == (1,)
    store.close()


@pytest.mark.req("CH-10")
def test_more_action_block_puts_the_number_on_the_block_list(db: Path) -> None:
    at = _page()
    frame = at.dataframe[0].value
    row = int(frame.index[frame["Direction"] == "Incoming"][0])
    at = _select(at, row)
    at.button(key="ch_block").click().run()
    at.button(key="ch_block_ok").click().run()
    number = frame.iloc[row]["From"]
    assert at.success[0].value.startswith(f"{number} is on your personal block list")
    st.cache_resource.clear()
    store = Store(db)
    blocked = [r[0] for r in store.execute("SELECT number FROM block_entry WHERE owner = '7101'").fetchall()]
    store.close()
    assert any(b.lstrip("+") == number for b in blocked)


@pytest.mark.req("CH-3")
def test_a_second_call_dials_the_ticked_call_again_after_the_list_moves(db: Path) -> None:
    at = _page()
    frame = at.dataframe[0].value
    row = 1
    target = (frame["uniqueid"].iloc[row], frame["From"].iloc[row], frame["To"].iloc[row])
    _select(at, row)
    at.button(key="ch_call").click().run()
    first = at.success[0].value
    moved = at.dataframe[0].value
    assert moved["uniqueid"].iloc[row] != target[0]  # the new call pushed the ticked one down a row
    ticked = at.session_state["ch_table"]["selection"]["rows"]
    assert [moved["uniqueid"].iloc[i] for i in ticked] == [target[0]]  # the tick followed the record
    at.button(key="ch_call").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.split(":")[0] == first.split(":")[0]  # "Called <the same number>"
