"""Call History for a Basic user (guide p.56): no Call or Add to Contact; the block list to see and trim."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.dashboards.apptest import open_page

BASIC = "7102"  # Standard with the Block list privilege in the seeded organisation; made Basic here


def _make_basic(db: Path, blocked: tuple[str, ...] = ()) -> None:
    st.cache_resource.clear()
    store = Store(db)
    store.execute("UPDATE extension SET access_level = 'Basic' WHERE number = ?", [BASIC])
    store.execute("DELETE FROM block_entry WHERE owner = ?", [BASIC])  # only the entries below
    for n, number in enumerate(blocked):
        store.execute(
            "INSERT INTO block_entry (id, owner, number, display_name, description) VALUES (?, ?, ?, ?, '')",
            [990_000 + n, BASIC, number, f"Pest {n}"],
        )
    store.close()


def _select_first(at: AppTest) -> AppTest:
    at.session_state["ch_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    return at.run()


@pytest.mark.req("AUTH-4")
@pytest.mark.req("CH-10")
def test_basic_user_is_not_offered_call_or_add_to_contact(db: Path) -> None:
    _make_basic(db)
    at = _select_first(open_page("call_history", BASIC))
    keys = {b.key for b in at.button}
    assert "ch_call" not in keys and "ch_add" not in keys  # the p.56 table denies them
    assert "ch_details" in keys and not at.button(key="ch_block").disabled  # Block stays: the privilege allows it
    standard = _select_first(open_page("call_history", "7101"))
    assert {"ch_call", "ch_add"} <= {b.key for b in standard.button}
    assert "ch_block_list" not in {b.key for b in standard.button}  # theirs is under Contact


@pytest.mark.req("CT-10")
def test_basic_user_sees_and_removes_their_block_list(db: Path) -> None:
    _make_basic(db, blocked=("+16045550111", "+16045550122"))
    at = open_page("call_history", BASIC)
    at.button(key="ch_block_list").click().run()
    shown = at.dataframe(key="ch_bl_table").value
    assert sorted(shown["Number"]) == ["+16045550111", "+16045550122"]
    assert at.button(key="ch_bl_remove").disabled
    at.session_state["ch_bl_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="ch_bl_remove").click().run()
    assert [s.value for s in at.success] == ["1 number removed from the block list."]
    assert len(at.dataframe(key="ch_bl_table").value) == 1
    st.cache_resource.clear()
    store = Store(db)
    left = store.execute("SELECT count(*) FROM block_entry WHERE owner = ?", [BASIC]).fetchone()
    store.close()
    assert left == (1,)
