"""The Reminder page through AppTest (REM-1..5); the calendar itself is drawn in the browser test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.portal import auth, reminder
from fvkit.portal.reminder import Draft
from fvkit.store import Store
from fvkit.store import reminders as rows
from tests.conftest import SEED_PASSWORD

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
DAY = date(2026, 10, 6)


def _seed(path: Path) -> tuple[int, int]:
    """Add one reminder of 7101's (15:00 local) and one of the system's (15:00 UTC, guest 7101) on DAY."""
    st.cache_resource.clear()
    store = Store(path)
    try:
        juliet = auth.sign_in(store, "7101", SEED_PASSWORD, datetime(2026, 10, 6))
        own = reminder.create(
            store, juliet, Draft(title="Dentist", start=datetime.combine(DAY, time(15)), guests=("7102",))
        )
        system = rows.save(store, None, "system", {
            "title": "Fire drill", "description": "", "location": "", "starts": datetime.combine(DAY, time(15)),
            "rrule": "", "audio": "Default", "audio_sha256": None,
        }, [("7101", False)])  # fmt: skip
    finally:
        store.close()
    return own, system


def _page(number: str = "7101") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    at.switch_page("app_pages/reminder.py").run()
    assert not at.exception
    at.date_input(key="rem_day").set_value(DAY).run()
    return at


def _listed(at: AppTest) -> list[tuple[str, str, str]]:
    """Return the plain list under the calendar as (Start, Title, Access)."""
    frame = at.dataframe[0].value
    return [(r["Start"], r["Title"], r["Access"]) for r in frame.to_dict("records")]


def _add_guest(at: AppTest, number: str) -> None:
    at.multiselect(key="rem_pick").select(number).run()
    at.button(key="rem_guest_add").click().run()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.req("REM-1")
def test_views_list_the_occurrences_in_view(db: Path) -> None:
    _seed(db)
    at = _page()
    assert _listed(at) == [
        ("2026-10-06 08:00:00", "Fire drill", "Read-only"),
        ("2026-10-06 15:00:00", "Dentist", "Edit"),
    ]
    for view in ("Agenda", "Day", "Week", "Month"):
        at.button_group(key="rem_view").set_value(view).run()
        assert not at.exception
        assert [t for _, t, _ in _listed(at)] == ["Fire drill", "Dentist"]
        assert any(f"in this {view.lower()} view" in c.value for c in at.caption)
    at.date_input(key="rem_day").set_value(date(2026, 10, 7)).run()
    at.button_group(key="rem_view").set_value("Day").run()
    assert _listed(at) == []


@pytest.mark.req("REM-2")
def test_new_reminder_with_guests_is_saved_and_listed(db: Path) -> None:
    at = _page()
    at.button(key="rem_new").click().run()
    at.text_input(key="rem_f_title").input("Team lunch").run()
    at.date_input(key="rem_f_date").set_value(DAY).run()
    at.time_input(key="rem_f_time").set_value(time(12, 30)).run()
    at.selectbox(key="rem_f_frequency").set_value("Weekly").run()
    at.selectbox(key="rem_f_ends").set_value("After").run()
    at.number_input(key="rem_f_count").set_value(3).run()
    at.multiselect(key="rem_pick").select("7102").select("7103").run()
    at.text_input(key="rem_pick_external").input("+1 408 555 0100").run()
    at.button(key="rem_guest_add").click().run()  # > moves them to the selected list
    assert at.multiselect(key="rem_pick").value == [] and at.text_input(key="rem_pick_external").value == ""
    assert at.multiselect(key="rem_f_selected").value == ["7102", "7103", "external:14085550100"]
    assert "7102" not in at.multiselect(key="rem_pick").options  # no longer available
    at.button(key="rem_ok").click().run()
    assert not at.exception and not _errors(at)
    assert "saved" in at.success[0].value
    assert [s for s, _, _ in _listed(at)] == ["2026-10-06 12:30:00", "2026-10-13 12:30:00", "2026-10-20 12:30:00"]
    at.button_group(key="rem_view").set_value("Day").run()
    assert _listed(at) == [("2026-10-06 12:30:00", "Team lunch", "Edit")]


@pytest.mark.req("REM-2")
def test_new_reminder_without_title_is_refused_and_the_dialog_stays(db: Path) -> None:
    at = _page()
    at.button(key="rem_new").click().run()
    _add_guest(at, "7102")
    at.button(key="rem_ok").click().run()
    assert "Title is mandatory." in _errors(at)
    assert at.button(key="rem_ok").label == "OK"
    assert _listed(at) == []


@pytest.mark.req("REM-2")
def test_new_reminder_with_a_cleared_start_date_is_refused_with_a_message(db: Path) -> None:
    at = _page()
    at.button(key="rem_new").click().run()
    at.text_input(key="rem_f_title").input("No date").run()
    at.date_input(key="rem_f_date").set_value(None).run()
    at.button(key="rem_ok").click().run()
    assert not at.exception
    assert "Choose the start date." in _errors(at)
    assert _listed(at) == []


@pytest.mark.req("REM-3")
def test_audio_default_plays_and_customized_call_me_records(db: Path) -> None:
    at = _page()
    at.button(key="rem_new").click().run()
    assert at.get("audio")  # the beep's Play
    assert at.get("download_button")  # Save GSM
    at.radio(key="rem_f_audio").set_value("Customized").run()
    at.button(key="rem_callme").click().run()
    assert not at.exception
    assert at.session_state["rem_f_audio_sha"]
    at.text_input(key="rem_f_title").input("Call me").run()
    at.date_input(key="rem_f_date").set_value(DAY).run()
    _add_guest(at, "7102")
    at.button(key="rem_ok").click().run()
    assert not _errors(at)
    assert [t for _, t, _ in _listed(at)] == ["Call me"]


def _open_reminder(at: AppTest, rid: int) -> AppTest:
    """Open a reminder as a click on its calendar event does (the calendar is JavaScript)."""
    at.session_state["rem_dialog"] = ("edit", rid)
    return at.run()


@pytest.mark.req("REM-4")
def test_copy_then_paste_fills_the_new_form(db: Path) -> None:
    own, _ = _seed(db)
    at = _open_reminder(_page(), own)
    at.button(key="rem_copy").click().run()
    assert any("Copied" in c.value for c in at.caption)
    at.button(key="rem_new").click().run()
    assert at.text_input(key="rem_f_title").value == ""
    at.button(key="rem_paste").click().run()
    assert at.text_input(key="rem_f_title").value == "Dentist"
    assert at.multiselect(key="rem_f_selected").value == ["7102"]
    at.text_input(key="rem_f_title").input("Dentist again").run()
    at.button(key="rem_ok").click().run()
    assert not _errors(at)
    assert [t for _, t, _ in _listed(at)] == ["Fire drill", "Dentist", "Dentist again"]


@pytest.mark.req("REM-5")
def test_edit_and_delete_own_reminder(db: Path) -> None:
    own, _ = _seed(db)
    at = _open_reminder(_page(), own)
    at.text_input(key="rem_f_title").input("Dentist moved").run()
    at.time_input(key="rem_f_time").set_value(time(16)).run()
    at.button(key="rem_ok").click().run()
    assert not _errors(at)
    assert _listed(at)[1] == ("2026-10-06 16:00:00", "Dentist moved", "Edit")
    at = _open_reminder(at, own)
    at.button(key="rem_delete").click().run()
    at.button(key="rem_delete_ok").click().run()
    assert [t for _, t, _ in _listed(at)] == ["Fire drill"]


@pytest.mark.req("REM-5")
def test_system_reminder_opens_read_only(db: Path) -> None:
    _, system = _seed(db)
    at = _open_reminder(_page(), system)
    assert "read-only" in at.info[0].value
    assert at.text_input(key="rem_f_title").disabled
    keys = {b.key for b in at.button}
    assert "rem_ok" not in keys and "rem_delete" not in keys and "rem_copy" in keys

    assert at.multiselect(key="rem_f_selected").disabled


@pytest.mark.req("REM-2")
def test_a_guest_can_be_taken_off_the_selected_list_and_a_bad_external_is_refused(db: Path) -> None:
    at = _page()
    at.button(key="rem_new").click().run()
    _add_guest(at, "7102")
    _add_guest(at, "7103")
    at.text_input(key="rem_pick_external").input("call me").run()
    at.button(key="rem_guest_add").click().run()
    assert "'call me' is not a phone number." in _errors(at)
    assert at.multiselect(key="rem_f_selected").value == ["7102", "7103"]
    at.multiselect(key="rem_f_selected").unselect("7102").run()
    assert at.multiselect(key="rem_f_selected").value == ["7103"]
    assert any(o.startswith("7102 ") for o in at.multiselect(key="rem_pick").options)  # back on offer


@pytest.mark.req("REM-5")
def test_read_only_view_shows_every_guest_the_viewer_too(db: Path) -> None:
    st.cache_resource.clear()
    store = Store(db)
    try:
        juliet = auth.sign_in(store, "7101", SEED_PASSWORD, datetime(2026, 10, 6))
        draft = Draft(title="Review", start=datetime.combine(DAY, time(10)), guests=("7102", "7104"))
        rid = reminder.create(store, juliet, replace(draft, external=("4085550100",)))
        store.execute(  # the administrator lets 7104 use Reminder too
            "UPDATE extension SET privileges = list_append(privileges, 'Reminder') WHERE number = '7104' "
            "AND NOT list_contains(privileges, 'Reminder')"
        )
    finally:
        store.close()
    at = _open_reminder(_page("7104"), rid)  # a guest opens 7101's reminder
    assert "read-only" in at.info[0].value
    selected = at.multiselect(key="rem_f_selected")
    assert selected.value == ["7102", "7104", "external:4085550100"] and selected.disabled
    assert selected.options[1].startswith("7104 ")  # the viewer, by name
    assert selected.options[2] == "📞 4085550100 (external)"
