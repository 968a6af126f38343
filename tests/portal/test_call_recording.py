"""Call Recording service (guide p.31-32): list, play, delete, forward (REC-1, REC-2, AUTH-5)."""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fvkit.domain.org import Privilege
from fvkit.portal import auth, call_recording
from fvkit.portal.auth import PermissionDenied
from fvkit.portal.display import TIME_FORMAT, hms
from fvkit.sim.run import Options, simulate
from fvkit.store import accounts
from fvkit.store.db import Store
from tests.conftest import private_store

START = datetime(2026, 10, 5)
PASSWORD = "password1"
NOW = datetime(2026, 10, 20, 9)
RECORDER = "7101"  # has every privilege in a simulated organisation
#: voicemails, recordings and faxes share one id sequence
MESSAGE_IDS = "SELECT id FROM recording UNION ALL SELECT id FROM voicemail UNION ALL SELECT id FROM fax"


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return two weeks of a 16-extension organisation: enough calls for several recorders."""
    path = tmp_path_factory.mktemp("recording") / "fvkit.duckdb"
    db = Store(path)
    simulate(db, START, seed=11, extensions=16, password=PASSWORD, options=Options(days=14))
    db.close()
    return path


@pytest.fixture
def store(db_file: Path, tmp_path: Path) -> Iterator[Store]:
    """Return a private copy of the database, free to change."""
    yield from private_store(db_file, tmp_path)


def _user(store: Store, number: str) -> auth.User:
    return auth.sign_in(store, number, PASSWORD, NOW)


def _recordings(store: Store, owner: str) -> list[dict[str, Any]]:
    """Return the owner's recording rows as stored, newest first."""
    rows: list[dict[str, Any]] = store.arrow(
        "SELECT * FROM recording WHERE owner = ? ORDER BY started DESC, id DESC", [owner]
    ).to_pylist()
    return rows


def _portal_users(store: Store, *, has: Privilege | None = None, lacks: Privilege | None = None) -> list[str]:
    """Return the extensions that may sign in, with and without a privilege."""
    found = []
    for number in accounts.portal_users(store).column("number").to_pylist():
        ext = accounts.get_extension(store, number)
        assert ext is not None
        if (has is None or ext.can(has)) and (lacks is None or not ext.can(lacks)):
            found.append(number)
    return found


def _owners(store: Store) -> set[str]:
    return {str(r[0]) for r in store.execute("SELECT DISTINCT owner FROM recording").fetchall()}


def _wav(data: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(data)) as w:
        return w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()


@pytest.mark.req("REC-2")
def test_list_shows_the_users_recordings_newest_first(store: Store) -> None:
    user = _user(store, RECORDER)
    stored = _recordings(store, RECORDER)
    assert len(stored) >= 3, "the fixture should give the recorder a few recordings"
    page = call_recording.list_page(store, user)
    assert page.rows.columns == ["id", "From/To", "Start", "Duration", "Paused", "Forwarded From"]
    assert page.rows["id"].to_list() == [r["id"] for r in stored]
    assert page.label == f"1-{len(stored)} of {len(stored)}"
    zone = ZoneInfo(user.time_zone)
    names = dict(store.execute("SELECT number, display_name FROM extension").fetchall())
    for row, rec in zip(page.rows.iter_rows(named=True), stored, strict=True):
        party = f"{rec['peer_name']} {rec['peer']}" if rec["peer_name"] else rec["peer"]
        assert row["From/To"] == party
        assert row["Start"] == rec["started"].replace(tzinfo=UTC).astimezone(zone).strftime(TIME_FORMAT)
        assert row["Duration"] == hms(rec["duration"])
        ((paused_from, paused_to),) = json.loads(rec["paused"])
        assert row["Paused"] == f"1 pause, {hms(round(paused_to - paused_from))}"
        assert row["Forwarded From"] == ""
    internal = [r for r in page.rows.iter_rows(named=True) if r["From/To"].split()[-1] in names]
    assert all(r["From/To"] == f"{names[r['From/To'].split()[-1]]} {r['From/To'].split()[-1]}" for r in internal)


