"""Voicemail use cases (guide p.17-20): boxes, sharing, play, delete, mark, forward, options."""

from __future__ import annotations

import io
import shutil
import struct
import tarfile
import wave
from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from fvkit.domain.prefs import GreetingType, VoicemailBox, VoicemailName
from fvkit.media.audio import audio_info
from fvkit.portal import voicemail as vm
from fvkit.portal.auth import PermissionDenied, User, acting_as
from fvkit.sim.media import voicemail_wav
from fvkit.store import Store
from fvkit.store import voicemail as boxes
from fvkit.store.org import get_state
from pipelines.media import file_name, voicemails_tgz

NOW = datetime(2026, 10, 6, 12, 0)
#: in the seeded organisation (seed 2): 7101 has every privilege and sees 7105's box,
#: 7102 and 7108 have no shares, 7107 may not use the portal, 6001 is the Sales group
OWNER, COLLEAGUE, OTHER, STRANGER, GROUP = "7101", "7105", "7102", "7108", "6001"


def _leave(
    store: Store, owner: str, n: int, *, new: bool = True, urgent: bool = False, at: datetime = NOW
) -> list[int]:
    """Put n voicemails in a box, one minute apart, newest last; return their ids."""
    first = int(store.execute("SELECT coalesce(max(id), 0) + 1 FROM voicemail").fetchall()[0][0])
    ids = list(range(first, first + n))
    store.append(
        "voicemail",
        pa.table(
            {
                "id": pa.array(ids, pa.int64()),
                "owner": [owner] * n,
                "linkedid": [f"test.{i}" for i in ids],
                "caller": [f"1212555{i:04d}" for i in ids],
                "caller_name": ["Mary Scott" if i % 2 else "" for i in ids],
                "received": [at + timedelta(minutes=k) for k in range(n)],
                "duration": pa.array([5 + k for k in range(n)], pa.int32()),
                "urgent": [urgent] * n,
                "is_new": [new] * n,
                "forwarded_from": [""] * n,
                "seed": pa.array(ids, pa.int64()),
                "script": [f"Hello, this is message {i}." for i in ids],
            }
        ),
    )
    return ids


def _ids(store: Store, user: User, box: VoicemailBox = VoicemailBox.ALL, owner: str | None = None) -> list[int]:
    return vm.list_messages(store, user, box, owner=owner, size=1000).rows["id"].to_list()


def _with_ids(ids: list[int]) -> pl.Expr:
    return pl.col("id").is_in(ids)


