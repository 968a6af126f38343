"""NB-1: the Voicemail walkthrough plays, marks, forwards and downloads what the services hold."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest

from fvkit.domain.prefs import GreetingType, VoicemailName
from fvkit.portal import auth, voicemail
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from pipelines import media
from tests.notebooks.harness import BUDGET_S, run

NOW = CLASS_NOW


@pytest.mark.req("NB-1")
def test_voicemail_walkthrough_shows_the_services_results(notebook_env: Path) -> None:
    result = run("03-voicemail.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    # a player was shown for the message, the recorded name and the greeting
    for tag in ("play", "call_me", "greeting"):
        (player,) = result.mime(tag, "text/html")
        assert "<audio" in str(player)
    assert result.text("bad_greeting") == f"Refused: {voicemail.ONLY_WAV_OR_MP3}\n"

    store = Store(notebook_env / "data" / "03-voicemail.duckdb")
    try:
        user = auth.sign_in(store, "7101", CLASS_PASSWORD, NOW)
        played = re.search(r"^playing voicemail (\d+)$", result.text("play"), re.M)
        assert played is not None
        first = int(played[1])

        # the downloaded file is the service's, under the name the portal gives it
        name, wav = media.voicemail_file(store, user, first)
        assert result.text("download").startswith(f"{name} {len(wav)} bytes")
        assert (notebook_env / "data" / name).read_bytes() == wav
        assert result.text("download_many").splitlines()[0] == name

        # deleted is gone; marked urgent stays urgent; the forwarded copy is 7102's
        deleted = re.search(r"^deleted 1 voicemail: id (\d+)$", result.text("delete"), re.M)
        assert deleted is not None and int(deleted[1]) != first
        with pytest.raises(LookupError):
            voicemail.headers(store, user, [int(deleted[1])])
        rows = voicemail.list_messages(store, user, "Urgent", owner=user.number, size=500).rows
        assert first in rows["id"].to_list()
        assert "New, Urgent" in result.text("mark")
        copies = re.search(r"^copies: \[(\d+)\]$", result.text("forward"), re.M)
        assert copies is not None
        in_7102 = voicemail.list_messages(store, user, owner="7102", size=500).rows
        copy = in_7102.filter(in_7102["id"] == int(copies[1]))
        assert copy["Status"][0].endswith("Forwarded from 7101")

        # the options were saved as printed
        saved = voicemail.options(store, user)
        assert (saved.operator, saved.name, saved.greeting) == (True, VoicemailName.PERSONAL, GreetingType.SIMPLE)
        assert voicemail.name_audio(store, user) is not None
    finally:
        store.close()

    # the new-voicemail email is in the outbox, addressed to 7101, with the WAV attached
    sent = re.search(r"^email written to (\S+\.eml)$", result.text("live"), re.M)
    assert sent is not None
    notice = email.message_from_bytes((notebook_env / "outbox" / sent[1]).read_bytes(), policy=policy.default)
    assert notice["To"] == "jennifer.hill@example.com"
    assert str(notice["Subject"]).startswith("New voicemail from ")
    assert f"Subject: {notice['Subject']}\n" in result.text("email")
    (attachment,) = list(notice.iter_attachments())
    assert attachment.get_content_type() == "audio/wav"
    assert attachment.get_content()[:4] == b"RIFF"
