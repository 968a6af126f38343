"""The Fax page (guide p.33-35) in AppTest: Inbox, New fax, Sent, Cover Page, Monitor (FAX-1..5)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from fpdf import FPDF
from PIL import Image
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.dashboards.apptest import read_db

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = "app_pages/fax.py"
PASSWORD = "password1"
OWNER = "7101"  # every privilege; monitors efax1 (extension 7801) in the seeded organisation
OTHER = "7104"  # Fax privilege, no monitoring
NO_FAX = "7102"


def _pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for n in range(pages):
        pdf.add_page()
        pdf.cell(text=f"page {n + 1}")
    return bytes(pdf.output())


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the seeded organisation, two received faxes for 7101, one for 7104."""
    copy = tmp_path / "fvkit.duckdb"
    shutil.copyfile(seeded_path, copy)
    store = Store(copy)
    for fax_id, owner, hour in ((9001, OWNER, 9), (9002, OWNER, 11), (9003, OTHER, 10)):
        store.execute(
            "INSERT INTO fax (id, owner, box, linkedid, remote_number, remote_name, time, pages, status, seed) "
            "VALUES (?, ?, 'Inbox', 'l', '16045550199', 'Acme Supplies', ?, 2, 'Received', ?)",
            [fax_id, owner, datetime(2026, 10, 5, hour), fax_id],
        )
    store.close()
    monkeypatch.setenv("FVKIT_DB", str(copy))
    st.cache_resource.clear()
    yield copy
    st.cache_resource.clear()


def _open_page(number: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["user"].number == number
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _version(at: AppTest) -> int:
    return at.session_state["fax_version"] if "fax_version" in at.session_state else 0  # noqa: SIM401


def _select(at: AppTest, key: str, rows: list[int]) -> AppTest:
    at.session_state[f"{key}_{_version(at)}"] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def _ids(at: AppTest) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["id"]]


@pytest.mark.req("FAX-1")
@pytest.mark.req("AUTH-5")
def test_inbox_lists_own_faxes_with_a_download_link_each(db: Path) -> None:
    at = _open_page(OWNER)
    table = at.dataframe[0].value
    assert list(table.columns) == ["id", "From", "Time", "Pages", "Status", "Download"]
    assert _ids(at) == [9002, 9001]  # not 7104's 9003
    assert "1-2 of 2" in [c.value for c in at.caption]
    links = list(table["Download"])
    assert all(link.endswith(".pdf") and "/media/" in link for link in links), links
    assert len(set(links)) == 2  # one file per fax
    assert not at.get("download_button")  # the link column replaced the selected-fax button


@pytest.mark.req("AUTH-4")
def test_fax_page_needs_the_fax_privilege(db: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(NO_FAX)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert "call_history" in [str(link.proto.page) for link in at.get("page_link")]
    assert "fax" not in [str(link.proto.page) for link in at.get("page_link")]  # no Fax tile
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)  # nor a Fax page to open


