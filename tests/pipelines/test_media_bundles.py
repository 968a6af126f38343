"""Voicemail and recording downloads: one WAV, or several as one TGZ (VM-7, REC-3, PIPE-3)."""

from __future__ import annotations

import io
import re
import tarfile
import wave
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fvkit.portal.auth import PermissionDenied, acting_as
from fvkit.sim.run import Options, simulate
from fvkit.store.db import Store
from pipelines.media import recording_file, recordings_tgz, voicemail_file, voicemails_tgz
from tests.conftest import private_store

START = datetime(2026, 10, 5, 7)
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+\.wav$")


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database file with four days of a 12-extension organisation."""
    path = tmp_path_factory.mktemp("media") / "small.duckdb"
    store = Store(path)
    simulate(store, START, seed=3, extensions=12, password="password1", options=Options(days=4))
    store.close()
    return path


@pytest.fixture
def store(db_file: Path, tmp_path: Path) -> Iterator[Store]:
    """Return a private copy of the database, free to change."""
    yield from private_store(db_file, tmp_path)


def _busiest(store: Store, table: str, privilege: str) -> str:
    """Return the user with the privilege who owns most rows of a message table."""
    row = store.execute(
        f"SELECT m.owner FROM {table} m JOIN extension e ON e.number = m.owner "
        "WHERE list_contains(e.privileges, 'User portal') AND list_contains(e.privileges, ?) "
        "GROUP BY m.owner ORDER BY count(*) DESC, m.owner LIMIT 1",
        [privilege],
    ).fetchone()
    assert row is not None
    return str(row[0])


def _messages(store: Store, table: str, owner: str) -> list[dict[str, Any]]:
    party = (
        "caller AS party, caller_name AS party_name, received AS time"
        if table == "voicemail"
        else ("peer AS party, peer_name AS party_name, started AS time")
    )
    return store.arrow(f"SELECT id, {party}, duration FROM {table} WHERE owner = ? ORDER BY id", [owner]).to_pylist()


def _expected_name(kind: str, m: dict[str, Any], zone: str) -> str:
    assert isinstance(m["time"], datetime) and isinstance(m["duration"], int)
    local = m["time"].replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    who = "_".join(re.sub(r"[^A-Za-z0-9._-]+", "-", str(m[k])).strip("-.") for k in ("party", "party_name") if m[k])
    word = "from" if kind == "voicemail" else "with"
    return f"{kind}_{local:%Y-%m-%d_%H%M}_{word}_{who}_{m['duration'] // 60:02d}m{m['duration'] % 60:02d}s.wav"


def _assert_wav(data: bytes, seconds: int) -> None:
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
        assert abs(w.getnframes() / 8000 - seconds) < 1.5


def _members(bundle: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
        members = tar.getmembers()
        assert all(m.isfile() and "/" not in m.name for m in members)
        return {m.name: tar.extractfile(m).read() for m in members}


@pytest.mark.req("VM-7")
@pytest.mark.req("PIPE-3")
def test_voicemail_file_is_a_wav_named_after_caller_time_and_length(store: Store) -> None:
    owner = _busiest(store, "voicemail", "User portal")
    user = acting_as(store, owner)
    m = _messages(store, "voicemail", owner)[0]
    name, data = voicemail_file(store, user, int(m["id"]))
    assert name == _expected_name("voicemail", m, user.time_zone)
    assert SAFE_NAME.match(name) and f"_from_{m['party']}_" in name
    _assert_wav(data, int(m["duration"]))


@pytest.mark.req("VM-7")
@pytest.mark.req("PIPE-3")
def test_voicemails_tgz_holds_every_selected_voicemail_as_wav(store: Store) -> None:
    owner = _busiest(store, "voicemail", "User portal")
    user = acting_as(store, owner)
    messages = _messages(store, "voicemail", owner)
    assert len(messages) >= 3
    bundle = voicemails_tgz(store, user, [int(m["id"]) for m in messages])
    members = _members(bundle)
    assert sorted(members) == sorted(_expected_name("voicemail", m, user.time_zone) for m in messages)
    for m in messages:
        name, single = voicemail_file(store, user, int(m["id"]))
        assert members[name] == single
        _assert_wav(single, int(m["duration"]))
    # the same selection gives the same bytes (no wall-clock time in the archive)
    assert voicemails_tgz(store, user, [int(m["id"]) for m in messages]) == bundle


@pytest.mark.req("REC-3")
@pytest.mark.req("PIPE-3")
def test_recordings_one_as_wav_several_as_tgz(store: Store) -> None:
    owner = _busiest(store, "recording", "Call recording access")
    user = acting_as(store, owner)
    recordings = _messages(store, "recording", owner)
    ids = [int(r["id"]) for r in recordings]
    name, data = recording_file(store, user, ids[0])
    assert name == _expected_name("recording", recordings[0], user.time_zone)
    _assert_wav(data, int(recordings[0]["duration"]))
    members = _members(recordings_tgz(store, user, ids))
    assert sorted(members) == sorted(_expected_name("recording", r, user.time_zone) for r in recordings)
    for r in recordings:
        _assert_wav(members[_expected_name("recording", r, user.time_zone)], int(r["duration"]))


@pytest.mark.req("VM-7")
def test_file_names_use_the_users_time_zone(store: Store) -> None:
    owner = _busiest(store, "voicemail", "User portal")
    m = _messages(store, "voicemail", owner)[0]
    name_la, _ = voicemail_file(store, acting_as(store, owner), int(m["id"]))
    store.execute("UPDATE preference SET time_zone = 'Asia/Tokyo' WHERE owner = ?", [owner])
    tokyo = acting_as(store, owner)
    name_tokyo, _ = voicemail_file(store, tokyo, int(m["id"]))
    assert name_tokyo == _expected_name("voicemail", m, "Asia/Tokyo") != name_la
    local = m["time"].replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    assert name_tokyo.startswith(f"voicemail_{local:%Y-%m-%d_%H%M}_")


@pytest.mark.req("PIPE-3")
def test_bundle_names_are_sanitised_and_unique(store: Store) -> None:
    owner = _busiest(store, "voicemail", "User portal")
    user = acting_as(store, owner)
    first, second = _messages(store, "voicemail", owner)[:2]
    # two messages that look alike, from a caller whose name tries to leave the folder
    store.execute(
        "UPDATE voicemail SET caller = '+1 (212) 555-0100', caller_name = '../../etc/passwd \"Jane\" Doe', "
        "received = ?, duration = 27 WHERE id IN (?, ?)",
        [first["time"], first["id"], second["id"]],
    )
    members = _members(voicemails_tgz(store, user, [int(first["id"]), int(second["id"])]))
    assert len(members) == 2
    for name in members:
        assert SAFE_NAME.match(name) and ".." not in name
        assert "_from_1-212-555-0100_etc-passwd-Jane-Doe_00m27s" in name
    assert any(name.endswith(f"_id{second['id']}.wav") for name in members)


@pytest.mark.req("AUTH-5")
@pytest.mark.req("VM-7")
def test_another_users_voicemail_is_denied(store: Store) -> None:
    owner = _busiest(store, "voicemail", "User portal")
    mine = _messages(store, "voicemail", owner)[0]["id"]
    other = store.execute("SELECT id, owner FROM voicemail WHERE owner <> ? ORDER BY id LIMIT 1", [owner]).fetchone()
    user = acting_as(store, owner)
    with pytest.raises(PermissionDenied):
        voicemail_file(store, user, other[0])
    with pytest.raises(PermissionDenied):
        voicemails_tgz(store, user, [mine, other[0]])
    with pytest.raises(LookupError):
        voicemail_file(store, user, 10**9)
    # the real owner may
    assert voicemail_file(store, acting_as(store, other[1]), other[0])[1][:4] == b"RIFF"


@pytest.mark.req("AUTH-5")
@pytest.mark.req("REC-3")
def test_recordings_need_ownership_and_the_recording_privilege(store: Store) -> None:
    owner = _busiest(store, "recording", "Call recording access")
    ids = [int(r["id"]) for r in _messages(store, "recording", owner)]
    other = store.execute(
        "SELECT number FROM extension WHERE number <> ? AND list_contains(privileges, 'Call recording access') "
        "ORDER BY number LIMIT 1",
        [owner],
    ).fetchone()
    intruder = acting_as(store, other[0])  # has the privilege, not the recording
    with pytest.raises(PermissionDenied):
        recording_file(store, intruder, ids[0])
    store.execute(
        "UPDATE extension SET privileges = list_filter(privileges, lambda p: p <> 'Call recording access') "
        "WHERE number = ?",
        [owner],
    )
    with pytest.raises(PermissionDenied, match="Call recording access"):
        recordings_tgz(store, acting_as(store, owner), ids)


@pytest.mark.req("PIPE-3")
def test_empty_selection_is_refused(store: Store) -> None:
    owner = _busiest(store, "voicemail", "User portal")
    with pytest.raises(ValueError, match="Select at least one voicemail"):
        voicemails_tgz(store, acting_as(store, owner), [])
