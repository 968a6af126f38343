"""Conference > Conferencing Options: the announcement attendees hear (CONF-5, guide p.38-39)."""

from __future__ import annotations

import zlib
from datetime import datetime

from fvkit.domain.limits import (
    ANNOUNCEMENT_MAX_BYTES,
    CONFERENCE_ANNOUNCEMENT_CHANNELS,
    CONFERENCE_ANNOUNCEMENT_RATE_HZ,
    CONFERENCE_ANNOUNCEMENT_SAMPLE_BYTES,
    MB,
)
from fvkit.domain.screens import Screen
from fvkit.media.audio import audio_info, render_message
from fvkit.portal.auth import User, require_screen
from fvkit.portal.conference import CALL_ME_SECONDS, CALL_ME_SENT, BadEvent
from fvkit.store import blobs
from fvkit.store import conferences as stored
from fvkit.store.db import Store


def check_announcement(data: bytes) -> None:
    """Refuse anything but a mono, 8 kHz, 16-bit PCM WAV, saying why (guide p.39)."""
    if len(data) > ANNOUNCEMENT_MAX_BYTES:
        # NOTE: p.39 names no size; the p.28 announcement limit is borrowed.
        raise BadEvent(f"The announcement must be at most {ANNOUNCEMENT_MAX_BYTES // MB} MB.")
    info = audio_info(data)
    if info.format != "wav" or info.rate <= 0:
        raise BadEvent("The announcement must be a WAV file.")
    if info.channels != CONFERENCE_ANNOUNCEMENT_CHANNELS:
        raise BadEvent(f"The announcement must be mono; this file has {info.channels} channels.")
    if info.rate != CONFERENCE_ANNOUNCEMENT_RATE_HZ:
        raise BadEvent(f"The announcement must be 8 kHz; this file is {info.rate:,} Hz.")
    if not info.pcm or info.sample_bytes != CONFERENCE_ANNOUNCEMENT_SAMPLE_BYTES:
        raise BadEvent("The announcement must be 16-bit PCM.")


def upload_announcement(store: Store, user: User, data: bytes, now: datetime) -> None:
    """Make an uploaded WAV the user's conference announcement (Upload)."""
    require_screen(user, Screen.CONFERENCE)
    check_announcement(data)
    with store.transaction():
        sha = blobs.put(store, data, "audio/wav", now)
        stored.set_announcement(store, user.number, sha, "", now)


def call_me_announcement(store: Store, user: User, now: datetime) -> str:
    """Record the announcement by phone ("Call me", simulated); return the notice.

    The phone would ring and record the user; fvkit keeps a script and renders it when played.
    """
    require_screen(user, Screen.CONFERENCE)
    script = f"Welcome to {user.extension.display_name}'s conference."
    stored.set_announcement(store, user.number, None, script, now)
    return CALL_ME_SENT


def announcement_audio(store: Store, user: User) -> bytes | None:
    """Return the user's announcement as WAV bytes, None when there is none."""
    require_screen(user, Screen.CONFERENCE)
    found = stored.announcement(store, user.number)
    if found is None:
        return None
    sha, script, _ = found
    blob = blobs.get(store, sha) if sha else None
    if blob is not None:
        return blob.content
    return render_message(zlib.crc32(user.number.encode()), script, CALL_ME_SECONDS)
