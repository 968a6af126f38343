"""Call Recording (guide p.31-32): the user's personal recordings - list, play, delete, forward.

Every action needs the "Call recording access" privilege and touches only the user's own
recordings (REC-2, AUTH-5); making recordings needs "Personal recording" (REC-1). Downloads
(REC-3) are `pipelines.media`'s, under the same rules (`fvkit.portal.messages`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl

from fvkit.domain.limits import HISTORY_PAGE_SIZE
from fvkit.domain.org import ExtensionType, Privilege
from fvkit.domain.screens import Screen
from fvkit.portal.auth import User, require_screen
from fvkit.portal.display import ListPage, clamp_page, durations, hms, local_times, span
from fvkit.portal.messages import Kind, audio, headers
from fvkit.store import accounts, recordings
from fvkit.store.db import Store

PAGE_SIZE = HISTORY_PAGE_SIZE  # the portal's lists page by 25 rows (guide p.14 "1-25 of 59")

HOW_TO_RECORD = "Press *30 during a call to record, *31 to pause, *30 to resume."  # guide p.31
CANNOT_RECORD = (  # guide p.31 prerequisite: "monitor/recording, personal recording option"
    "Your extension cannot record calls; ask your administrator for the personal recording privilege."
)
CONSENT = (  # guide p.31 note
    "Before recording a call, have the agreement of the person you are talking with "
    "or check your local laws regarding phone recording."
)

#: the list's columns, by the key `list_page` computes them under
LIST_LABELS = {
    "party": "From/To",
    "started": "Start",
    "duration": "Duration",
    "paused": "Paused",
    "forwarded": "Forwarded From",
}


class CannotForward(ValueError):
    """A forward the portal refuses; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class RecordingHelp:
    """What the page says about making recordings (REC-1)."""

    can_record: bool
    text: str


def recording_help(user: User) -> RecordingHelp:
    """Return whether the user's extension may record calls, and how (guide p.31)."""
    if user.extension.can(Privilege.PERSONAL_RECORDING):
        return RecordingHelp(True, HOW_TO_RECORD)
    return RecordingHelp(False, CANNOT_RECORD)


def _name_number(name: str, number: str) -> str:
    return f"{name} {number}" if name else number


def paused_label(paused: str) -> str:
    """Return a recording's *31 pauses as the list shows them: "1 pause, 00:00:24"."""
    spans = json.loads(paused) if paused else []
    if not spans:
        return ""
    seconds = round(sum(float(b) - float(a) for a, b in spans))
    return f"{len(spans)} pause{'' if len(spans) == 1 else 's'}, {hms(seconds)}"


def list_page(store: Store, user: User, page: int = 1, size: int = PAGE_SIZE) -> ListPage:
    """Return page `page` (from 1) of the user's recordings, newest first (REC-2)."""
    require_screen(user, Screen.CALL_RECORDING)
    total = recordings.recording_count(store, user.number)
    page = clamp_page(page, size, total)
    frame = pl.from_arrow(recordings.list_recordings(store, user.number, size, (page - 1) * size))
    assert isinstance(frame, pl.DataFrame)
    frame = local_times(durations(frame, ["duration"]), ["started"], user.time_zone)
    shown = frame.select(
        "id",
        pl.Series(
            "party", [_name_number(n, p) for n, p in zip(frame["peer_name"], frame["peer"], strict=True)], pl.String
        ),
        "started",
        "duration",
        pl.Series("paused", [paused_label(p) for p in frame["paused"]], pl.String),
        pl.Series(
            "forwarded",
            [
                _name_number(n, f) if f else ""
                for n, f in zip(frame["forwarded_name"], frame["forwarded_from"], strict=True)
            ],
            pl.String,
        ),
    ).rename(LIST_LABELS)
    return ListPage(shown, *span(page, size, total, shown.height), total)


def play(store: Store, user: User, recording_id: int) -> bytes:
    """Return one of the user's recordings as WAV 8 kHz mono 16-bit, pauses cut out."""
    require_screen(user, Screen.CALL_RECORDING)
    ((_, wav),) = audio(store, user, Kind.RECORDING, [recording_id])
    return wav


def _own(store: Store, user: User, ids: list[int]) -> list[int]:
    """Return the ids, once each, after checking they are all the user's recordings."""
    require_screen(user, Screen.CALL_RECORDING)
    if not ids:
        raise ValueError("Select at least one recording.")
    return [h.id for h in headers(store, user, Kind.RECORDING, ids)]


def delete(store: Store, user: User, ids: list[int]) -> int:
    """Delete the user's recordings with these ids (the page asks first); return how many.

    Raises:
        PermissionDenied: an id is another extension's, or the user lacks the privilege.
        LookupError: an id does not exist (nothing is deleted).
    """
    return recordings.delete_recordings(store, user.number, _own(store, user, ids))


def forward_targets(store: Store, user: User) -> dict[str, str]:
    """Return the extensions a recording can be forwarded to: number -> "Name Number"."""
    require_screen(user, Screen.CALL_RECORDING)
    table = recordings.user_extensions(store).to_pylist()
    return {r["number"]: _name_number(r["display_name"], r["number"]) for r in table if r["number"] != user.number}


def forward(store: Store, user: User, ids: list[int], to: str) -> list[int]:
    """Copy the user's recordings to another User extension's list (guide p.32); return the copies' ids.

    Raises:
        CannotForward: `to` is the user's own extension or not a User extension.
        PermissionDenied: an id is another extension's, or the user lacks the privilege.
        LookupError: an id does not exist (nothing is copied).
    """
    checked = _own(store, user, ids)
    target = accounts.get_extension(store, to.strip())
    if target is None or target.ext_type is not ExtensionType.USER:
        raise CannotForward(f"{to} is not a user extension.")
    if target.number == user.number:
        raise CannotForward("Choose another extension: the recording is already yours.")
    return recordings.forward_recordings(store, user.number, checked, target.number)
