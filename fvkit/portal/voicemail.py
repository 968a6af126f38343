"""Voicemail (guide p.17-20): list, play, delete, mark, forward and download; voicemail options.

The Voicemail screen is open to every portal user (guide p.10). A user sees their own box,
plus - when the administrator granted "Voicemail owner notifications" and shared boxes with
them (table `voicemail_share`) - other users' and groups' boxes, with an Owner column and
filter (VM-2). Every id a use case gets is checked against those boxes first (AUTH-5): an
id that does not exist raises LookupError, one of a box the user may not see raises
PermissionDenied, and nothing is changed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import polars as pl

from fvkit.domain.limits import HISTORY_PAGE_SIZE, MB, VOICEMAIL_NAME_MAX_BYTES
from fvkit.domain.org import ExtensionType, Privilege
from fvkit.domain.prefs import ConditionalGreeting, GreetingType, VoicemailBox, VoicemailName
from fvkit.domain.screens import Screen
from fvkit.media.audio import AudioInfo, audio_info, render_message
from fvkit.portal import messages
from fvkit.portal.auth import PermissionDenied, User, require, require_screen
from fvkit.portal.display import ListPage, clamp_page, durations, local_times, span
from fvkit.portal.messages import Kind, MessageHeader
from fvkit.sim import media
from fvkit.store import accounts, blobs, org
from fvkit.store import voicemail as boxes
from fvkit.store.db import Store
from fvkit.store.voicemail import VoicemailPrefs

BOXES = tuple(VoicemailBox)  # guide p.17: All, Inbox, Urgent, Old
PAGE_SIZE = HISTORY_PAGE_SIZE  # not in the guide for voicemail: the call history's page (guide p.14)
ANY_OWNER = "--All--"  # the Owner filter's "every box" choice, like the guide's dropdowns

ONLY_WAV_OR_MP3 = "Only WAV (PCM) or MP3 files can be used"  # guide p.19
TOO_LARGE = f"The file is larger than {VOICEMAIL_NAME_MAX_BYTES // MB} MB"  # guide p.19
CALL_ME_SENT = "A voice recording request has been sent to your extension"  # guide p.28
CALL_ME_SECONDS = 2.5  # a spoken name
#: greeting files beside the scheduled ones (`schedule:<name>`), table `greeting`
SIMPLE = "Simple"
SCHEDULE_PREFIX = "schedule:"
_MIME = {"wav": "audio/wav", "mp3": "audio/mpeg"}


class Mark(StrEnum):
    """The status buttons (guide p.18), plus an undo for Mark As Urgent."""

    READ = "Mark As Read"
    UNREAD = "Mark As Unread"
    URGENT = "Mark As Urgent"
    # NOTE: not in the guide; without it a voicemail marked urgent by mistake stays urgent.
    NOT_URGENT = "Mark As Not Urgent"


_MARK_FLAG: dict[Mark, tuple[str, bool]] = {
    Mark.READ: ("is_new", False),
    Mark.UNREAD: ("is_new", True),
    Mark.URGENT: ("urgent", True),
    Mark.NOT_URGENT: ("urgent", False),
}


class BadAudio(ValueError):
    """An uploaded file that cannot be a name or greeting; the message is safe to show."""


class BadOptions(ValueError):
    """Options that do not fit together; the message is safe to show."""


# --- whose boxes (VM-2, AUTH-5) ---------------------------------------------------------


def shared_boxes(store: Store, user: User) -> list[tuple[str, str]]:
    """Return (number, name) of the other boxes the user may see, [] without the privilege."""
    if not user.extension.can(Privilege.VOICEMAIL_OWNERS):
        return []
    return boxes.shared_owners(store, user.number)


def visible_owners(store: Store, user: User) -> list[str]:
    """Return the boxes the user may see and change: their own first, then the shared ones."""
    require_screen(user, Screen.VOICEMAIL)
    return [user.number, *(number for number, _ in shared_boxes(store, user))]


def owner_label(number: str, name: str) -> str:
    """Return an Owner cell as the guide shows it: "7702 - Administrator" (p.17)."""
    return f"{number} - {name}" if name else number


def owner_choices(store: Store, user: User) -> dict[str, str]:
    """Return the Owner filter's choices, label by number: none when nothing is shared (VM-2)."""
    shared = shared_boxes(store, user)
    if not shared:
        return {}
    own = (user.number, user.extension.display_name)
    return {number: owner_label(number, name) for number, name in [own, *shared]}