@pytest.mark.req("REC-2")
def test_list_pages_through_many_recordings(store: Store) -> None:
    busiest = max(
        _owners(store) & set(_portal_users(store, has=Privilege.CALL_RECORDING_ACCESS)),
        key=lambda n: len(_recordings(store, n)),
    )
    user = _user(store, busiest)
    total = len(_recordings(store, busiest))
    assert total > 4
    pages = [call_recording.list_page(store, user, page=p, size=4) for p in range(1, -(-total // 4) + 1)]
    assert pages[0].label == f"1-4 of {total}"
    assert pages[-1].label == f"{(len(pages) - 1) * 4 + 1}-{total} of {total}"
    seen = [i for p in pages for i in p.rows["id"].to_list()]
    assert seen == [r["id"] for r in _recordings(store, busiest)]
    assert call_recording.list_page(store, user, page=99, size=4).label == pages[-1].label  # clamped


@pytest.mark.parametrize(
    ("paused", "shown"),
    [("[]", ""), ("[[26.4, 39.6]]", "1 pause, 00:00:13"), ("[[5, 20], [30, 95.5]]", "2 pauses, 00:01:20")],
)
def test_paused_column_counts_pauses_and_their_length(paused: str, shown: str) -> None:
    assert call_recording.paused_label(paused) == shown


@pytest.mark.req("REC-2")
def test_play_gives_a_wav_of_the_stored_duration(store: Store) -> None:
    user = _user(store, RECORDER)
    for rec in _recordings(store, RECORDER)[:3]:
        wav = call_recording.play(store, user, rec["id"])
        rate, channels, width, frames = _wav(wav)
        assert (rate, channels, width) == (8000, 1, 2)
        assert abs(frames - rec["duration"] * 8000) <= 1  # pauses cut out, nothing else
        assert call_recording.play(store, user, rec["id"]) == wav  # rendered the same every time


@pytest.mark.req("REC-2")
def test_delete_removes_only_the_chosen_recordings(store: Store) -> None:
    user = _user(store, RECORDER)
    before = [r["id"] for r in _recordings(store, RECORDER)]
    others = {n: len(_recordings(store, n)) for n in _owners(store) - {RECORDER}}
    assert call_recording.delete(store, user, [before[0], before[2], before[0]]) == 2
    assert call_recording.list_page(store, user).rows["id"].to_list() == [before[1], *before[3:]]
    assert {n: len(_recordings(store, n)) for n in others} == others


@pytest.mark.req("REC-2")
@pytest.mark.req("AUTH-5")
def test_delete_of_a_foreign_or_unknown_id_deletes_nothing(store: Store) -> None:
    user = _user(store, RECORDER)
    mine = [r["id"] for r in _recordings(store, RECORDER)]
    other = next(iter(_owners(store) - {RECORDER}))
    theirs = _recordings(store, other)[0]["id"]
    with pytest.raises(PermissionDenied):
        call_recording.delete(store, user, [mine[0], theirs])
    with pytest.raises(LookupError):
        call_recording.delete(store, user, [mine[0], 10**9])
    with pytest.raises(ValueError, match="Select at least one"):
        call_recording.delete(store, user, [])
    assert [r["id"] for r in _recordings(store, RECORDER)] == mine
    assert _recordings(store, other)[0]["id"] == theirs


@pytest.mark.req("REC-2")
def test_forwarded_recording_appears_in_the_targets_list(store: Store) -> None:
    user = _user(store, RECORDER)
    target = next(n for n in _portal_users(store, has=Privilege.CALL_RECORDING_ACCESS) if n != RECORDER)
    them = _user(store, target)
    original = call_recording.list_page(store, user).rows.row(0, named=True)
    theirs_before = call_recording.list_page(store, them).rows["id"].to_list()

    (copy_id,) = call_recording.forward(store, user, [original["id"]], target)

    theirs = call_recording.list_page(store, them).rows
    assert sorted(theirs["id"].to_list()) == sorted([*theirs_before, copy_id])
    copy = theirs.filter(theirs["id"] == copy_id).row(0, named=True)
    same = ("From/To", "Start", "Duration", "Paused")
    assert {k: copy[k] for k in same} == {k: original[k] for k in same}
    assert copy["Forwarded From"] == f"{user.extension.display_name} {RECORDER}"
    assert call_recording.play(store, them, copy_id) == call_recording.play(store, user, original["id"])
    # the sender keeps theirs, and the copy's id is new among all messages
    assert original["id"] in call_recording.list_page(store, user).rows["id"].to_list()
    taken = store.execute(
        f"SELECT count(*) FROM ({MESSAGE_IDS}) WHERE id = ?",
        [copy_id],
    ).fetchall()
    assert taken == [(1,)]


@pytest.mark.req("REC-2")
def test_forward_copies_several_and_continues_the_message_ids(store: Store) -> None:
    user = _user(store, RECORDER)
    target = next(n for n in _portal_users(store) if n != RECORDER)
    ids = [r["id"] for r in _recordings(store, RECORDER)[:2]]
    first = call_recording.forward(store, user, ids, target)
    second = call_recording.forward(store, user, ids[:1], target)
    assert len(first) == 2 and second[0] == first[-1] + 1
    forwarded = store.execute(
        "SELECT forwarded_from, count(*) FROM recording WHERE owner = ? AND forwarded_from <> '' GROUP BY ALL",
        [target],
    ).fetchall()
    assert forwarded == [(RECORDER, 3)]
    # traffic simulated afterwards takes ids after the copies
    simulate(store, START + timedelta(days=14), seed=11, extensions=16, options=Options(days=1))
    dupes = store.execute(f"SELECT id FROM ({MESSAGE_IDS}) GROUP BY id HAVING count(*) > 1").fetchall()
    assert dupes == []


@pytest.mark.req("REC-2")
def test_forward_goes_only_to_another_user_extension(store: Store) -> None:
    user = _user(store, RECORDER)
    targets = call_recording.forward_targets(store, user)
    users = store.execute(
        "SELECT number, display_name FROM extension WHERE ext_type = 'User' AND number <> ? ORDER BY number",
        [RECORDER],
    ).fetchall()
    assert targets == {n: f"{name} {n}" for n, name in users}
    mine = _recordings(store, RECORDER)[0]["id"]
    not_users = [r[0] for r in store.execute("SELECT number FROM extension WHERE ext_type <> 'User'").fetchall()]
    assert not_users
    for number in [*not_users, RECORDER, "9999"]:
        with pytest.raises(call_recording.CannotForward):
            call_recording.forward(store, user, [mine], number)
    assert store.execute("SELECT count(*) FROM recording WHERE forwarded_from <> ''").fetchall() == [(0,)]


@pytest.mark.req("AUTH-5")
@pytest.mark.req("REC-2")
def test_two_users_never_see_each_others_recordings(store: Store) -> None:
    readers = [n for n in _portal_users(store, has=Privilege.CALL_RECORDING_ACCESS) if n in _owners(store)]
    assert len(readers) >= 2
    lists = {n: set(call_recording.list_page(store, _user(store, n), size=1000).rows["id"].to_list()) for n in readers}
    for number, ids in lists.items():
        assert ids == {r["id"] for r in _recordings(store, number)}
    a, b = readers[:2]
    assert not lists[a] & lists[b]
    user_a = _user(store, a)
    foreign = next(iter(lists[b]))
    with pytest.raises(PermissionDenied):
        call_recording.play(store, user_a, foreign)
    with pytest.raises(PermissionDenied):
        call_recording.forward(store, user_a, [foreign], a)
    assert foreign in {r["id"] for r in _recordings(store, b)}


@pytest.mark.req("REC-2")
@pytest.mark.req("AUTH-4")
def test_without_the_call_recording_access_privilege_everything_is_denied(store: Store) -> None:
    locked_out = [n for n in _portal_users(store, lacks=Privilege.CALL_RECORDING_ACCESS) if n in _owners(store)]
    assert locked_out, "the fixture should hold a recorder who may not open Call Recording"
    user = _user(store, locked_out[0])
    own = [r["id"] for r in _recordings(store, user.number)]
    calls: list[Callable[[], object]] = [
        lambda: call_recording.list_page(store, user),
        lambda: call_recording.play(store, user, own[0]),
        lambda: call_recording.delete(store, user, own),
        lambda: call_recording.forward(store, user, own, RECORDER),
        lambda: call_recording.forward_targets(store, user),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert [r["id"] for r in _recordings(store, user.number)] == own


@pytest.mark.req("REC-1")
def test_only_extensions_with_personal_recording_make_recordings(store: Store) -> None:
    recorders = set(_portal_users(store, has=Privilege.PERSONAL_RECORDING))
    owners = {str(r[0]) for r in store.execute("SELECT DISTINCT owner FROM recording").fetchall()}
    assert owners and owners <= recorders
    for rec in store.arrow("SELECT * FROM recording").to_pylist():
        flow = dict(
            store.execute(
                "SELECT description, time FROM flow_event "
                "WHERE linkedid = ? AND description LIKE '%personal recording%'",
                [rec["linkedid"]],
            ).fetchall()
        )
        who = f"for user:<{rec['owner']}>"
        start = flow[f"start personal recording (*30) {who}"]
        pause = flow[f"pause personal recording (*31) {who}"]
        resume = flow[f"resume personal recording (*30) {who}"]
        # NOTE: the simulator rounds flow times and recording starts apart by up to 1 us
        assert abs((start - rec["started"]).total_seconds()) < 0.001
        ((paused_from, paused_to),) = json.loads(rec["paused"])
        assert abs((pause - start).total_seconds() - paused_from) <= 0.1
        assert abs((resume - start).total_seconds() - paused_to) <= 0.1


@pytest.mark.req("REC-1")
def test_the_page_explains_recording_to_those_who_may(store: Store) -> None:
    can = call_recording.recording_help(_user(store, RECORDER))
    assert can == call_recording.RecordingHelp(True, "Press *30 during a call to record, *31 to pause, *30 to resume.")
    number = _portal_users(store, has=Privilege.CALL_RECORDING_ACCESS, lacks=Privilege.PERSONAL_RECORDING)[0]
    cannot = call_recording.recording_help(_user(store, number))
    assert not cannot.can_record
    assert "cannot record calls" in cannot.text and "administrator" in cannot.text