def _state(store: Store, number: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = store.execute(
        "SELECT id, owner, is_new, urgent FROM voicemail WHERE owner = ? ORDER BY id", [number]
    ).fetchall()
    return rows


@pytest.fixture
def user(seeded_store: Store) -> User:
    return acting_as(seeded_store, OWNER)


@pytest.fixture
def other(seeded_store: Store) -> User:
    return acting_as(seeded_store, OTHER)


# --- VM-1 the list ----------------------------------------------------------------------


@pytest.mark.req("VM-1")
def test_list_filters_all_inbox_urgent_old(seeded_store: Store, other: User) -> None:
    new = _leave(seeded_store, OTHER, 3, new=True)
    old = _leave(seeded_store, OTHER, 2, new=False)
    urgent = _leave(seeded_store, OTHER, 1, new=True, urgent=True)
    before = [r[0] for r in _state(seeded_store, OTHER) if r[0] not in new + old + urgent]
    shown = {box: set(_ids(seeded_store, other, box)) for box in vm.BOXES}
    assert shown[VoicemailBox.ALL] == {*new, *old, *urgent, *before}
    assert shown[VoicemailBox.INBOX] >= {*new, *urgent} and not shown[VoicemailBox.INBOX] & set(old)
    assert shown[VoicemailBox.OLD] >= set(old) and not shown[VoicemailBox.OLD] & {*new, *urgent}
    assert shown[VoicemailBox.INBOX] | shown[VoicemailBox.OLD] == shown[VoicemailBox.ALL]
    assert set(urgent) <= shown[VoicemailBox.URGENT] and not shown[VoicemailBox.URGENT] & {*new, *old}
    page = vm.list_messages(seeded_store, other, VoicemailBox.ALL)
    assert page.counts == {box: len(ids) for box, ids in shown.items()}


@pytest.mark.req("VM-1")
def test_list_rows_read_as_the_guide_shows_them(seeded_store: Store, other: User) -> None:
    (named,) = _leave(seeded_store, OTHER, 1, at=datetime(2026, 10, 7, 19, 10, 8))
    page = vm.list_messages(seeded_store, other)
    assert page.columns == ["From", "Received", "Duration", "Status"]  # no Owner: nothing shared
    assert page.rows["id"][0] == named  # newest first
    first = page.rows.row(0, named=True)
    # 19:10:08 UTC is 12:10:08 in Los Angeles (PDT), the default time zone
    assert first["From"] == f"Mary Scott 1212555{named:04d}"
    assert first["Received"] == "2026-10-07 12:10:08"
    assert first["Duration"] == "00:00:05"
    assert first["Status"] == "New"
    received = page.rows["Received"].to_list()
    assert received == sorted(received, reverse=True)


@pytest.mark.req("VM-1")
def test_list_pages_by_25(seeded_store: Store, other: User) -> None:
    _leave(seeded_store, OTHER, 30)
    total = vm.list_messages(seeded_store, other).total
    first = vm.list_messages(seeded_store, other, page=1)
    second = vm.list_messages(seeded_store, other, page=2)
    assert (first.rows.height, first.label) == (25, f"1-25 of {total}")
    assert second.label == f"26-{total} of {total}"
    assert not set(first.rows["id"]) & set(second.rows["id"])
    assert vm.list_messages(seeded_store, other, page=99).label == second.label  # clamped


# --- VM-2 shared boxes ------------------------------------------------------------------


@pytest.mark.req("VM-2")
def test_shared_boxes_add_an_owner_column_and_filter(seeded_store: Store, user: User) -> None:
    mine = _leave(seeded_store, OWNER, 2)
    theirs = _leave(seeded_store, COLLEAGUE, 2)
    group = _leave(seeded_store, GROUP, 1)
    boxes.share(seeded_store, OWNER, [GROUP])
    assert vm.owner_choices(seeded_store, user) == {
        OWNER: f"{OWNER} - {user.extension.display_name}",
        GROUP: f"{GROUP} - Sales group",
        COLLEAGUE: f"{COLLEAGUE} - Gina Coleman",
    }
    page = vm.list_messages(seeded_store, user, size=1000)
    assert page.columns == ["From", "Received", "Duration", "Owner", "Status"]
    assert set(mine + theirs + group) <= set(page.rows["id"])
    owners = dict(zip(page.rows["id"], page.rows["Owner"], strict=True))
    assert owners[theirs[0]] == f"{COLLEAGUE} - Gina Coleman"
    assert owners[group[0]] == f"{GROUP} - Sales group"
    only = vm.list_messages(seeded_store, user, owner=COLLEAGUE, size=1000)
    assert set(only.rows["owner"]) == {COLLEAGUE} and set(theirs) <= set(only.rows["id"])
    assert set(only.rows["Owner"]) == {f"{COLLEAGUE} - Gina Coleman"}
    with pytest.raises(PermissionDenied):
        vm.list_messages(seeded_store, user, owner=STRANGER)


@pytest.mark.req("VM-2")
@pytest.mark.req("AUTH-5")
def test_shares_count_only_with_the_owner_notification_privilege(seeded_store: Store, other: User) -> None:
    theirs = _leave(seeded_store, STRANGER, 1)
    boxes.share(seeded_store, OTHER, [STRANGER])  # a share, but 7102 lacks the privilege
    assert vm.owner_choices(seeded_store, other) == {}
    page = vm.list_messages(seeded_store, other)
    assert "Owner" not in page.columns and theirs[0] not in page.rows["id"].to_list()
    with pytest.raises(PermissionDenied):
        vm.play(seeded_store, other, theirs[0])


@pytest.mark.req("VM-2")
def test_shared_voicemails_can_be_played_marked_and_downloaded(seeded_store: Store, user: User) -> None:
    (theirs,) = _leave(seeded_store, COLLEAGUE, 1)
    wav = vm.play(seeded_store, user, theirs)
    assert audio_info(wav).format == "wav"
    assert theirs in _ids(seeded_store, user, VoicemailBox.OLD)
    assert vm.mark(seeded_store, user, [theirs], vm.Mark.URGENT) == 1
    ((header, data),) = list(vm.audio(seeded_store, user, [theirs]))
    assert data == wav and header.id == theirs
    assert file_name(header, user.time_zone).startswith("voicemail_2026-10-06_0500_from_")
    # own and shared voicemails together in one bundle (VM-7 with VM-2)
    (own,) = _leave(seeded_store, user.number, 1)
    with tarfile.open(fileobj=io.BytesIO(voicemails_tgz(seeded_store, user, [own, theirs])), mode="r:gz") as tgz:
        assert len(tgz.getmembers()) == 2


@pytest.mark.req("VM-2")
def test_simulated_org_shares_the_department_group_and_a_colleague(seeded_store: Store) -> None:
    shares = seeded_store.execute("SELECT viewer, owner FROM voicemail_share ORDER BY ALL").fetchall()
    people = {
        n: (t, d, name, p)
        for n, t, d, name, p in seeded_store.execute(
            "SELECT number, ext_type, department, display_name, privileges FROM extension"
        ).fetchall()
    }
    viewers = {n for n, (t, _, _, p) in people.items() if "Voicemail owner notifications" in p}
    assert {v for v, _ in shares} == viewers
    for viewer, owner in shares:
        kind, dept, name, _ = people[owner]
        viewer_dept = people[viewer][1]
        if kind == "Group":
            assert name == f"{viewer_dept} group"
        else:
            team = [n for n, (t, d, _, _) in people.items() if t == "User" and d == viewer_dept and n != viewer]
            assert kind == "User" and owner != viewer
            assert dept == viewer_dept or not team
    assert (OWNER, COLLEAGUE) in shares  # both in Engineering


# --- AUTH-5 nobody else's voicemail -----------------------------------------------------


@pytest.mark.req("AUTH-5")
def test_two_users_never_see_each_others_voicemail(seeded_store: Store, other: User) -> None:
    stranger = acting_as(seeded_store, STRANGER)
    mine = set(_leave(seeded_store, OTHER, 2))
    theirs = set(_leave(seeded_store, STRANGER, 2))
    assert not set(_ids(seeded_store, other)) & theirs
    assert not set(_ids(seeded_store, stranger)) & mine
    before = _state(seeded_store, STRANGER)
    one = min(theirs)
    for act in (
        lambda: vm.play(seeded_store, other, one),
        lambda: vm.delete(seeded_store, other, [min(mine), one]),
        lambda: vm.mark(seeded_store, other, [one], vm.Mark.READ),
        lambda: vm.forward(seeded_store, other, [one], OTHER),
        lambda: list(vm.audio(seeded_store, other, [one])),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert _state(seeded_store, STRANGER) == before
    assert set(_ids(seeded_store, other)) >= mine  # the mixed delete deleted nothing
    with pytest.raises(LookupError):
        vm.play(seeded_store, other, 999_999)


@pytest.mark.req("AUTH-4")
def test_the_screen_needs_the_portal_privilege(seeded_store: Store) -> None:
    no_portal = acting_as(seeded_store, "7107")
    with pytest.raises(PermissionDenied):
        vm.list_messages(seeded_store, no_portal)
    with pytest.raises(PermissionDenied):
        vm.options(seeded_store, no_portal)


# --- VM-3..6 actions --------------------------------------------------------------------


@pytest.mark.req("VM-3")
def test_playing_a_new_voicemail_moves_it_to_old(seeded_store: Store, other: User) -> None:
    (message,) = _leave(seeded_store, OTHER, 1)
    inbox = vm.list_messages(seeded_store, other, VoicemailBox.INBOX).total
    wav = vm.play(seeded_store, other, message)
    info = audio_info(wav)
    assert (info.format, info.rate, info.pcm) == ("wav", 8000, True)
    assert info.seconds == pytest.approx(5, abs=0.01)
    assert wav == voicemail_wav(seeded_store, message)
    assert message in _ids(seeded_store, other, VoicemailBox.OLD)
    assert message not in _ids(seeded_store, other, VoicemailBox.INBOX)
    assert vm.list_messages(seeded_store, other, VoicemailBox.INBOX).total == inbox - 1
    assert vm.play(seeded_store, other, message) == wav  # playing again: still Old, same audio
    assert message in _ids(seeded_store, other, VoicemailBox.OLD)


@pytest.mark.req("VM-4")
def test_delete_removes_only_the_selected(seeded_store: Store, other: User) -> None:
    ids = _leave(seeded_store, OTHER, 4)
    assert vm.delete(seeded_store, other, [ids[0], ids[2], ids[0]]) == 2
    shown = _ids(seeded_store, other)
    assert ids[0] not in shown and ids[2] not in shown
    assert ids[1] in shown and ids[3] in shown
    with pytest.raises(LookupError):
        vm.delete(seeded_store, other, [ids[0]])
    with pytest.raises(ValueError, match="Select at least one"):
        vm.delete(seeded_store, other, [])


@pytest.mark.req("VM-5")
def test_mark_read_unread_urgent_many_at_once_any_number_of_times(seeded_store: Store, other: User) -> None:
    ids = _leave(seeded_store, OTHER, 3)
    for _ in range(3):
        assert vm.mark(seeded_store, other, ids, vm.Mark.READ) == 3
        assert set(ids) <= set(_ids(seeded_store, other, VoicemailBox.OLD))
        assert vm.mark(seeded_store, other, ids[:2], vm.Mark.UNREAD) == 2
        inbox = set(_ids(seeded_store, other, VoicemailBox.INBOX))
        assert set(ids[:2]) <= inbox and ids[2] not in inbox
        assert vm.mark(seeded_store, other, ids[1:], "Mark As Urgent") == 2
        urgent = set(_ids(seeded_store, other, VoicemailBox.URGENT))
        assert set(ids[1:]) <= urgent and ids[0] not in urgent
        statuses = vm.list_messages(seeded_store, other, size=1000).rows.filter(_with_ids(ids))["Status"].to_list()
        assert statuses == ["Urgent", "New, Urgent", "New"]  # newest first
        assert vm.mark(seeded_store, other, ids, "not_urgent") == 3  # a name works as well as a label
        assert not set(ids) & set(_ids(seeded_store, other, VoicemailBox.URGENT))
    with pytest.raises(ValueError, match="Unknown mark"):
        vm.mark(seeded_store, other, ids, "loud")


@pytest.mark.req("VM-6")
def test_forward_puts_a_new_copy_in_the_targets_inbox(seeded_store: Store, other: User) -> None:
    (message,) = _leave(seeded_store, OTHER, 1, new=False, urgent=True)
    target = acting_as(seeded_store, STRANGER)
    assert vm.forward_targets(seeded_store, other)[STRANGER] == f"{STRANGER} - John Jones"
    assert OTHER not in vm.forward_targets(seeded_store, other)
    assert GROUP not in vm.forward_targets(seeded_store, other)
    (copy,) = vm.forward(seeded_store, other, [message], STRANGER)
    assert copy not in _ids(seeded_store, other)  # the sender's list is unchanged...
    assert message in _ids(seeded_store, other, VoicemailBox.OLD)
    inbox = vm.list_messages(seeded_store, target, VoicemailBox.INBOX, size=1000).rows
    row = inbox.filter(_with_ids([copy])).row(0, named=True)  # ...the target's Inbox has the copy
    assert row["Status"] == f"New, Urgent, Forwarded from {OTHER}"
    assert row["From"] == f"Mary Scott 1212555{message:04d}"
    assert vm.play(seeded_store, target, copy) == voicemail_wav(seeded_store, message)
    # the simulator's next voicemail, recording or fax will not reuse the copy's id
    assert get_state(seeded_store, "last_media_id") >= copy


@pytest.mark.req("VM-6")
@pytest.mark.parametrize("target", [GROUP, "7801", "7500", "9999", OTHER])
def test_forward_only_to_another_users_box(seeded_store: Store, other: User, target: str) -> None:
    (message,) = _leave(seeded_store, OTHER, 1)
    count = seeded_store.execute("SELECT count(*) FROM voicemail").fetchall()
    with pytest.raises(vm.BadOptions):
        vm.forward(seeded_store, other, [message], target)
    assert seeded_store.execute("SELECT count(*) FROM voicemail").fetchall() == count


@pytest.mark.req("VM-7")
def test_download_gives_the_voicemails_as_wav(seeded_store: Store, other: User) -> None:
    ids = _leave(seeded_store, OTHER, 2)
    got = list(vm.audio(seeded_store, other, ids))
    assert [h.id for h, _ in got] == ids
    assert all(audio_info(wav).format == "wav" for _, wav in got)
    assert [h.duration for h, _ in got] == [5, 6]


# --- VM-8 options ----------------------------------------------------------------------


def _wav(rate: int = 8000, channels: int = 1, seconds: float = 0.5) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        t = np.arange(int(rate * seconds)) / rate
        tone = (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2")
        w.writeframes(np.repeat(tone, channels).tobytes())
    return out.getvalue()


def _float_wav() -> bytes:
    samples = (np.sin(np.arange(4000) / 10) * 0.3).astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, 8000, 8000 * 4, 4, 32)  # format 3: IEEE float
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(samples)) + samples
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _mp3() -> bytes:
    if shutil.which("ffmpeg") is None:
        pytest.skip("MP3 needs ffmpeg")
    from pydub import AudioSegment

    out = io.BytesIO()
    AudioSegment(_wav(), sample_width=2, frame_rate=8000, channels=1).export(out, format="mp3")
    return out.getvalue()


def _big_wav() -> bytes:
    return _wav(seconds=11 * 1024 * 1024 / 16000)  # 16 kB a second: 11 MB of real PCM


GOOD = {"wav-8k-mono": _wav, "wav-22k-stereo": lambda: _wav(22050, 2), "mp3": _mp3}
BAD = {
    "float-wav": (_float_wav, vm.ONLY_WAV_OR_MP3),
    "text-named-wav": (lambda: b"this is not audio, whatever the name greeting.wav says\n" * 20, vm.ONLY_WAV_OR_MP3),
    "riff-header-only": (lambda: _wav()[:40], vm.ONLY_WAV_OR_MP3),
    "id3-without-audio": (lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 100, vm.ONLY_WAV_OR_MP3),
    "11-mb-wav": (_big_wav, vm.TOO_LARGE),
}


def _blob_count(store: Store) -> int:
    return int(store.execute("SELECT count(*) FROM media_blob").fetchall()[0][0])


@pytest.mark.req("VM-8")
def test_options_default_and_save(seeded_store: Store, user: User) -> None:
    start = vm.options(seeded_store, user)
    assert (start.name, start.greeting, start.has_personal_name) == (
        VoicemailName.STANDARD,
        GreetingType.STANDARD,
        False,
    )
    assert start.may_schedule and "business_hour" in start.schedules
    saved = vm.save_options(seeded_store, user, vm.OptionsForm(not start.operator, "Standard", "Standard"), NOW)
    assert saved.operator is (not start.operator)
    assert vm.options(seeded_store, user) == saved


@pytest.mark.req("VM-8")
@pytest.mark.parametrize("kind", sorted(GOOD))
def test_a_personal_name_takes_wav_pcm_or_mp3(seeded_store: Store, user: User, kind: str) -> None:
    data = GOOD[kind]()
    form = vm.OptionsForm(True, VoicemailName.PERSONAL, GreetingType.STANDARD, name_file=data)
    saved = vm.save_options(seeded_store, user, form, NOW)
    assert (saved.name, saved.has_personal_name, saved.operator) == (VoicemailName.PERSONAL, True, True)
    assert vm.name_audio(seeded_store, user) == data


@pytest.mark.req("VM-8")
@pytest.mark.parametrize("kind", sorted(BAD))
def test_other_uploads_are_refused_with_the_reason_and_change_nothing(
    seeded_store: Store, user: User, kind: str
) -> None:
    make, reason = BAD[kind]
    data = make()
    before, blobs = vm.options(seeded_store, user), _blob_count(seeded_store)
    forms = [
        vm.OptionsForm(True, VoicemailName.PERSONAL, GreetingType.STANDARD, name_file=data),
        vm.OptionsForm(True, VoicemailName.STANDARD, GreetingType.SIMPLE, greeting_files={vm.SIMPLE: data}),
        vm.OptionsForm(True, VoicemailName.STANDARD, GreetingType.CONDITIONAL, greeting_files={"Busy": data}),
        # a good file beside a bad one: still nothing saved
        vm.OptionsForm(True, "Personal", "Simple", name_file=_wav(), greeting_files={vm.SIMPLE: data}),
    ]
    for form in forms:
        with pytest.raises(vm.BadAudio) as err:
            vm.save_options(seeded_store, user, form, NOW)
        assert str(err.value) == reason
    assert vm.options(seeded_store, user) == before
    assert _blob_count(seeded_store) == blobs


@pytest.mark.req("VM-8")
def test_a_personal_name_needs_a_recording_and_call_me_makes_one(seeded_store: Store, user: User) -> None:
    with pytest.raises(vm.BadOptions, match="Call me"):
        vm.save_options(seeded_store, user, vm.OptionsForm(False, "Personal", "Standard"), NOW)
    assert vm.call_me(seeded_store, user, NOW) == "A voice recording request has been sent to your extension"
    now = vm.options(seeded_store, user)
    assert (now.name, now.has_personal_name) == (VoicemailName.PERSONAL, True)
    spoken = vm.name_audio(seeded_store, user)
    assert spoken is not None and audio_info(spoken).seconds == pytest.approx(vm.CALL_ME_SECONDS)
    # now Personal can be saved without a file, and Standard keeps the recording for later
    vm.save_options(seeded_store, user, vm.OptionsForm(False, "Standard", "Standard"), NOW)
    assert vm.options(seeded_store, user).has_personal_name
    assert vm.save_options(seeded_store, user, vm.OptionsForm(False, "Personal", "Standard"), NOW).name == "Personal"


@pytest.mark.req("VM-8")
def test_greetings_simple_conditional_and_scheduled(seeded_store: Store, user: User) -> None:
    with pytest.raises(vm.BadOptions, match="Simple"):
        vm.save_options(seeded_store, user, vm.OptionsForm(False, "Standard", "Simple"), NOW)
    simple, busy, lunch = _wav(seconds=0.3), _wav(seconds=0.4), _wav(seconds=0.6)
    vm.save_options(
        seeded_store, user, vm.OptionsForm(False, "Standard", "Simple", greeting_files={"Simple": simple}), NOW
    )
    assert vm.greeting_audio(seeded_store, user, "Simple") == simple
    with pytest.raises(vm.BadOptions, match="Busy or Unavailable"):
        vm.save_options(seeded_store, user, vm.OptionsForm(False, "Standard", "Conditional"), NOW)
    done = vm.save_options(
        seeded_store, user, vm.OptionsForm(False, "Standard", "Conditional", greeting_files={"Busy": busy}), NOW
    )
    assert done.greeting is GreetingType.CONDITIONAL and set(done.greeting_files) == {"Simple", "Busy"}
    kind = vm.schedule_kind("lunch")
    with pytest.raises(vm.BadOptions, match="schedule"):
        vm.save_options(seeded_store, user, vm.OptionsForm(False, "Standard", "Scheduled"), NOW)
    done = vm.save_options(
        seeded_store, user, vm.OptionsForm(False, "Standard", "Scheduled", greeting_files={kind: lunch}), NOW
    )
    assert done.greeting is GreetingType.SCHEDULED and vm.greeting_audio(seeded_store, user, kind) == lunch
    with pytest.raises(vm.BadOptions):  # no such schedule
        vm.save_options(
            seeded_store,
            user,
            vm.OptionsForm(False, "Standard", "Scheduled", greeting_files={vm.schedule_kind("nope"): lunch}),
            NOW,
        )
    # dropping the only scheduled greeting while Scheduled is refused; back to Simple it may go
    with pytest.raises(vm.BadOptions):
        vm.save_options(
            seeded_store, user, vm.OptionsForm(False, "Standard", "Scheduled", drop_greetings=frozenset({kind})), NOW
        )
    done = vm.save_options(
        seeded_store, user, vm.OptionsForm(False, "Standard", "Simple", drop_greetings=frozenset({kind})), NOW
    )
    assert kind not in done.greeting_files and done.greeting is GreetingType.SIMPLE


@pytest.mark.req("VM-8")
def test_a_scheduled_greeting_needs_the_privilege(seeded_store: Store, other: User) -> None:
    assert not vm.options(seeded_store, other).may_schedule
    before = vm.options(seeded_store, other)
    form = vm.OptionsForm(False, "Standard", "Scheduled", greeting_files={vm.schedule_kind("lunch"): _wav()})
    with pytest.raises(PermissionDenied):
        vm.save_options(seeded_store, other, form, NOW)
    assert vm.options(seeded_store, other) == before
