"""The Voicemail page in AppTest: list, filters, mark, delete, forward, options (guide p.17-20)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.store import Store
from tests.conftest import SEED_PASSWORD

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
#: in the seeded organisation: 7102 has no shares, 7101 sees 7105's box, 7108 gets forwards
USER, VIEWER, COLLEAGUE, TARGET = "7102", "7101", "7105", "7108"
FIRST_ID = 1000


def _leave(db: Store, owner: str, flags: list[tuple[bool, bool]], first: int) -> list[int]:
    """Put voicemails (is_new, urgent) in a box, newest first in the list's order; return ids."""
    n = len(flags)
    ids = list(range(first, first + n))
    at = datetime(2026, 10, 6, 12, 0)
    db.append(
        "voicemail",
        pa.table(
            {
                "id": pa.array(ids, pa.int64()),
                "owner": [owner] * n,
                "linkedid": [f"page.{i}" for i in ids],
                "caller": [f"1212555{i:04d}" for i in ids],
                "caller_name": ["Mary Scott"] * n,
                "received": [at - timedelta(minutes=k) for k in range(n)],
                "duration": pa.array([7] * n, pa.int32()),
                "urgent": [u for _, u in flags],
                "is_new": [new for new, _ in flags],
                "forwarded_from": [""] * n,
                "seed": pa.array(ids, pa.int64()),
                "script": ["Please call me back."] * n,
            }
        ),
    )
    return ids


