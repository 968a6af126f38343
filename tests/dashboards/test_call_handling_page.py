"""The Call Handling page through AppTest (HD-1..8)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.domain.handling import Action
from fvkit.portal import call_handling as ch
from fvkit.store import Store
from tests.dashboards.apptest import open_page

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def _page(number: str = "7101") -> AppTest:
    return open_page("call_handling", number)


def _stored(db: Path, sql: str) -> list[tuple[object, ...]]:
    st.cache_resource.clear()
    store = Store(db)
    try:
        return list(store.execute(sql).fetchall())
    finally:
        store.close()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _select(at: AppTest, key: str, *rows: int) -> AppTest:
    at.session_state[key] = {"selection": {"rows": list(rows), "columns": [], "cells": []}}
    return at.run()


def _new_rule(at: AppTest, prefix: str, status: str, action: str, target: str | None = None) -> AppTest:
    at.button(key=f"hd_{prefix}_new").click().run()
    at.selectbox(key="hd_rule_schedule").select("all_day").run()
    assert "Every day, all day" in [c.value for c in at.caption]  # the schedule's details
    at.selectbox(key="hd_rule_action").select(action).run()
    if target is not None and action == "Forward":
        at.text_input(key="hd_rule_target_FORWARD").input(target).run()
    elif target is not None:
        at.selectbox(key=f"hd_rule_target_{Action(action).name}").select(target).run()
    at.button(key="hd_rule_ok").click().run()
    assert not _errors(at), _errors(at)
    return at


@pytest.mark.req("HD-1")
def test_dnd_toggle_is_saved_and_shown_after_a_reload(db: Path) -> None:
    at = _page()
    assert at.toggle(key="hd_dnd").value is False
    at.toggle(key="hd_dnd").set_value(True).run()
    assert at.success[0].value == "Do not disturb is ON."
    assert _stored(db, "SELECT dnd FROM handling WHERE owner = '7101'") == [(True,)]
    assert _page().toggle(key="hd_dnd").value is True


@pytest.mark.req("HD-2")
def test_call_forward_needs_a_valid_number(db: Path) -> None:
    at = _page()
    # guide p.26: set Call forward to ON, then enter the number in the field - nothing else to press
    at.toggle(key="hd_forward").set_value(True).run()
    assert [i.value for i in at.info] == ["Enter the telephone number to forward the calls to."]
    at.text_input(key="hd_forward_number").input("not a number").run()
    assert "not a phone number" in _errors(at)[0]
    assert _stored(db, "SELECT forward_to FROM handling WHERE owner = '7101'") in ([("",)], [(None,)], [])
    at.text_input(key="hd_forward_number").input("+1 408 555 0123").run()
    assert at.success[0].value == "Call forward is ON to +1 408 555 0123."
    assert _stored(db, "SELECT forward_to FROM handling WHERE owner = '7101'") == [("14085550123",)]
    at = _page()
    assert at.text_input(key="hd_forward_number").value == "14085550123"
    at.toggle(key="hd_forward").set_value(False).run()
    assert at.success[0].value == "Call forward is OFF."
    assert _stored(db, "SELECT forward_to FROM handling WHERE owner = '7101'") in ([("",)], [(None,)])


@pytest.mark.req("HD-2")
@pytest.mark.req("HD-7")
def test_without_call_forwarding_privilege_forwarding_is_disabled(db: Path) -> None:
    at = _page("7104")  # Premium, no Call forwarding
    assert at.toggle(key="hd_forward").disabled
    assert at.button(key="hd_fm_new").disabled
    at.button(key="hd_user_new").click().run()
    assert "Forward" not in at.selectbox(key="hd_rule_action").options
    assert "Follow me" not in at.selectbox(key="hd_rule_action").options


@pytest.mark.req("HD-3")
@pytest.mark.req("HD-4")
def test_each_status_shows_its_system_default_action(db: Path) -> None:
    at = _page()
    assert at.selectbox(key="hd_status").options == [
        "Normal",
        "No answer",
        "Busy",
        "Do not disturb",
        "Phone not connected",
        "Block list",
        "Voicemail",
    ]
    assert at.radio(key="hd_user_mode_NORMAL").options[0] == "System default action (Ring Phone)"
    assert str(at.radio(key="hd_user_mode_NORMAL").value).startswith("System default")
    at.selectbox(key="hd_status").select("Block list").run()
    assert at.radio(key="hd_user_mode_BLOCK_LIST").options[0] == "System default action (Reject)"
    # guide p.26 step 3-4: set Call Process to User defined, then click New
    at.radio(key="hd_user_mode_BLOCK_LIST").set_value("User defined").run()
    assert not _errors(at)
    assert at.radio(key="hd_user_mode_BLOCK_LIST").value == "User defined"
    assert _stored(db, "SELECT status FROM handling_mode WHERE owner = '7101'") == [("Block list",)]


@pytest.mark.req("HD-4")
def test_new_move_edit_delete_rules(db: Path) -> None:
    at = _page()
    _new_rule(at, "user", "Normal", "Play announcement", "welcome_default")
    _new_rule(at, "user", "Normal", "Auto attendant", "auto_attendant_default")
    frame = at.dataframe(key="hd_user_rules_NORMAL").value
    assert list(frame.columns) == ["Schedule", "Call from", "Action", "Info"]
    assert frame["Action"].tolist() == ["Play announcement", "Auto attendant"]
    assert frame["Info"].tolist() == ["welcome_default", "auto_attendant_default"]
    assert at.radio(key="hd_user_mode_NORMAL").value == "User defined"

    at = _select(at, "hd_user_rules_NORMAL", 1)
    at.button(key="hd_user_up").click().run()
    assert at.dataframe(key="hd_user_rules_NORMAL").value["Action"].tolist() == ["Auto attendant", "Play announcement"]

    at = _select(at, "hd_user_rules_NORMAL", 0)
    at.button(key="hd_user_edit").click().run()
    assert at.selectbox(key="hd_rule_action").value == "Auto attendant"
    at.selectbox(key="hd_rule_action").select("Forward").run()
    assert at.text_input(key="hd_rule_target_FORWARD").value == ""  # not the auto attendant's name
    at.text_input(key="hd_rule_target_FORWARD").input("7103").run()
    at.button(key="hd_rule_ok").click().run()
    assert at.dataframe(key="hd_user_rules_NORMAL").value["Info"].tolist() == ["7103", "welcome_default"]

    at = _select(at, "hd_user_rules_NORMAL", 0, 1)
    at.button(key="hd_user_delete").click().run()
    assert at.success[0].value == "2 rule(s) deleted."
    assert _stored(db, "SELECT count(*) FROM handling_rule WHERE owner = '7101'") == [(0,)]


@pytest.mark.req("HD-4")
def test_a_bad_rule_is_refused_in_the_dialog(db: Path) -> None:
    at = _page()
    at.button(key="hd_user_new").click().run()
    at.multiselect(key="hd_rule_from").set_value([]).run()
    at.button(key="hd_rule_ok").click().run()
    assert _errors(at) == ["Choose at least one of Internal, External and Office peer."]
    assert at.button(key="hd_rule_ok").label == "OK"  # the dialog is still open
    assert _stored(db, "SELECT count(*) FROM handling_rule WHERE owner = '7101'") == [(0,)]


@pytest.mark.req("HD-6")
def test_quick_call_handling_has_its_own_rules_per_quick_status(db: Path) -> None:
    at = _page()
    assert at.selectbox(key="hd_quick_status").options == ["Out of office", "Away", "Other"]
    at.selectbox(key="hd_quick_status").select("Away").run()
    _new_rule(at, "quick", "Away", "Forward", "7103")
    assert at.dataframe(key="hd_quick_rules_AWAY").value["Info"].tolist() == ["7103"]
    assert _stored(db, "SELECT status, action, target FROM handling_rule WHERE owner = '7101'") == [
        ("Away", "Forward", "7103")
    ]


@pytest.mark.req("HD-7")
def test_follow_me_profile_new_edit_delete(db: Path) -> None:
    at = _page()
    # guide p.29: New, Name, Follow Me Numbers > New: number and Ring duration, OK; OK
    at.button(key="hd_fm_new").click().run()
    at.text_input(key="hd_fm_name").input("mobile first")
    for number, ring in (("+1 408 555 0111", 20), ("7101", 15)):
        at.button(key="hd_fm_number_new").click().run()
        at.text_input(key="hd_fm_new_number").input(number)
        at.number_input(key="hd_fm_new_ring").set_value(ring)
        at.button(key="hd_fm_number_ok").click().run()
    assert [m.value for m in at.markdown if " - Ring duration " in m.value] == [
        "1. +1 408 555 0111 - Ring duration 20 s",
        "2. 7101 - Ring duration 15 s",
    ]
    at.button(key="hd_fm_ok").click().run()
    assert _errors(at) == ["Number 2: follow me cannot ring your own extension."]
    at.button(key="hd_fm_drop_1").click().run()
    at.button(key="hd_fm_number_new").click().run()
    at.text_input(key="hd_fm_new_number").input("7103")
    at.number_input(key="hd_fm_new_ring").set_value(15)
    at.button(key="hd_fm_number_ok").click().run()
    at.button(key="hd_fm_ok").click().run()
    assert not _errors(at), _errors(at)
    frame = at.dataframe(key="hd_fm_table").value
    assert frame.to_dict("records") == [{"Name": "mobile first", "Follow Me Numbers": "14085550111 (20s) → 7103 (15s)"}]
    at = _select(at, "hd_fm_table", 0)
    at.button(key="hd_fm_edit").click().run()
    assert [m.value for m in at.markdown if " - Ring duration " in m.value] == [
        "1. 14085550111 - Ring duration 20 s",
        "2. 7103 - Ring duration 15 s",
    ]
    at.button(key="hd_fm_drop_0").click().run()
    at.button(key="hd_fm_drop_0").click().run()
    at.button(key="hd_fm_number_new").click().run()
    at.text_input(key="hd_fm_new_number").input("7103")
    at.number_input(key="hd_fm_new_ring").set_value(30)
    at.button(key="hd_fm_number_ok").click().run()
    at.button(key="hd_fm_ok").click().run()
    assert at.dataframe(key="hd_fm_table").value["Follow Me Numbers"].tolist() == ["7103 (30s)"]
    at = _select(at, "hd_fm_table", 0)
    at.button(key="hd_fm_delete").click().run()
    assert _stored(db, "SELECT count(*) FROM follow_me_number WHERE owner = '7101'") == [(0,)]


@pytest.mark.req("HD-5")
def test_call_me_adds_a_recorded_sound_file_usable_in_a_rule(db: Path) -> None:
    at = _page()
    before = len(at.dataframe(key="hd_sound_table").value)
    at.text_input(key="hd_sound_name").input("my greeting").run()
    at.button(key="hd_sound_callme").click().run()
    assert at.success[0].value.startswith("A voice recording request was sent")
    frame = at.dataframe(key="hd_sound_table").value
    assert len(frame) == before + 1
    assert frame.iloc[-1].to_dict() == {
        "Name": "my greeting",
        "Description": "Recorded by phone",
        "Type": "Personal, recorded by phone",
    }
    at.button(key="hd_sound_callme").click().run()
    assert _errors(at) == ["A sound file named 'my greeting' already exists."]
    _new_rule(at, "user", "Normal", "Play announcement", "my greeting")
    assert at.dataframe(key="hd_user_rules_NORMAL").value["Info"].tolist() == ["my greeting"]


@pytest.mark.req("HD-8")
def test_twinning_points_to_preferences(db: Path) -> None:
    at = _page()
    assert any("Preferences > Twinning Setting" in c.value for c in at.caption)


@pytest.mark.req("HD-4")
def test_a_moved_rule_stays_selected_so_edit_opens_that_rule(db: Path) -> None:
    at = _page()
    _new_rule(at, "user", "Normal", "Play announcement", "welcome_default")
    _new_rule(at, "user", "Normal", "Auto attendant", "auto_attendant_default")
    at = _select(at, "hd_user_rules_NORMAL", 1)
    at.button(key="hd_user_up").click().run()
    assert at.dataframe(key="hd_user_rules_NORMAL").value["Action"].tolist() == ["Auto attendant", "Play announcement"]
    assert at.session_state["hd_user_rules_NORMAL"]["selection"]["rows"] == [0]  # the tick moved with the rule
    at.button(key="hd_user_edit").click().run()
    assert at.selectbox(key="hd_rule_action").value == "Auto attendant"


@pytest.mark.req("HD-5")
def test_new_beside_the_announcement_list_records_a_sound_file_and_chooses_it(db: Path) -> None:
    at = _page()
    # guide p.28: User defined, New; Action Play announcement; New (+) beside the list; Name; Action Call me; Close
    at.radio(key="hd_user_mode_NORMAL").set_value("User defined").run()
    at.button(key="hd_user_new").click().run()
    at.selectbox(key="hd_rule_action").select("Play announcement").run()
    at.button(key="hd_rule_sound_new").click().run()
    at.text_input(key="hd_rule_sound_name").input("lunch break")
    at.radio(key="hd_rule_sound_action").set_value("Call me").run()
    assert [s.value for s in at.success] == [ch.CALL_ME_SENT]
    at.button(key="hd_rule_sound_close").click().run()
    assert at.selectbox(key="hd_rule_target_PLAY_ANNOUNCEMENT").value == "lunch break"
    at.button(key="hd_rule_ok").click().run()
    assert not _errors(at), _errors(at)
    assert at.dataframe(key="hd_user_rules_NORMAL").value["Info"].tolist() == ["lunch break"]