def _check(store: Store, user: User, ids: list[int]) -> tuple[list[str], list[int]]:
    """Return the user's boxes and the ids (once each, in order) after checking every id is in one."""
    wanted = [int(i) for i in dict.fromkeys(ids)]
    if not wanted:
        raise ValueError("Select at least one voicemail.")
    owners = visible_owners(store, user)
    found = boxes.owners_of(store, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise LookupError(f"no voicemail {missing[0]}")
    foreign = [i for i in wanted if found[i] not in owners]
    if foreign:
        raise PermissionDenied(f"Extension {user.number} may not see voicemail {foreign[0]}.")
    return owners, wanted


# --- the list (VM-1, VM-2) --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoicemailPage(ListPage):
    """One page of the list: display-ready rows, the pager's figures, the boxes' counts.

    `rows` has the shown columns From, Received, Duration, Status (and Owner when boxes
    are shared) plus id, owner, is_new and urgent for styling and actions.
    """

    counts: dict[VoicemailBox, int]
    show_owner: bool

    @property
    def columns(self) -> list[str]:
        """Return the columns the list shows, in order (guide p.17)."""
        return ["From", "Received", "Duration", *(["Owner"] if self.show_owner else []), "Status"]


def _filtered(user: User, everyone: list[str], owner: str | None) -> list[str]:
    if owner in (None, "", ANY_OWNER):
        return everyone
    if owner not in everyone:
        raise PermissionDenied(f"Extension {user.number} may not see the voicemail of {owner}.")
    return [str(owner)]


def counts(store: Store, user: User, owner: str | None = None) -> dict[VoicemailBox, int]:
    """Return how many voicemails each box filter shows, for every visible box or one owner's."""
    return boxes.counts(store, _filtered(user, visible_owners(store, user), owner))


def list_messages(
    store: Store,
    user: User,
    box: VoicemailBox | str = VoicemailBox.ALL,
    owner: str | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> VoicemailPage:
    """Return page `page` (from 1) of the voicemails the filter shows, newest first (VM-1, VM-2).

    Raises:
        PermissionDenied: `owner` names a box the user may not see.
    """
    everyone = visible_owners(store, user)
    owners = _filtered(user, everyone, owner)
    chosen = VoicemailBox(box)
    by_box = boxes.counts(store, owners)
    total = by_box[chosen]
    page = clamp_page(page, size, total)
    frame = pl.from_arrow(boxes.page(store, owners, chosen, size, (page - 1) * size))
    assert isinstance(frame, pl.DataFrame)
    shown = local_times(durations(frame, ["duration"]), ["received"], user.time_zone)
    status = pl.concat_list(
        pl.when(pl.col("is_new")).then(pl.lit("New")).otherwise(None),
        pl.when(pl.col("urgent")).then(pl.lit("Urgent")).otherwise(None),
        pl.when(pl.col("forwarded_from") != "")
        .then(pl.format("Forwarded from {}", pl.col("forwarded_from")))
        .otherwise(None),
    )
    shown = shown.select(
        "id",
        "owner",
        "is_new",
        "urgent",
        pl.concat_str("caller_name", "caller", separator=" ").str.strip_chars().alias("From"),
        pl.col("received").alias("Received"),
        pl.col("duration").alias("Duration"),
        pl.when(pl.col("owner_name") != "")
        .then(pl.format("{} - {}", "owner", "owner_name"))
        .otherwise(pl.col("owner"))
        .alias("Owner"),
        status.list.drop_nulls().list.join(", ").alias("Status"),
    )
    first, last = span(page, size, total, shown.height)
    return VoicemailPage(shown, first, last, total, by_box, show_owner=len(everyone) > 1)


# --- actions (VM-3..7) ---------------------------------------------------------------


def play(store: Store, user: User, message_id: int) -> bytes:
    """Return a voicemail as WAV to play; a new one moves to Old (VM-3, guide p.17)."""
    owners, (checked,) = _check(store, user, [message_id])
    wav = media.voicemail_wav(store, checked)
    boxes.set_flag(store, owners, [checked], "is_new", False)
    return wav


def delete(store: Store, user: User, ids: list[int]) -> int:
    """Delete the selected voicemails; return how many (VM-4)."""
    owners, checked = _check(store, user, ids)
    return boxes.delete(store, owners, checked)


def mark(store: Store, user: User, ids: list[int], how: Mark | str) -> int:
    """Mark the selected voicemails read, unread, urgent or not urgent; any number of times (VM-5).

    `how` is a Mark, its button label ("Mark As Read") or its name ("read", "not_urgent").
    """
    try:
        chosen = Mark(how)
    except ValueError:
        try:
            chosen = Mark[str(how).strip().upper().replace(" ", "_")]
        except KeyError:
            raise ValueError(f"Unknown mark {how!r}: use one of {', '.join(m.name.lower() for m in Mark)}.") from None
    flag, value = _MARK_FLAG[chosen]
    owners, checked = _check(store, user, ids)
    return boxes.set_flag(store, owners, checked, flag, value)


def forward_targets(store: Store, user: User) -> dict[str, str]:
    """Return the extensions a voicemail can be forwarded to, "7102 - Name" by number (VM-6)."""
    require_screen(user, Screen.VOICEMAIL)
    return {number: owner_label(number, name) for number, name in boxes.user_boxes(store) if number != user.number}


def forward(store: Store, user: User, ids: list[int], to_extension: str) -> list[int]:
    """Copy the selected voicemails into another user's Inbox; return the copies' ids (VM-6).

    Raises:
        BadOptions: the target is not a User extension, or already holds the voicemail.
    """
    owners, checked = _check(store, user, ids)
    target = accounts.get_extension(store, to_extension.strip())
    if target is None or target.ext_type is not ExtensionType.USER:
        raise BadOptions(f"{to_extension} is not a user extension: voicemail can only be forwarded to a user.")
    found = boxes.owners_of(store, checked)
    already = [i for i in checked if found[i] == target.number]
    if already:
        raise BadOptions(f"Voicemail {already[0]} is already in the box of {target.number}.")
    return boxes.forward(store, owners, checked, target.number)


def headers(store: Store, user: User, ids: list[int]) -> list[MessageHeader]:
    """Return what a download names each voicemail by, after checking every id (VM-7)."""
    return messages.headers(store, user, Kind.VOICEMAIL, ids)


def audio(store: Store, user: User, ids: list[int]) -> Iterator[tuple[MessageHeader, bytes]]:
    """Check every id first, then render the voicemails one at a time as WAV (VM-7)."""
    return messages.audio(store, user, Kind.VOICEMAIL, ids)


# --- options (VM-8) --------------------------------------------------------------------


def schedule_kind(schedule: str) -> str:
    """Return the greeting kind of a scheduled greeting."""
    return f"{SCHEDULE_PREFIX}{schedule}"


@dataclass(frozen=True, slots=True)
class VoicemailOptions:
    """The Voicemail Options dialog as stored (guide p.19-20)."""

    operator: bool
    name: VoicemailName
    has_personal_name: bool
    greeting: GreetingType
    greeting_files: tuple[str, ...]  # kinds that have a file: Simple, Busy, Unavailable, schedule:<name>
    schedules: tuple[str, ...]  # the system schedules a Scheduled greeting can use
    may_schedule: bool  # the administrator granted "Scheduled greeting"


@dataclass(frozen=True, slots=True)
class OptionsForm:
    """What the user submits: the choices, new files by greeting kind, greeting files to drop."""

    operator: bool
    name: VoicemailName | str
    greeting: GreetingType | str
    name_file: bytes | None = None
    greeting_files: Mapping[str, bytes] = field(default_factory=dict)
    drop_greetings: frozenset[str] = frozenset()


def options(store: Store, user: User) -> VoicemailOptions:
    """Return the user's voicemail options (VM-8)."""
    require_screen(user, Screen.VOICEMAIL)
    stored = boxes.prefs(store, user.number)
    files = boxes.greetings(store, user.number)
    schedules = tuple(sorted(str(n) for n in org.read_table(store, "schedule").column("name").to_pylist()))
    return VoicemailOptions(
        operator=stored.operator,
        name=stored.name,
        has_personal_name=stored.name_sha256 is not None,
        greeting=stored.greeting,
        greeting_files=tuple(files),
        schedules=schedules,
        may_schedule=user.extension.can(Privilege.SCHEDULED_GREETING),
    )


def check_audio(data: bytes) -> AudioInfo:
    """Return what an uploaded name or greeting is, judged by its bytes, never its file name.

    Raises:
        BadAudio: larger than 10 MB, or not a WAV in PCM nor an MP3 (guide p.19).
    """
    if len(data) > VOICEMAIL_NAME_MAX_BYTES:
        raise BadAudio(TOO_LARGE)
    info = audio_info(data)
    playable = info.rate > 0 and info.channels > 0
    if not playable or not ((info.format == "wav" and info.pcm) or info.format == "mp3"):
        raise BadAudio(ONLY_WAV_OR_MP3)
    return info


def _greeting_kinds(opts: VoicemailOptions) -> set[str]:
    kinds = {SIMPLE, *(g.value for g in ConditionalGreeting)}
    if opts.may_schedule:
        kinds |= {schedule_kind(s) for s in opts.schedules}
    return kinds


def save_options(store: Store, user: User, form: OptionsForm, now: datetime) -> VoicemailOptions:
    """Check the whole form, then save it at once; a refusal changes nothing (VM-8).

    Raises:
        BadAudio: an uploaded file is not WAV (PCM) or MP3, or larger than 10 MB.
        BadOptions: a choice lacks its file (Personal name, Simple, Scheduled, Conditional).
        PermissionDenied: a Scheduled greeting without the "Scheduled greeting" privilege.
    """
    current = options(store, user)
    name, greeting = VoicemailName(form.name), GreetingType(form.greeting)
    if greeting is GreetingType.SCHEDULED or any(k.startswith(SCHEDULE_PREFIX) for k in form.greeting_files):
        require(user, Privilege.SCHEDULED_GREETING)
    unknown = sorted((set(form.greeting_files) | set(form.drop_greetings)) - _greeting_kinds(current))
    if unknown:
        raise BadOptions(f"There is no greeting {unknown[0]!r} to set.")
    uploads: list[tuple[bytes, str]] = []
    name_sha = boxes.prefs(store, user.number).name_sha256
    if form.name_file is not None:
        uploads.append((form.name_file, _MIME[check_audio(form.name_file).format]))
        name_sha = blobs.digest(form.name_file)
    new_files: dict[str, str] = {}
    for kind, data in form.greeting_files.items():
        uploads.append((data, _MIME[check_audio(data).format]))
        new_files[kind] = blobs.digest(data)
    dropped = set(form.drop_greetings) - set(new_files)
    files = (set(current.greeting_files) - dropped) | set(new_files)

    if name is VoicemailName.PERSONAL and name_sha is None:
        raise BadOptions("A Personal name needs a recording: click Call me or upload a file.")
    if greeting is GreetingType.SIMPLE and SIMPLE not in files:
        raise BadOptions("A Simple greeting needs an audio file.")
    if greeting is GreetingType.SCHEDULED and not any(k.startswith(SCHEDULE_PREFIX) for k in files):
        raise BadOptions("A Scheduled greeting needs a schedule with an audio file.")
    if greeting is GreetingType.CONDITIONAL and not files & {g.value for g in ConditionalGreeting}:
        raise BadOptions("A Conditional greeting needs an audio file for Busy or Unavailable.")

    boxes.save_prefs(
        store,
        user.number,
        VoicemailPrefs(bool(form.operator), name, name_sha, greeting),
        uploads=uploads,
        greetings_set=new_files,
        greetings_dropped=dropped,
        now=now,
    )
    return options(store, user)


def call_me(store: Store, user: User, now: datetime) -> str:
    """Record a Personal name by phone (simulated: the name is spoken); return the notice (VM-8).

    The phone would ring and record what the user says; fvkit renders the display name
    instead and makes it the Personal name at once.
    """
    require_screen(user, Screen.VOICEMAIL)
    wav = render_message(zlib.crc32(user.number.encode()), user.extension.display_name, CALL_ME_SECONDS)
    stored = boxes.prefs(store, user.number)
    boxes.save_prefs(
        store,
        user.number,
        VoicemailPrefs(stored.operator, VoicemailName.PERSONAL, blobs.digest(wav), stored.greeting),
        uploads=[(wav, _MIME["wav"])],
        now=now,
    )
    return CALL_ME_SENT


def name_audio(store: Store, user: User) -> bytes | None:
    """Return the user's Personal name recording, if they have one."""
    require_screen(user, Screen.VOICEMAIL)
    sha = boxes.prefs(store, user.number).name_sha256
    blob = blobs.get(store, sha) if sha else None
    return blob.content if blob else None


def greeting_audio(store: Store, user: User, kind: str) -> bytes | None:
    """Return one of the user's greeting files (Simple, Busy, Unavailable, schedule:<name>)."""
    require_screen(user, Screen.VOICEMAIL)
    sha = boxes.greetings(store, user.number).get(kind)
    blob = blobs.get(store, sha) if sha else None
    return blob.content if blob else None