@pytest.fixture
def portal(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the seeded database with known voicemails, served to AppTest."""
    copy = tmp_path / "fvkit.duckdb"
    shutil.copyfile(seeded_path, copy)
    db = Store(copy)
    db.execute("DELETE FROM voicemail WHERE owner IN (?, ?, ?)", [USER, COLLEAGUE, TARGET])
    # newest first: new, new+urgent, old, old+urgent
    _leave(db, USER, [(True, False), (True, True), (False, False), (False, True)], FIRST_ID)
    _leave(db, COLLEAGUE, [(True, False)], FIRST_ID + 100)
    db.close()
    monkeypatch.setenv("FVKIT_DB", str(copy))
    st.cache_resource.clear()
    yield copy
    st.cache_resource.clear()


def _open(number: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click()
    at.run()
    at.switch_page("app_pages/voicemail.py").run()
    assert not at.exception
    return at


def _table(at: AppTest) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = at.dataframe[0].value.to_dict("records")
    return rows


def _select(at: AppTest, rows: list[int]) -> AppTest:
    key = f"vm_table_{at.session_state['vm_generation']}"
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def _click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    at.run()
    assert not at.exception
    return at


def _choose(at: AppTest, key: str, starts: str) -> AppTest:
    """Pick the option whose label starts with `starts` (the page formats the labels)."""
    box = at.selectbox(key=key)
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(starts))).run()
    return at


@pytest.mark.req("VM-1")
def test_the_list_shows_from_received_duration_and_status(portal: Path) -> None:
    at = _open(USER)
    assert at.selectbox(key="vm_box").options == ["All (4)", "Inbox (2)", "Urgent (2)", "Old (2)"]
    assert "vm_owner" not in [s.key for s in at.selectbox]  # VM-2: no Owner filter without shares
    rows = _table(at)
    assert [r["id"] for r in rows] == [FIRST_ID, FIRST_ID + 1, FIRST_ID + 2, FIRST_ID + 3]
    assert rows[0]["From"] == f"Mary Scott 1212555{FIRST_ID:04d}"
    assert rows[0]["Received"] == "2026-10-06 05:00:00"  # Los Angeles time
    assert rows[0]["Duration"] == "00:00:07"
    assert [r["Status"] for r in rows] == ["New", "New, Urgent", "", "Urgent"]
    assert "1-4 of 4" in [c.value for c in at.caption]


@pytest.mark.req("VM-1")
@pytest.mark.parametrize(
    ("box", "expected"),
    [("Inbox", [0, 1]), ("Urgent", [1, 3]), ("Old", [2, 3]), ("All", [0, 1, 2, 3])],
)
def test_the_box_filter(portal: Path, box: str, expected: list[int]) -> None:
    at = _open(USER)
    _choose(at, "vm_box", box)
    assert [r["id"] for r in _table(at)] == [FIRST_ID + i for i in expected]


@pytest.mark.req("VM-2")
def test_the_owner_filter_shows_only_with_shares(portal: Path) -> None:
    at = _open(VIEWER)
    owner = at.selectbox(key="vm_owner")
    assert owner.options[0] == "--All--" and f"{COLLEAGUE} - Gina Coleman" in owner.options
    assert any(r["id"] == FIRST_ID + 100 for r in _table(at))
    _choose(at, "vm_owner", COLLEAGUE)
    rows = _table(at)
    assert [r["id"] for r in rows] == [FIRST_ID + 100]
    assert rows[0]["Owner"] == f"{COLLEAGUE} - Gina Coleman"


@pytest.mark.req("VM-5")
def test_mark_buttons_change_the_status_of_every_selected_row(portal: Path) -> None:
    at = _select(_open(USER), [0, 2])
    _click(at, "vm_mark_urgent")
    assert "Marked Urgent: 2 voicemails." in [s.value for s in at.success]
    assert [r["Status"] for r in _table(at)] == ["New, Urgent", "New, Urgent", "Urgent", "Urgent"]
    _click(_select(at, [0, 1]), "vm_mark_read")
    assert [r["Status"] for r in _table(at)] == ["Urgent", "Urgent", "Urgent", "Urgent"]
    _click(_select(at, [3]), "vm_mark_unread")
    _click(_select(at, [0, 1, 2]), "vm_mark_not_urgent")
    assert [r["Status"] for r in _table(at)] == ["", "", "", "New, Urgent"]
    assert at.selectbox(key="vm_box").options[1] == "Inbox (1)"


@pytest.mark.req("VM-5")
def test_action_buttons_need_a_selection(portal: Path) -> None:
    at = _open(USER)
    for key in ("vm_play", "vm_delete", "vm_mark_read", "vm_mark_unread", "vm_mark_urgent", "vm_forward"):
        assert at.button(key=key).disabled, key
    at = _select(at, [0, 1])
    assert at.button(key="vm_play").disabled  # Play takes exactly one
    assert not at.button(key="vm_delete").disabled


@pytest.mark.req("VM-3")
def test_play_shows_the_player_and_moves_the_voicemail_to_old(portal: Path) -> None:
    at = _click(_select(_open(USER), [0]), "vm_play")
    assert len(at.get("audio")) == 1
    assert at.selectbox(key="vm_box").options[1] == "Inbox (1)"
    assert _table(at)[0]["Status"] == ""


@pytest.mark.req("VM-4")
def test_delete_asks_first_and_deletes_the_selected(portal: Path) -> None:
    at = _click(_select(_open(USER), [1, 3]), "vm_delete")
    assert "Delete 2 voicemails? This cannot be undone." in [m.value for m in at.markdown]
    assert len(_table(at)) == 4  # nothing yet
    _click(at, "vm_delete_ok")
    assert [r["id"] for r in _table(at)] == [FIRST_ID, FIRST_ID + 2]
    assert "Deleted 2 voicemails." in [s.value for s in at.success]


@pytest.mark.req("VM-4")
def test_delete_cancel_keeps_everything(portal: Path) -> None:
    at = _click(_click(_select(_open(USER), [0]), "vm_delete"), "vm_delete_cancel")
    assert len(_table(at)) == 4


@pytest.mark.req("VM-6")
def test_forward_puts_it_in_the_targets_inbox(portal: Path) -> None:
    at = _click(_select(_open(USER), [2]), "vm_forward")
    to = at.selectbox(key="vm_forward_to")
    assert f"{TARGET} - John Jones" in to.options and not any(o.startswith(USER) for o in to.options)
    _choose(at, "vm_forward_to", TARGET)
    _click(at, "vm_forward_ok")
    assert f"Forwarded 1 voicemail to {TARGET} - John Jones." in [s.value for s in at.success]
    target = _open(TARGET)
    _choose(target, "vm_box", "Inbox")
    rows = _table(target)
    assert [r["Status"] for r in rows] == [f"New, Forwarded from {USER}"]
    assert rows[0]["From"] == f"Mary Scott 1212555{FIRST_ID + 2:04d}"


@pytest.mark.req("VM-8")
def test_options_refuse_a_bad_upload_with_the_reason(portal: Path) -> None:
    at = _click(_open(USER), "vm_options")
    assert at.toggle(key="vm_opt_operator").label == "Voicemail handling"
    at.radio(key="vm_opt_name").set_value("Personal").run()
    at.file_uploader(key="vm_opt_name_file").set_value(("name.wav", b"not audio at all\n" * 50, "audio/wav")).run()
    _click(at, "vm_opt_ok")
    assert [e.value for e in at.error] == ["Only WAV (PCM) or MP3 files can be used"]
    at.radio(key="vm_opt_greeting").set_value("Simple").run()
    _click(at, "vm_opt_ok")
    assert [e.value for e in at.error] == ["Only WAV (PCM) or MP3 files can be used"]
    db = Store(portal)  # the portal's own connection is open in this process too: DuckDB shares it
    row = db.execute("SELECT vm_name, vm_name_sha256, greeting_type FROM preference WHERE owner = ?", [USER])
    assert row.fetchall() == [("Standard", None, "Standard")]
    db.close()


@pytest.mark.req("VM-8")
def test_options_call_me_records_a_personal_name(portal: Path) -> None:
    at = _click(_open(USER), "vm_options")
    at.radio(key="vm_opt_name").set_value("Personal").run()
    _click(at, "vm_opt_call_me")
    assert "A voice recording request has been sent to your extension" in [s.value for s in at.success]
    _click(at, "vm_opt_ok")
    assert "Voicemail options saved." in [s.value for s in at.success]


def _downloads(at: AppTest) -> dict[str, bool]:
    return {b.proto.label: not b.proto.disabled for b in at.get("download_button")}


@pytest.mark.req("VM-7")
def test_download_is_offered_for_one_or_several_selected_voicemails(portal: Path) -> None:
    at = _open(USER)
    assert "⬇️ Download" not in _downloads(at)  # nothing selected: the button is inert
    assert at.button(key="vm_download_off").disabled
    assert _downloads(_select(at, [0])) == {"⬇️ Download": True}  # one: a WAV
    assert _downloads(_select(at, [0, 1])) == {"⬇️ Download": True}  # several: one .tgz
