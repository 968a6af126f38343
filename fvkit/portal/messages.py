"""Who may download which voicemail or recording (VM-7, REC-3, AUTH-5), and their audio.

A user gets only messages whose owner is their own extension. Voicemail needs the
Voicemail screen; recordings need the "Call recording access" privilege (guide p.32).
An id that does not exist raises LookupError; one that belongs to someone else raises
PermissionDenied, before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fvkit.domain.org import Privilege
from fvkit.domain.screens import Screen
from fvkit.portal.auth import PermissionDenied, User, require, require_screen
from fvkit.sim import media
from fvkit.store import media_files
from fvkit.store import voicemail as voicemail_store
from fvkit.store.db import Store


class Kind(StrEnum):
    """The two kinds of audio message a user downloads."""

    VOICEMAIL = "voicemail"
    RECORDING = "recording"


@dataclass(frozen=True, slots=True)
class MessageHeader:
    """One message as a download names it."""

    kind: Kind
    id: int
    party: str  # caller of a voicemail, other party of a recording
    party_name: str
    time: datetime  # naive UTC: received / started
    duration: int  # seconds


def _allow(user: User, kind: Kind) -> None:
    if kind is Kind.VOICEMAIL:
        require_screen(user, Screen.VOICEMAIL)
    else:
        require(user, Privilege.CALL_RECORDING_ACCESS)


def headers(store: Store, user: User, kind: Kind, ids: list[int]) -> list[MessageHeader]:
    """Return the user's messages with these ids, in the ids' order (duplicates once).

    A voicemail may also come from a box the administrator shared with the user (VM-2).

    Raises:
        PermissionDenied: the user may not download this kind, or an id is another owner's.
        LookupError: an id does not exist.
    """
    _allow(user, kind)
    wanted = list(dict.fromkeys(int(i) for i in ids))
    rows = media_files.message_headers(store, kind.value, wanted).to_pylist()
    owners = {user.number}
    if kind is Kind.VOICEMAIL and user.extension.can(Privilege.VOICEMAIL_OWNERS):
        owners |= {n for n, _ in voicemail_store.shared_owners(store, user.number)}  # VM-2 shared boxes
    foreign = [r["id"] for r in rows if r["owner"] not in owners]
    if foreign:
        raise PermissionDenied(f"Extension {user.number} may not download {kind} {foreign[0]}.")
    missing = sorted(set(wanted) - {r["id"] for r in rows})
    if missing:
        raise LookupError(f"no {kind} {missing[0]}")
    return [MessageHeader(kind, r["id"], r["party"], r["party_name"], r["time"], int(r["duration"])) for r in rows]


def audio(store: Store, user: User, kind: Kind, ids: list[int]) -> Iterator[tuple[MessageHeader, bytes]]:
    """Check every id first (as `headers`), then render the messages one at a time as WAV.

    Rendering is lazy so a bundle of many messages never holds all their audio at once.
    """
    checked = headers(store, user, kind, ids)  # raises before anything is rendered
    render = media.voicemail_wav if kind is Kind.VOICEMAIL else media.recording_wav
    return ((h, render(store, h.id)) for h in checked)