def _new_fax(at: AppTest, to: str, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.button(key="fax_new").click().run()
    at.text_input(key="fax_new_to").input(to)
    at.text_input(key="fax_new_sender").input("Ann Lee")
    at.text_input(key="fax_new_subject").input("Quote 42")
    at.file_uploader(key="fax_new_files").set_value(files).run()
    at.button(key="fax_send").click().run()
    return at


@pytest.mark.req("FAX-2")
@pytest.mark.req("FAX-3")
def test_new_fax_with_dynamic_cover_lands_in_sent(db: Path) -> None:
    at = _new_fax(_open_page(OWNER), "+1 604 555 0100", [("quote.pdf", _pdf(2), "application/pdf")])
    assert not at.exception
    assert [s.value for s in at.success] == ["Fax sent to 16045550100: 3 page(s)."]
    assert at.session_state["fax_view"] == "Sent"
    table = at.dataframe[0].value
    assert list(table.columns) == ["id", "To", "Time", "Pages", "Status", "Download"]
    assert (table["To"][0], table["Pages"][0], table["Status"][0]) == ("16045550100", 3, "Sent")
    rows = read_db(db, "SELECT owner, box, pages, blob_sha256 IS NOT NULL FROM fax WHERE remote_number = '16045550100'")
    assert rows == [(OWNER, "Sent", 3, True)]


@pytest.mark.req("FAX-2")
def test_new_fax_refuses_a_png_and_a_bad_number_with_the_reason(db: Path) -> None:
    at = _new_fax(_open_page(OWNER), "+1 604 555 0100", [("chart.pdf", _png(), "application/pdf")])
    assert [e.value for e in at.error] == ["chart.pdf is a PNG image: only PDF and JPEG files can be faxed."]
    at.text_input(key="fax_new_to").input("call me")
    at.file_uploader(key="fax_new_files").set_value([("a.pdf", _pdf(1), "application/pdf")]).run()
    at.button(key="fax_send").click().run()
    assert next(e.value for e in at.error).startswith("A fax number holds digits only")
    assert read_db(db, "SELECT count(*) FROM fax WHERE box = 'Sent'") == [(0,)]


@pytest.mark.req("FAX-4")
def test_cover_page_new_refuses_two_pages_then_keeps_one_and_deletes_it(db: Path) -> None:
    at = _open_page(OWNER)
    at.session_state["fax_view"] = "Cover Page"
    at.run()
    at.button(key="fax_cover_new").click().run()
    at.text_input(key="fax_cover_name").input("Letterhead")
    at.file_uploader(key="fax_cover_file").set_value(("two.pdf", _pdf(2), "application/pdf")).run()
    at.button(key="fax_cover_ok").click().run()
    assert [e.value for e in at.error] == ["A PDF cover page must be one page."]
    at.file_uploader(key="fax_cover_file").set_value(("one.pdf", _pdf(1), "application/pdf")).run()
    at.button(key="fax_cover_ok").click().run()
    assert [s.value for s in at.success] == ["Cover page Letterhead added."]
    assert list(at.dataframe[0].value["Name"]) == ["Letterhead"]
    at = _select(at, "fax_cover_table", [0])
    at.button(key="fax_cover_delete").click().run()
    at.button(key="fax_delete_yes").click().run()
    assert read_db(db, "SELECT count(*) FROM cover_page") == [(0,)]


def _download_url(at: AppTest) -> str:
    """Return the URL of the file the dialog's preview download serves (its id follows the content)."""
    (button,) = at.get("download_button")
    return str(button.proto.url)


def _dynamic_cover_dialog(at: AppTest) -> AppTest:
    at.session_state["fax_view"] = "Cover Page"
    at.run()
    return at.button(key="fax_cover_dynamic").click().run()


@pytest.mark.req("FAX-4")
def test_dynamic_cover_page_preview_shows_the_fields_just_typed(db: Path) -> None:
    at = _dynamic_cover_dialog(_open_page(OWNER))
    assert not at.get("image") and not at.get("download_button")
    urls = set()
    for n in range(3):  # a field changes, then Preview at once: the same run has both (issue 11 item 3)
        at.text_input(key="fax_dyn_subject").input(f"Quote {n}")
        at.button(key="fax_dyn_preview").click().run()
        assert not at.exception
        assert len(at.get("image")) == 1
        assert [b.proto.label for b in at.get("download_button")] == ["⬇️ Download the preview (PDF)"]
        urls.add(_download_url(at))
    assert len(urls) == 3  # a new file for each change (the Chromium test reads them)
    at.text_input(key="fax_dyn_company").input("Acme").run()  # once shown, the preview follows every field
    assert len(at.get("image")) == 1
    assert _download_url(at) not in urls


@pytest.mark.req("FAX-4")
def test_dynamic_cover_page_ok_is_kept_for_new_fax_in_a_later_session(db: Path) -> None:
    at = _dynamic_cover_dialog(_open_page(OWNER))
    at.text_input(key="fax_dyn_to").input("Bob Ray")
    at.text_input(key="fax_dyn_sender").input("Ann Lee")
    at.text_input(key="fax_dyn_company").input("Acme")
    at.button(key="fax_dyn_ok").click().run()
    assert [s.value for s in at.success] == ["Dynamic cover page saved: New fax uses it."]
    assert read_db(db, "SELECT recipient, sender, company FROM dynamic_cover_page WHERE owner = ?", [OWNER]) == [
        ("Bob Ray", "Ann Lee", "Acme")
    ]
    later = _open_page(OWNER)  # a new browser session: nothing of the first one's state
    later.button(key="fax_new").click().run()
    assert later.text_input(key="fax_new_sender").value == "Ann Lee"
    assert later.text_input(key="fax_new_company").value == "Acme"
    assert "From your Dynamic Cover Page to Bob Ray (Fax > Cover Page); changes here apply to this fax." in [
        c.value for c in later.caption
    ]
    again = _dynamic_cover_dialog(_open_page(OWNER))
    assert again.text_input(key="fax_dyn_to").value == "Bob Ray"


@pytest.mark.req("FAX-2")
def test_new_fax_keeps_cancel_after_a_refusal(db: Path) -> None:
    at = _new_fax(_open_page(OWNER), "call me", [("a.pdf", _pdf(1), "application/pdf")])
    assert next(e.value for e in at.error).startswith("A fax number holds digits only")
    assert at.button(key="fax_send_cancel").label == "Cancel"
    at.button(key="fax_send_cancel").click().run()
    assert "fax_dialog" not in at.session_state


@pytest.mark.req("FAX-2")
def test_new_fax_with_an_uploaded_cover_page(db: Path) -> None:
    at = _open_page(OWNER)
    at.session_state["fax_view"] = "Cover Page"
    at.run()
    at.button(key="fax_cover_new").click().run()
    at.text_input(key="fax_cover_name").input("Letterhead")
    at.file_uploader(key="fax_cover_file").set_value(("one.pdf", _pdf(1), "application/pdf")).run()
    at.button(key="fax_cover_ok").click().run()
    at.session_state["fax_view"] = "Inbox"
    at.run()
    at.button(key="fax_new").click().run()
    at.text_input(key="fax_new_to").input("6045550100")
    at.radio(key="fax_new_cover_type").set_value("Uploaded").run()
    ((cover_id,),) = read_db(db, "SELECT id FROM cover_page")
    at.selectbox(key="fax_new_cover").set_value(cover_id).run()
    at.file_uploader(key="fax_new_files").set_value([("a.pdf", _pdf(1), "application/pdf")]).run()
    at.button(key="fax_send").click().run()
    assert [s.value for s in at.success] == ["Fax sent to 6045550100: 2 page(s)."]


@pytest.mark.req("FAX-5")
def test_monitor_lists_the_account_and_resends_forwards_deletes(db: Path) -> None:
    at = _open_page(OWNER)
    at.session_state["fax_view"] = "Monitor"
    at.run()
    assert at.selectbox(key="fax_account").value == "efax1"
    (account_fax,) = _ids(at)
    at = _select(at, "fax_monitor_table_efax1_Inbox", [0])
    at.button(key="fax_monitor_resend").click().run()
    assert [s.value for s in at.success] == ["Resent 1 fax(es): see the account's Sent box."]
    at = _select(at, "fax_monitor_table_efax1_Inbox", [0])
    at.button(key="fax_monitor_forward").click().run()
    at.selectbox(key="fax_forward_to").set_value(OTHER).run()
    at.button(key="fax_forward_ok").click().run()
    assert next(s.value for s in at.success).startswith("Forwarded 1 fax(es) to ")
    at = _select(at, "fax_monitor_table_efax1_Inbox", [0])
    at.button(key="fax_monitor_delete").click().run()
    at.button(key="fax_delete_yes").click().run()
    assert read_db(db, "SELECT box, count(*) FROM fax WHERE owner = '7801' GROUP BY box") == [("Sent", 1)]
    assert read_db(db, "SELECT count(*) FROM fax WHERE owner = ? AND remote_name = 'efax1'", [OTHER]) == [(1,)]
    assert account_fax not in [r[0] for r in read_db(db, "SELECT id FROM fax")]


@pytest.mark.req("FAX-5")
def test_monitor_is_hidden_from_users_without_the_privilege(db: Path) -> None:
    at = _open_page(OTHER)
    assert at.get("button_group")[0].proto.options  # the view switch
    labels = [o.content for o in at.get("button_group")[0].proto.options]
    assert labels == ["Inbox", "Sent", "Cover Page"]
