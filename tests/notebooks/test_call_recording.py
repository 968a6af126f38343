"""NB-1: the Call Recording walkthrough plays, downloads, forwards and deletes the store's recordings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fvkit.domain.org import Privilege
from fvkit.portal import auth, call_recording
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from pipelines import media
from tests.notebooks.harness import BUDGET_S, run

NOW = CLASS_NOW


@pytest.mark.req("NB-1")
def test_call_recording_walkthrough_shows_the_services_results(notebook_env: Path) -> None:
    result = run("06-call-recording.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    (player,) = result.mime("play", "text/html")
    assert "<audio" in str(player)
    assert f"7101: {call_recording.HOW_TO_RECORD}\n" in result.text("help")
    assert f"7102: {call_recording.CANNOT_RECORD}\n" in result.text("help")

    data = notebook_env / "data"
    store = Store(data / "06-call-recording.duckdb")
    try:
        user = auth.sign_in(store, "7101", CLASS_PASSWORD, NOW)
        assert user.extension.can(Privilege.CALL_RECORDING_ACCESS)

        # the pager printed before the delete counts one more than the service now does
        listed = re.search(r"^pager: 1-(\d+) of (\d+)$", result.text("list"), re.M)
        assert listed is not None and int(listed[2]) >= 3
        now = call_recording.list_page(store, user)
        assert now.total == int(listed[2]) - 1
        assert result.text("delete").splitlines()[-1] == f"pager: {now.label}"
        deleted = re.search(r"^deleted 1 recording: id (\d+)$", result.text("delete"), re.M)
        assert deleted is not None and int(deleted[1]) not in now.rows["id"].to_list()

        # the played and downloaded recording is the service's, under the portal's file name
        played = re.search(r"^playing recording (\d+)$", result.text("play"), re.M)
        assert played is not None
        newest = int(played[1])
        assert newest == now.rows["id"][0]
        name, wav = media.recording_file(store, user, newest)
        assert (data / name).read_bytes() == wav == call_recording.play(store, user, newest)
        assert result.text("download") == f"{name} {len(wav)} bytes, starts b'RIFF' b'WAVE'\n"
        assert len(result.text("download_many").splitlines()) == int(listed[2])

        # the forwarded copy is in Tara's (7104) list, from 7101
        copies = re.search(r"^copies: \[(\d+)\]$", result.text("forward"), re.M)
        assert copies is not None
        tara = auth.sign_in(store, "7104", CLASS_PASSWORD, NOW)
        theirs = call_recording.list_page(store, tara, size=500).rows
        copy = theirs.filter(theirs["id"] == int(copies[1]))
        assert copy["Forwarded From"].to_list() == ["Jennifer Hill 7101"]
    finally:
        store.close()
