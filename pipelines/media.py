"""Download voicemails and recordings as WAV, several at once as one TGZ (VM-7, REC-3, PIPE-3).

Each file is named after what the list shows - the other party, the time in the user's time
zone, the length - so an unpacked bundle sorts by time and reads without the portal:

    voicemail_2026-10-05_0912_from_12125550100_Jane-Doe_00m27s.wav
    recording_2026-10-05_1430_with_7102_Arthur-Dent_01m04s.wav

Names keep only [A-Za-z0-9._-]; two messages that would share a name get their id appended
(`..._00m27s_id17.wav`). The bundle is a gzip-compressed tar of those WAVs with no folders.
The rules (ownership, privileges) are `fvkit.portal.messages`'; nothing is rendered before
every id passed them.
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
from collections.abc import Iterable
from datetime import UTC

from fvkit.domain.clock import to_local
from fvkit.portal.auth import User
from fvkit.portal.messages import Kind, MessageHeader, audio
from fvkit.store.db import Store

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: voicemail comes "from" its caller; a recording is a call "with" the other party
_PREPOSITION = {Kind.VOICEMAIL: "from", Kind.RECORDING: "with"}


def _clean(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-.")


def file_name(header: MessageHeader, time_zone: str) -> str:
    """Return the download name of a message, its time shown in `time_zone`."""
    local = to_local(header.time, time_zone)
    minutes, seconds = divmod(header.duration, 60)
    parts = [header.kind.value, f"{local:%Y-%m-%d_%H%M}", _PREPOSITION[header.kind]]
    parts += [p for p in (_clean(header.party), _clean(header.party_name)) if p] or ["unknown"]
    parts.append(f"{minutes:02d}m{seconds:02d}s")
    return "_".join(parts) + ".wav"


def _one(store: Store, user: User, kind: Kind, message_id: int) -> tuple[str, bytes]:
    ((header, wav),) = audio(store, user, kind, [message_id])
    return file_name(header, user.time_zone), wav


def voicemail_file(store: Store, user: User, message_id: int) -> tuple[str, bytes]:
    """Return one of the user's voicemails as (file name, WAV bytes) (VM-7)."""
    return _one(store, user, Kind.VOICEMAIL, message_id)


def recording_file(store: Store, user: User, message_id: int) -> tuple[str, bytes]:
    """Return one of the user's recordings as (file name, WAV bytes) (REC-3)."""
    return _one(store, user, Kind.RECORDING, message_id)


def _tgz(files: Iterable[tuple[MessageHeader, bytes]], time_zone: str) -> bytes:
    out = io.BytesIO()
    used: set[str] = set()
    # NOTE: gzip's header time is fixed at 0 and each member carries its message's time,
    # so the same selection gives the same bytes on every download.
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for header, wav in files:
            name = file_name(header, time_zone)
            if name in used:
                name = name.removesuffix(".wav") + f"_id{header.id}.wav"
            used.add(name)
            info = tarfile.TarInfo(name)
            info.size = len(wav)
            info.mtime = int(header.time.replace(tzinfo=UTC).timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(wav))
    return out.getvalue()


def _bundle(store: Store, user: User, kind: Kind, ids: list[int]) -> bytes:
    if not ids:
        raise ValueError(f"Select at least one {kind}.")
    return _tgz(audio(store, user, kind, ids), user.time_zone)


def voicemails_tgz(store: Store, user: User, ids: list[int]) -> bytes:
    """Return several of the user's voicemails as one TGZ of WAV files (VM-7, PIPE-3)."""
    return _bundle(store, user, Kind.VOICEMAIL, ids)


def recordings_tgz(store: Store, user: User, ids: list[int]) -> bytes:
    """Return several of the user's recordings as one TGZ of WAV files (guide p.32, REC-3)."""
    return _bundle(store, user, Kind.RECORDING, ids)
