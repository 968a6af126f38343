"""The Call Recording page (guide p.31-32) in AppTest: list, play, delete, forward (REC-1, REC-2)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.domain.org import Privilege
from fvkit.sim.run import Options, simulate
from fvkit.store import Store, accounts
from tests.dashboards.apptest import portal_copy, read_db, record_downloads

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = "app_pages/call_recording.py"
PASSWORD = "password1"
RECORDER = "7101"  # has every privilege in a simulated organisation


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return two weeks of a 16-extension organisation, in which 7101 has several recordings."""
    path = tmp_path_factory.mktemp("recording_page") / "fvkit.duckdb"
    db = Store(path)
    simulate(db, datetime(2026, 10, 5), seed=11, extensions=16, password=PASSWORD, options=Options(days=14))
    db.close()
    return path


@pytest.fixture
def db(base_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the portal at a private copy of the database; drop the cached store after."""
    yield from portal_copy(base_db, tmp_path, monkeypatch)


def _who(path: Path, *, has: Privilege | None = None, lacks: Privilege | None = None) -> str:
    """Return the first portal user with and without a privilege."""
    st.cache_resource.clear()
    store = Store(path)
    try:
        for number in accounts.portal_users(store).column("number").to_pylist():
            ext = accounts.get_extension(store, number)
            assert ext is not None
            if (has is None or ext.can(has)) and (lacks is None or not ext.can(lacks)):
                return str(number)
    finally:
        store.close()
    raise AssertionError("no such user in the fixture")


def _open_page(number: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["user"].number == number
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _table_key(at: AppTest) -> str:
    # NOTE: AppTest's session state has no .get()
    version = at.session_state["rec_version"] if "rec_version" in at.session_state else 0  # noqa: SIM401
    return f"rec_table_{version}"


def _select(at: AppTest, rows: list[int]) -> AppTest:
    at.session_state[_table_key(at)] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def _ids(at: AppTest) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["id"]]


def _own_ids(path: Path, number: str) -> list[int]:
    rows = read_db(path, "SELECT id FROM recording WHERE owner = ? ORDER BY started DESC, id DESC", [number])
    return [int(str(r[0])) for r in rows]


@pytest.mark.req("REC-2")
@pytest.mark.req("REC-1")
def test_page_lists_the_users_recordings_and_how_to_record(db: Path) -> None:
    at = _open_page(RECORDER)
    table = at.dataframe[0].value
    assert list(table.columns) == ["id", "From/To", "Start", "Duration", "Paused", "Forwarded From"]
    assert _ids(at) == _own_ids(db, RECORDER)
    assert all(p.startswith("1 pause, 00:") for p in table["Paused"])
    captions = [c.value for c in at.caption]
    assert f"1-{len(table)} of {len(table)}" in captions
    assert [i.value for i in at.info] == ["Press *30 during a call to record, *31 to pause, *30 to resume."]
    assert any(c.startswith("Before recording a call, have the agreement") for c in captions)  # guide p.31
    # nothing selected: no action but the list
    assert [at.button(key=k).disabled for k in ("rec_play", "rec_delete", "rec_forward")] == [True, True, True]


@pytest.mark.req("REC-1")
def test_a_user_who_may_not_record_sees_a_note(db: Path) -> None:
    number = _who(db, has=Privilege.CALL_RECORDING_ACCESS, lacks=Privilege.PERSONAL_RECORDING)
    at = _open_page(number)
    (note,) = [i.value for i in at.info]
    assert note.startswith("**Recording:** Your extension cannot record calls; ask your administrator")


@pytest.mark.req("REC-2")
def test_play_shows_a_player_for_one_selected_recording(db: Path) -> None:
    at = _select(_open_page(RECORDER), [1])
    assert not at.get("audio")
    at.button(key="rec_play").click().run()
    assert len(at.get("audio")) == 1
    assert at.button(key="rec_play").disabled is False
    at = _select(at, [0, 1])  # two selected: no player, Play disabled
    assert not at.get("audio")
    assert at.button(key="rec_play").disabled is True


@pytest.mark.req("REC-2")
def test_delete_asks_for_confirmation_first(db: Path) -> None:
    at = _open_page(RECORDER)
    before = _ids(at)
    at = _select(at, [0, 2])
    at.button(key="rec_delete").click().run()
    assert "Delete 2 recording(s)?" in [m.value for m in at.markdown]
    at.button(key="rec_delete_cancel").click().run()
    assert _ids(at) == before
    assert "rec_delete_yes" not in [b.key for b in at.button]

    at.button(key="rec_delete").click().run()
    at.button(key="rec_delete_yes").click().run()
    assert [s.value for s in at.success] == ["Deleted 2 recording(s)."]
    assert _ids(at) == [before[1], *before[3:]]
    # the old selection is gone with the rows it pointed at
    assert at.button(key="rec_delete").disabled is True
    assert _own_ids(db, RECORDER) == [before[1], *before[3:]]


@pytest.mark.req("REC-2")
def test_forward_sends_a_copy_to_the_chosen_extension(db: Path) -> None:
    target = _who(db, has=Privilege.CALL_RECORDING_ACCESS, lacks=Privilege.PERSONAL_RECORDING)
    at = _select(_open_page(RECORDER), [0])
    sent = at.dataframe[0].value.iloc[0]
    at.button(key="rec_forward").click().run()
    choose = at.selectbox(key="rec_forward_to")
    assert RECORDER not in choose.options and any(o.endswith(f" {target}") for o in choose.options)
    assert at.button(key="rec_forward_ok").disabled is True  # no extension chosen yet
    choose.set_value(target).run()
    at.button(key="rec_forward_ok").click().run()
    (done,) = [s.value for s in at.success]
    assert done.startswith("Forwarded 1 recording(s) to ") and done.endswith(f" {target}.")
    assert _ids(at) == _own_ids(db, RECORDER)  # the sender keeps theirs

    theirs = _open_page(target).dataframe[0].value
    (copy,) = [row for _, row in theirs.iterrows() if row["Forwarded From"].endswith(f" {RECORDER}")]
    assert [copy[c] for c in ("From/To", "Start", "Duration", "Paused")] == [
        sent[c] for c in ("From/To", "Start", "Duration", "Paused")
    ]


@pytest.mark.req("AUTH-4")
@pytest.mark.req("REC-2")
def test_a_user_without_the_privilege_cannot_open_the_page(db: Path) -> None:
    number = _who(db, lacks=Privilege.CALL_RECORDING_ACCESS)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert "Call Recording" not in [link.proto.label for link in at.get("page_link")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE).run()


@pytest.mark.req("REC-3")
def test_download_is_offered_once_recordings_are_selected(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = record_downloads(monkeypatch)
    at = _open_page(RECORDER)
    buttons = [(b.proto.label, b.proto.disabled) for b in at.get("download_button")]
    assert buttons == [("⬇️ Download", True)]  # nothing selected, nothing to download
    at = _select(at, [0, 1])
    (button,) = at.get("download_button")
    assert (button.proto.label, button.proto.disabled) == ("⬇️ Download", False)
    name, data = downloads[button.proto.deferred_file_id]
    assert name == "recordings.tgz"
    with tarfile.open(fileobj=io.BytesIO(data()), mode="r:gz") as bundle:
        members = bundle.getnames()
    assert len(members) == 2 and all(m.endswith(".wav") for m in members)


@pytest.mark.req("REC-1")
def test_turning_the_page_stops_the_player_and_unselects_but_keeps_the_table(db: Path) -> None:
    st.cache_resource.clear()
    store = Store(db)
    for k in range(1, 6):  # 6 recordings of the fixture, 36 in all: two pages
        store.execute(
            "INSERT INTO recording SELECT id + ? AS id, owner, linkedid, peer, peer_name, started - INTERVAL (?) DAY,"
            " duration, paused, forwarded_from, seed, script FROM recording WHERE owner = ? AND id < 100000",
            [100_000 * k, 30 * k, RECORDER],
        )
    store.close()
    at = _select(_open_page(RECORDER), [0])
    at.button(key="rec_play").click().run()
    assert len(at.get("audio")) == 1
    first = _ids(at)
    at.button(key="rec_next").click().run()
    assert "26-36 of 36" in [c.value for c in at.caption]
    assert set(_ids(at)).isdisjoint(first)
    assert not at.get("audio")  # the player stopped
    assert at.button(key="rec_play").disabled is True  # the selected recording is not on this page
    # the same table (key), its rows updated: the browser redraws them instead of building a new grid
    assert _table_key(at) == "rec_table_0" and at.dataframe[0].proto.id.endswith("rec_table_0")
    at.button(key="rec_prev").click().run()
    assert _ids(at) == first and at.button(key="rec_play").disabled is True  # back, nothing selected
