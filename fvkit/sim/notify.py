"""Notification emails for the calls a batch added: new voicemails and missed calls (PREF-9, NOTIF-1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa

from fvkit.domain.calls import TAKEN
from fvkit.domain.prefs import VoicemailNotification
from fvkit.media.mail import Attachment, MailSettings, compose, deliver
from fvkit.sim.media import voicemail_wav
from fvkit.store import Store
from fvkit.store.notifications import notification_options


def notify(store: Store, rows: dict[str, pa.Table], now: datetime, mail: MailSettings) -> tuple[str, ...]:
    """Email new voicemails and missed calls to those who asked for it; return where each went."""
    options = notification_options(store)
    sent: list[str] = []
    for vm in rows["voicemail"].to_pylist() if "voicemail" in rows else []:
        opt = options.get(vm["owner"])
        how = opt and opt["vm_notification"]
        if not opt or how == VoicemailNotification.NONE.value or not _addresses(opt):
            continue
        caller = vm["caller_name"] or vm["caller"]
        attachments: tuple[Attachment, ...] = ()
        if how == VoicemailNotification.WITH_ATTACHMENT.value:
            attachments = (Attachment(f"voicemail-{vm['id']}.wav", voicemail_wav(store, vm["id"]), "audio/wav"),)
        text = (
            f"{opt['display_name']}, you have a new voicemail from {caller} ({vm['caller']}) "
            f"in mailbox {vm['owner']}, {vm['duration']} seconds long.\n"
        )
        msg = compose(_addresses(opt), f"New voicemail from {caller}", text, now, attachments=attachments)
        sent.append(deliver(msg, mail))
    missed = _missed(rows["cdr"])
    for call in missed:
        opt = options.get(call["owner"])
        if not opt or not opt["missed_call_email"] or not _addresses(opt):
            continue
        caller = call["from_name"] or call["src"]
        text = f"{opt['display_name']}, you missed a call from {caller} ({call['src']}).\n"
        msg = compose(_addresses(opt), f"Missed call from {caller}", text, now)
        sent.append(deliver(msg, mail))
    return tuple(sent)


def _addresses(option: dict[str, Any]) -> list[str]:
    return [a.strip() for a in str(option["notify_emails"]).replace(";", ",").split(",") if "@" in a]


def _missed(cdr: pa.Table) -> list[dict[str, Any]]:
    """Calls to an extension nobody took in person."""
    taken = {d.value for d in TAKEN}
    return [
        r
        for r in cdr.select(["owner", "placed", "disposition", "from_name", "src"]).to_pylist()
        if not r["placed"] and r["disposition"] not in taken
    ]
