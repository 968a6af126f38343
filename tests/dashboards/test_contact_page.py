"""The Contact page (AppTest): lists, New/Edit/Delete, star, call, speed dial, block list, import."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import portal_copy, read_db, record_downloads

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
IMPORT_CSV = b"Name,Phone,Mobile,Email\nAda Lovelace,408 555 0100,,ada@example.com\nNo Number,,,\nBob,7102,,\n"


@pytest.fixture
def db_path(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the portal at a private copy of the seeded database."""
    yield from portal_copy(seeded_path, tmp_path, monkeypatch)


def _contact_page(number: str = "7101") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click()
    at.run()
    at.switch_page("app_pages/contact.py").run()
    assert not at.exception
    return at


def _query(path: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    """Read the portal's database (the same process, so the same DuckDB instance)."""
    db = Store(path)
    try:
        rows: list[tuple[object, ...]] = db.execute(sql, params or []).fetchall()
    finally:
        db.close()
    return rows


def _table(at: AppTest) -> pd.DataFrame:
    """Return the list the page shows (not the import notes, not the block-list dialog's)."""
    return next(
        d.value for d in at.dataframe if d.key and d.key.startswith(("ct_table_", "ct_business", "ct_directory"))
    )


def _table_key(at: AppTest) -> str:
    return next(d.key for d in at.dataframe if d.key and d.key.startswith("ct_table_"))


def _select(at: AppTest, *names: str) -> AppTest:
    """Tick the rows of these display names in the personal list."""
    table = _table(at)
    rows = [int(i) for i in table.index[table["Display Name"].isin(names)]]
    assert len(rows) == len(names)
    at.session_state[_table_key(at)] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def _successes(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def _new(at: AppTest, name: str, main: str, **other: str) -> AppTest:
    at.button(key="ct_new").click().run()
    at.text_input(key="ct_new_display_name").input(name)
    at.text_input(key="ct_new_main_number").input(main)
    for field, value in other.items():
        at.text_input(key=f"ct_new_{field}").input(value)
    return at.button(key="ct_new_create").click().run()


@pytest.mark.req("CT-1")
@pytest.mark.req("AUTH-5")
def test_the_personal_list_shows_only_the_users_own_contacts(db_path: Path) -> None:
    mine = sorted(str(r[0]) for r in _query(db_path, "SELECT display_name FROM contact WHERE owner = '7101'"))
    theirs = {str(r[0]) for r in _query(db_path, "SELECT display_name FROM contact WHERE owner = '7102'")}
    at = _contact_page("7101")
    table = _table(at)
    assert sorted(table["Display Name"]) == mine
    assert not set(table["Display Name"]) & theirs
    assert "id" not in at.dataframe[0].proto.column_order
    at = _contact_page("7102")
    assert set(_table(at)["Display Name"]) == theirs


@pytest.mark.req("CT-1")
def test_business_contacts_and_directory_are_read_only_lists(db_path: Path) -> None:
    at = _contact_page()
    at.selectbox(key="ct_list").select("Business Contact").run()
    business = _table(at)
    assert list(business.columns) == ["Display Name", "Company", "Main Number", "Mobile Number", "Email"]
    assert len(business) == _query(db_path, "SELECT count(*) FROM business_contact")[0][0]
    at.selectbox(key="ct_list").select("Directory").run()
    directory = _table(at)
    assert list(directory.columns) == ["Extension Number", "Display Name", "Location", "Type"]
    assert "7101" in set(directory["Extension Number"])
    keys = {b.key for b in at.button}
    assert not keys & {"ct_new", "ct_edit", "ct_delete", "ct_favorite", "ct_import"}


@pytest.mark.req("CT-2")
def test_sort_by_and_category_reorder_and_filter_the_list(db_path: Path) -> None:
    at = _contact_page()
    _new(at, "aardvark first", "7103")
    names = list(_table(at)["Display Name"])
    assert names == sorted(names, key=str.casefold)
    at.selectbox(key="ct_sort").select("Main number").run()
    assert _table(at)["Main Number"].iloc[0] == "7103"  # extensions before outside numbers
    at.selectbox(key="ct_category").select("Favorite").run()
    assert _table(at).empty
    at.selectbox(key="ct_category").select("All").run()
    _select(at, "aardvark first").button(key="ct_favorite").click().run()
    at.selectbox(key="ct_category").select("Favorite").run()
    assert list(_table(at)["Display Name"]) == ["aardvark first"]


@pytest.mark.req("CT-4")
def test_new_contact_shows_the_reason_for_bad_input_and_saves_nothing(db_path: Path) -> None:
    at = _contact_page()
    before = len(_table(at))
    _new(at, "Bad Number", "call me", email="nope")
    assert _errors(at) == [
        "Main Number: 'call me' is not a phone number. Type an extension (2-6 digits) or a number such as "
        "+1 408 555 0100. Email: 'nope' is not an email address."
    ]
    assert not at.exception
    at.text_input(key="ct_new_main_number").input("(408) 555-0142")
    at.text_input(key="ct_new_email").input("bad@example.com")
    at.button(key="ct_new_create").click().run()
    assert _successes(at) == ["Contact Bad Number created."]
    table = _table(at)
    assert len(table) == before + 1
    row = table[table["Display Name"] == "Bad Number"].iloc[0]
    assert (row["Main Number"], row["Email"]) == ("+14085550142", "bad@example.com")


@pytest.mark.req("CT-4")
def test_new_contact_refuses_a_duplicate_name(db_path: Path) -> None:
    at = _contact_page()
    taken = _table(at)["Display Name"].iloc[0]
    _new(at, taken, "4085550100")
    assert _errors(at) == [f"You already have a contact named {taken!r}: choose a unique Display Name."]


@pytest.mark.req("CT-5")
def test_edit_then_delete_after_confirmation(db_path: Path) -> None:
    at = _contact_page()
    _new(at, "Edit Me", "4085550100")
    _select(at, "Edit Me").button(key="ct_edit").click().run()
    edit = {re.sub(r"^ct_edit_\d+_", "", t.key): t for t in at.text_input if t.key.startswith("ct_edit_")}
    assert edit["main_number"].value == "+14085550100"
    assert edit["display_name"].value == "Edit Me"
    name_key = edit["display_name"].key
    at.text_input(key=name_key).input("Edited")
    at.button(key="ct_edit_ok").click().run()
    assert _successes(at) == ["Contact Edited saved."]
    assert "Edited" in set(_table(at)["Display Name"])

    before = len(_table(at))
    _select(at, "Edited").button(key="ct_delete").click().run()
    assert any("Delete 1 contact: Edited?" in m.value for m in at.markdown)
    at.button(key="ct_delete_cancel").click().run()
    assert len(_table(at)) == before
    _select(at, "Edited").button(key="ct_delete").click().run()
    at.button(key="ct_delete_ok").click().run()
    assert _successes(at) == ["1 contact deleted."]
    assert "Edited" not in set(_table(at)["Display Name"])
    assert len(_table(at)) == before - 1


@pytest.mark.req("CT-8")
def test_the_star_button_turns_a_favorite_on_and_off(db_path: Path) -> None:
    at = _contact_page()
    _new(at, "Starry", "4085550100")
    _select(at, "Starry").button(key="ct_favorite").click().run()
    assert _successes(at) == ["Starry added to your favorites."]
    table = _table(at)
    assert table[table["Display Name"] == "Starry"]["★"].tolist() == ["★"]
    _select(at, "Starry").button(key="ct_favorite").click().run()
    assert _successes(at) == ["Starry removed from your favorites."]
    table = _table(at)
    assert table[table["Display Name"] == "Starry"]["★"].tolist() == [""]


@pytest.mark.req("CT-3")
def test_call_dials_the_chosen_number_of_the_contact(db_path: Path) -> None:
    at = _contact_page()
    _new(at, "Desk Mate", "7102", mobile_number="4085550101")
    _select(at, "Desk Mate")
    assert [b.label for b in at.button if b.key.startswith("ct_call_")] == ["Main: 7102", "Mobile: +14085550101"]
    at.button(key="ct_call_0").click().run()
    [message] = _successes(at)
    assert message.startswith("Called 7102: the call is at the top of your call history")
    uid = message.rsplit("ID ", 1)[1].rstrip(").")
    assert _query(db_path, "SELECT src, dst, direction FROM calls WHERE uniqueid = ?", [uid]) == [
        ("7101", "7102", "Internal")
    ]


@pytest.mark.req("CT-9")
def test_speed_dial_refuses_a_taken_key_then_adds_and_removes(db_path: Path) -> None:
    at = _contact_page()
    _new(at, "Speedy", "4085550100")
    _new(at, "Slowpoke", "4085550101")
    _select(at, "Speedy")
    at.selectbox(key="ct_speed_key").select(4).run()
    at.button(key="ct_speed_ok").click().run()
    assert _successes(at) == ["Speed dial 4 - Speedy (+14085550100) added."]
    _select(at, "Slowpoke")
    assert "4 - taken: Speedy (+14085550100)" in at.selectbox(key="ct_speed_key").options
    at.selectbox(key="ct_speed_key").select(4).run()
    at.button(key="ct_speed_ok").click().run()
    assert _errors(at) == ["Key 4 is already used by Speedy (+14085550100): remove it first or pick another key."]
    at.selectbox(key="ct_category").select("Speed Dial").run()
    table = _table(at)
    assert table[table["Display Name"] == "Speedy"]["Speed Dial"].tolist() == ["4"]
    assert "Slowpoke" not in set(table["Display Name"])
    _select(at, "Speedy").button(key="ct_speed_remove_4").click().run()
    assert _successes(at) == ["Speed dial key 4 removed."]
    assert "Speedy" not in set(_table(at)["Display Name"])


@pytest.mark.req("CT-10")
@pytest.mark.req("AUTH-5")
def test_block_a_contact_and_manage_the_personal_block_list(db_path: Path) -> None:
    at = _contact_page()
    _new(at, "Spammer", "4085550100")
    _select(at, "Spammer").button(key="ct_block").click().run()
    at.text_input(key="ct_block_description").input("sells cruises")
    at.button(key="ct_block_ok").click().run()
    assert _successes(at) == ["+14085550100 (Spammer) added to your block list."]

    at.button(key="ct_block_list").click().run()
    blocked = at.dataframe[-1].value
    assert list(blocked.columns) == ["id", "Number", "Display Name", "Description"]
    assert ["+14085550100", "Spammer", "sells cruises"] in blocked[
        ["Number", "Display Name", "Description"]
    ].values.tolist()
    mine = sorted(str(r[0]) for r in _query(db_path, "SELECT number FROM block_entry WHERE owner = '7101'"))
    assert sorted(blocked["Number"]) == mine  # another user's entries never show

    at.text_input(key="ct_bl_number").input("not a number")
    at.button(key="ct_bl_create").click().run()
    assert any("'not a number' is not a phone number" in e for e in _errors(at))
    at.text_input(key="ct_bl_number").input("+1 613 555 0142")
    at.text_input(key="ct_bl_name").input("Robocaller")
    at.button(key="ct_bl_create").click().run()
    assert "+1 613 555 0142 blocked." in _successes(at)
    blocked = at.dataframe[-1].value
    assert "+16135550142" in set(blocked["Number"])

    row = int(blocked.index[blocked["Number"] == "+16135550142"][0])
    at.session_state[at.dataframe[-1].key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    at.button(key="ct_bl_remove").click().run()
    assert "1 number removed from the block list." in _successes(at)
    assert "+16135550142" not in set(at.dataframe[-1].value["Number"])
    at.button(key="ct_bl_close").click().run()
    assert "ct_bl_remove" not in {b.key for b in at.button}


@pytest.mark.req("CT-10")
@pytest.mark.req("AUTH-4")
def test_without_the_block_list_privilege_the_page_offers_no_blocking(db_path: Path) -> None:
    at = _contact_page("7103")  # Premium, block list not enabled
    keys = {b.key for b in at.button}
    assert "ct_new" in keys
    assert not keys & {"ct_block", "ct_block_list"}


@pytest.mark.req("CT-6")
def test_import_dialog_maps_the_columns_and_reports_n_of_m_imported(db_path: Path) -> None:
    at = _contact_page()
    at.button(key="ct_import").click().run()
    assert at.toggle(key="ct_import_delete").value is True
    assert at.toggle(key="ct_import_skip").value is True
    at.file_uploader(key="ct_import_file").set_value(("contacts.csv", IMPORT_CSV, "text/csv")).run()
    assert at.selectbox(key="ct_map_main").value == "2: Phone"
    assert at.selectbox(key="ct_map_name").value == "1: Name"
    assert at.selectbox(key="ct_map_home").value == "(not imported)"
    at.selectbox(key="ct_map_email").select("(not imported)").run()
    at.button(key="ct_import_ok").click().run()
    assert _successes(at) == ["2 of 3 imported"]
    notes = next(d.value for d in at.dataframe if list(d.value.columns) == ["Note"])
    assert notes["Note"].tolist() == ["Skipped line 3: no main number"]
    table = _table(at)
    assert sorted(table["Display Name"]) == ["Ada Lovelace", "Bob"]
    assert set(table["Email"]) == {""}  # the Email column was left out of the mapping
    at.selectbox(key="ct_sort").select("Main number").run()  # the skipped rows stay listed
    assert _successes(at) == []
    assert any(list(d.value.columns) == ["Note"] for d in at.dataframe)
    at.button(key="ct_import_dismiss").click().run()
    assert not any(list(d.value.columns) == ["Note"] for d in at.dataframe)


@pytest.mark.req("CT-6")
def test_import_of_an_unreadable_file_shows_why_and_keeps_the_list(db_path: Path) -> None:
    at = _contact_page()
    before = sorted(_table(at)["Display Name"])
    at.button(key="ct_import").click().run()
    at.file_uploader(key="ct_import_file").set_value(("book.csv", b"PK\x03\x04rest", "text/csv")).run()
    assert _errors(at) == ["The file is an Excel workbook (.xlsx), not CSV: save it as CSV and import that."]
    assert "ct_import_ok" not in {b.key for b in at.button}
    assert sorted(_table(at)["Display Name"]) == before


@pytest.mark.req("AUTH-4")
def test_a_basic_user_does_not_get_the_contact_page(db_path: Path) -> None:
    db = Store(db_path)
    db.execute("UPDATE extension SET access_level = 'Basic' WHERE number = '7105'")
    db.close()
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input("7105")
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click()
    at.run()
    assert "Contact" not in [p.label for p in at.get("page_link")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/contact.py").run()


@pytest.mark.req("CT-7")
def test_export_in_the_menu_sends_the_users_contacts_as_csv(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = record_downloads(monkeypatch)
    at = _contact_page()
    (export,) = [b for b in at.get("download_button") if b.proto.label == "Export"]
    assert not export.proto.disabled
    name, data = downloads[export.proto.deferred_file_id]
    assert name == "contacts-7101.csv"
    lines = data().decode("utf-8-sig").splitlines()
    assert lines[0] == "Display name,Main number,Mobile number,Home number,Email,Description,Favorite"
    ((count,),) = read_db(db_path, "SELECT count(*) FROM contact WHERE owner = '7101'")
    assert count > 0 and len(lines) - 1 == count
