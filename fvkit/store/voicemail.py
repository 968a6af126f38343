"""Voicemail boxes (guide p.17-20): list, flags, delete, forward, shared boxes and options.

Every read and write names the boxes (`owners`) it may touch: the portal decides which
boxes a viewer may see (VM-2, AUTH-5); the SQL only ever touches rows of those boxes, so
an id of another box is silently not found here and reported by the portal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from fvkit.domain.org import ExtensionType
from fvkit.domain.prefs import (
    DEFAULT_THEME,
    DEFAULT_TIME_ZONE,
    DEFAULT_WEB_LANGUAGE,
    PHONE_LANGUAGES,
    GreetingType,
    VoicemailBox,
    VoicemailName,
    VoicemailNotification,
)
from fvkit.store import blobs
from fvkit.store.db import Store
from fvkit.store.org import take_message_ids

#: the list filter as SQL (guide p.17): Inbox is the new ones, Old the listened-to ones
_BOX_SQL = {
    VoicemailBox.ALL: "true",
    VoicemailBox.INBOX: "v.is_new",
    VoicemailBox.URGENT: "v.urgent",
    VoicemailBox.OLD: "NOT v.is_new",
}
#: the flags Mark As ... sets (guide p.18)
FLAGS = ("is_new", "urgent")
#: the simulator's counter of voicemail, recording and fax ids (fvkit.sim.run)

# --- shared boxes (VM-2) -------------------------------------------------------------


def shared_owners(store: Store, viewer: str) -> list[tuple[str, str]]:
    """Return (number, display name) of the boxes shared with the viewer, by number."""
    rows = store.execute(
        "SELECT s.owner, coalesce(e.display_name, '') FROM voicemail_share s "
        "LEFT JOIN extension e ON e.number = s.owner "
        "WHERE s.viewer = ? AND s.owner <> s.viewer ORDER BY s.owner",
        [viewer],
    ).fetchall()
    return [(str(number), str(name)) for number, name in rows]


def share(store: Store, viewer: str, owners: Iterable[str]) -> None:
    """Let the viewer see these boxes too (an administrator's action)."""
    for owner in owners:
        store.execute("INSERT INTO voicemail_share VALUES (?, ?) ON CONFLICT DO NOTHING", [viewer, owner])


def user_boxes(store: Store) -> list[tuple[str, str]]:
    """Return (number, display name) of every User-type extension, the boxes a voicemail can go to."""
    rows = store.execute(
        "SELECT number, display_name FROM extension WHERE ext_type = ? ORDER BY number",
        [ExtensionType.USER.value],
    ).fetchall()
    return [(str(number), str(name)) for number, name in rows]


# --- the list (VM-1, VM-2) -------------------------------------------------------------


def counts(store: Store, owners: Sequence[str]) -> dict[VoicemailBox, int]:
    """Return how many voicemails of these boxes each filter shows; read once per data version."""

    def read() -> tuple[int, ...]:
        row = store.execute(
            "SELECT count(*), count(*) FILTER (WHERE v.is_new), count(*) FILTER (WHERE v.urgent), "
            "count(*) FILTER (WHERE NOT v.is_new) "
            "FROM voicemail v WHERE v.owner IN (SELECT unnest(?::VARCHAR[]))",
            [list(owners)],
        ).fetchall()[0]
        return tuple(int(n) for n in row)

    return dict(zip(_BOX_SQL, store.memo(("voicemail_counts", tuple(owners)), read), strict=True))


def page(store: Store, owners: Sequence[str], box: VoicemailBox, limit: int, offset: int = 0) -> pa.Table:
    """Return the voicemails of these boxes the filter shows, newest first.

    Columns: id, owner, owner_name, caller, caller_name, received (naive UTC), duration,
    urgent, is_new, forwarded_from.
    """
    return store.arrow(
        "SELECT v.id, v.owner, coalesce(e.display_name, '') AS owner_name, v.caller, v.caller_name, "
        "v.received, v.duration, v.urgent, v.is_new, v.forwarded_from "
        "FROM voicemail v LEFT JOIN extension e ON e.number = v.owner "
        f"WHERE v.owner IN (SELECT unnest(?::VARCHAR[])) AND {_BOX_SQL[VoicemailBox(box)]} "
        "ORDER BY v.received DESC, v.id DESC LIMIT ? OFFSET ?",
        [list(owners), int(limit), int(offset)],
    )


def owners_of(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Return the box (owner) of each existing id among these; unknown ids are absent."""
    rows = store.execute(
        "SELECT id, owner FROM voicemail WHERE id IN (SELECT unnest(?::BIGINT[]))",
        [[int(i) for i in ids]],
    ).fetchall()
    return {int(i): str(owner) for i, owner in rows}


def message(store: Store, owners: Sequence[str], message_id: int) -> dict[str, Any] | None:
    """Return one voicemail row of these boxes, or None."""
    rows = store.arrow(
        "SELECT * FROM voicemail WHERE id = ? AND owner IN (SELECT unnest(?::VARCHAR[]))",
        [int(message_id), list(owners)],
    ).to_pylist()
    return rows[0] if rows else None


# --- changes (VM-3..6) ----------------------------------------------------------------


def set_flag(store: Store, owners: Sequence[str], ids: Sequence[int], flag: str, value: bool) -> int:
    """Set is_new or urgent on these voicemails of these boxes; return how many rows matched."""
    if flag not in FLAGS:
        raise ValueError(f"not a voicemail flag: {flag}")
    rows = store.execute(
        f"UPDATE voicemail SET {flag} = ? "
        "WHERE id IN (SELECT unnest(?::BIGINT[])) AND owner IN (SELECT unnest(?::VARCHAR[])) RETURNING id",
        [bool(value), [int(i) for i in ids], list(owners)],
    ).fetchall()
    return len(rows)


def delete(store: Store, owners: Sequence[str], ids: Sequence[int]) -> int:
    """Delete these voicemails of these boxes; return how many were deleted."""
    rows = store.execute(
        "DELETE FROM voicemail "
        "WHERE id IN (SELECT unnest(?::BIGINT[])) AND owner IN (SELECT unnest(?::VARCHAR[])) RETURNING id",
        [[int(i) for i in ids], list(owners)],
    ).fetchall()
    return len(rows)


def forward(store: Store, owners: Sequence[str], ids: Sequence[int], target: str) -> list[int]:
    """Copy these voicemails into the target's box as new ones; return the copies' ids.

    A copy keeps the caller, time, length, urgency and recipe (so it plays the same audio);
    `forwarded_from` names the box it came from. New ids continue the simulator's media
    counter, in one transaction with the copies, so later simulated messages do not reuse them.
    """
    wanted = [int(i) for i in dict.fromkeys(ids)]
    new_ids: list[int] = []
    with store.transaction() as cur:
        found = cur.execute(
            "SELECT id FROM voicemail WHERE id IN (SELECT unnest(?::BIGINT[])) "
            "AND owner IN (SELECT unnest(?::VARCHAR[])) ORDER BY list_position(?::BIGINT[], id)",
            [wanted, list(owners), wanted],
        ).fetchall()
        for (source,), next_id in zip(found, take_message_ids(cur, len(found)), strict=True):
            cur.execute(
                "INSERT INTO voicemail SELECT ?, ?, linkedid, caller, caller_name, received, duration, "
                "urgent, true, owner, seed, script FROM voicemail WHERE id = ?",
                [next_id, target, int(source)],
            )
            new_ids.append(next_id)
    return new_ids


# --- options (VM-8) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoicemailPrefs:
    """The voicemail columns of a user's preference row."""

    operator: bool = False
    name: VoicemailName = VoicemailName.STANDARD
    name_sha256: str | None = None
    greeting: GreetingType = GreetingType.STANDARD


def prefs(store: Store, owner: str) -> VoicemailPrefs:
    """Return the owner's voicemail options (the defaults when they never saved any)."""
    rows = store.execute(
        "SELECT vm_operator, vm_name, vm_name_sha256, greeting_type FROM preference WHERE owner = ?",
        [owner],
    ).fetchall()
    if not rows:
        return VoicemailPrefs()
    operator, name, sha, greeting = rows[0]
    return VoicemailPrefs(bool(operator), VoicemailName(name), sha, GreetingType(greeting))


def greetings(store: Store, owner: str) -> dict[str, str]:
    """Return the owner's greeting files: sha256 by kind (Simple, Busy, Unavailable, schedule:<name>)."""
    rows = store.execute("SELECT kind, blob_sha256 FROM greeting WHERE owner = ? ORDER BY kind", [owner]).fetchall()
    return {str(kind): str(sha) for kind, sha in rows}


def save_prefs(
    store: Store,
    owner: str,
    new: VoicemailPrefs,
    *,
    uploads: Sequence[tuple[bytes, str]] = (),
    greetings_set: Mapping[str, str] | None = None,
    greetings_dropped: Iterable[str] = (),
    now: datetime,
) -> None:
    """Write options, uploaded files (content, MIME) and greeting changes, all or nothing.

    A user who never saved preferences gets a row with the Preferences screen's defaults.
    """
    with store.transaction() as cur:
        for content, mime in uploads:
            blobs.put(store, content, mime, now)
        cur.execute(
            "INSERT INTO preference (owner, phone_language, web_language, theme, time_zone, vm_notification, "
            "missed_call_email, notify_emails, vm_operator, vm_name, vm_name_sha256, greeting_type) "
            "SELECT ?, ?, ?, ?, ?, ?, false, coalesce((SELECT email FROM extension WHERE number = ?), ''), "
            "?, ?, ?, ? "
            "ON CONFLICT (owner) DO UPDATE SET vm_operator = excluded.vm_operator, vm_name = excluded.vm_name, "
            "vm_name_sha256 = excluded.vm_name_sha256, greeting_type = excluded.greeting_type",
            [
                owner,
                PHONE_LANGUAGES[0],
                DEFAULT_WEB_LANGUAGE,
                DEFAULT_THEME.value,
                DEFAULT_TIME_ZONE,
                VoicemailNotification.NONE.value,
                owner,
                new.operator,
                new.name.value,
                new.name_sha256,
                new.greeting.value,
            ],
        )
        for kind, sha in (greetings_set or {}).items():
            cur.execute(
                "INSERT INTO greeting VALUES (?, ?, ?) "
                "ON CONFLICT (owner, kind) DO UPDATE SET blob_sha256 = excluded.blob_sha256",
                [owner, kind, sha],
            )
        for kind in greetings_dropped:
            cur.execute("DELETE FROM greeting WHERE owner = ? AND kind = ?", [owner, kind])
