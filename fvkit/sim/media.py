"""Render the simulator's voicemails, recordings and faxes from their stored recipes (SIM-6).

A month of traffic stores a seed and a script per message, not gigabytes of audio: the
file is made when someone plays or downloads it, the same bytes every time on one machine.
"""

from __future__ import annotations

import json
from typing import Any

from fvkit.domain.clock import to_local
from fvkit.media.audio import render_message, render_recording
from fvkit.media.fax import render_fax
from fvkit.store import Store
from fvkit.store.messages import message_row
from fvkit.store.org import organisation


def _row(store: Store, table: str, message_id: int) -> dict[str, Any]:
    row = message_row(store, table, message_id)
    if row is None:
        raise LookupError(f"no {table} {message_id}")
    return row


def voicemail_wav(store: Store, message_id: int) -> bytes:
    """Return a voicemail as WAV 8 kHz mono 16-bit PCM."""
    vm = _row(store, "voicemail", message_id)
    return render_message(int(vm["seed"]), str(vm["script"]), float(vm["duration"]))


def recording_wav(store: Store, message_id: int) -> bytes:
    """Return a personal recording, its *31 pauses cut out, as WAV 8 kHz mono 16-bit PCM."""
    rec = _row(store, "recording", message_id)
    paused = [(float(a), float(b)) for a, b in json.loads(rec["paused"])]
    whole = float(rec["duration"]) + sum(b - a for a, b in paused)
    return render_recording(int(rec["seed"]), str(rec["script"]), whole, paused)


def fax_pdf(store: Store, message_id: int) -> bytes:
    """Return a received or sent fax as a PDF of its pages."""
    fax = _row(store, "fax", message_id)
    # a fax machine stamps its own clock: the organisation's local time, as the lists show it
    sent_at = f"{to_local(fax['time'], str(organisation(store)['time_zone'])):%Y-%m-%d %H:%M}"
    inbox = fax["box"] == "Inbox"
    sender, recipient = (fax["remote_number"], fax["owner"]) if inbox else (fax["owner"], fax["remote_number"])
    return render_fax(int(fax["seed"]), int(fax["pages"]), sender, recipient, "", sent_at)
