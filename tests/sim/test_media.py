"""Simulated voicemails, recordings and faxes open as real files, rendered from their recipes (SIM-6)."""

from __future__ import annotations

import io
import json
import wave
from datetime import datetime

import pypdf
import pytest

from fvkit.sim.media import fax_pdf, recording_wav, voicemail_wav
from fvkit.sim.run import Options, simulate
from fvkit.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    db = Store()
    simulate(db, datetime(2026, 10, 5, 7), seed=2, extensions=12, password="password1", options=Options(days=7))
    return db


def _wav(data: bytes) -> wave.Wave_read:
    return wave.open(io.BytesIO(data))


@pytest.mark.req("SIM-6")
def test_voicemail_wav_is_8khz_mono_16bit_of_the_stored_duration(store: Store) -> None:
    vid, seconds = store.execute("SELECT id, duration FROM voicemail ORDER BY id LIMIT 1").fetchone()
    data = voicemail_wav(store, vid)
    w = _wav(data)
    assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
    assert w.getnframes() == seconds * 8000
    assert voicemail_wav(store, vid) == data  # rendered again: the same bytes


@pytest.mark.req("SIM-6")
@pytest.mark.req("REC-1")
def test_recording_wav_lasts_the_recorded_time_without_its_pauses(store: Store) -> None:
    rid, seconds, paused = store.execute("SELECT id, duration, paused FROM recording ORDER BY id LIMIT 1").fetchone()
    w = _wav(recording_wav(store, rid))
    assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
    assert w.getnframes() == seconds * 8000
    spans = json.loads(paused)
    assert spans and all(b > a for a, b in spans)


@pytest.mark.req("SIM-6")
def test_fax_pdf_has_the_stored_page_count(store: Store) -> None:
    fid, pages, remote = store.execute("SELECT id, pages, remote_number FROM fax ORDER BY id LIMIT 1").fetchone()
    reader = pypdf.PdfReader(io.BytesIO(fax_pdf(store, fid)))
    assert len(reader.pages) == pages
    assert remote in reader.pages[0].extract_text()


def test_an_unknown_message_is_a_lookup_error(store: Store) -> None:
    with pytest.raises(LookupError):
        voicemail_wav(store, 10**9)
