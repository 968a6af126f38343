"""Reminders (guide p.40-42): calendar events whose guests get a call at the start time."""

from __future__ import annotations

from datetime import datetime

from fvkit.store.db import Store

_COLUMNS = "id, owner, title, description, location, starts, rrule, audio, audio_sha256"


def visible(store: Store, number: str) -> list[dict[str, object]]:
    """Return the reminders an extension sees: its own, the system's and those it is a guest of."""
    rows = store.arrow(
        f"SELECT {_COLUMNS} FROM reminder r WHERE owner = ? OR owner = 'system' "
        "OR EXISTS (SELECT 1 FROM reminder_guest g WHERE g.reminder = r.id AND g.guest = ? AND NOT g.external) "
        "ORDER BY starts, id",
        [number, number],
    ).to_pylist()
    return [dict(r) for r in rows]


def every(store: Store) -> list[dict[str, object]]:
    """Return all reminders of the organisation (the reminder service's view)."""
    return [dict(r) for r in store.arrow(f"SELECT {_COLUMNS} FROM reminder ORDER BY starts, id").to_pylist()]


def get(store: Store, reminder_id: int) -> dict[str, object] | None:
    """Return one reminder, None if there is none with this id."""
    rows = store.arrow(f"SELECT {_COLUMNS} FROM reminder WHERE id = ?", [reminder_id]).to_pylist()
    return dict(rows[0]) if rows else None


def guests(store: Store, reminder_id: int) -> list[tuple[str, bool]]:
    """Return the reminder's guests as (number, external), in the order they were picked."""
    rows = store.execute(
        "SELECT guest, external FROM reminder_guest WHERE reminder = ? ORDER BY rowid", [reminder_id]
    ).fetchall()
    return [(str(g), bool(e)) for g, e in rows]


def save(
    store: Store,
    reminder_id: int | None,
    owner: str,
    fields: dict[str, object],
    guest_list: list[tuple[str, bool]],
) -> int:
    """Insert (id None) or replace a reminder and its guests in one transaction; return its id.

    `fields` holds title, description, location, starts, rrule, audio and audio_sha256.
    """
    values = [fields[k] for k in ("title", "description", "location", "starts", "rrule", "audio", "audio_sha256")]
    with store.transaction() as cur:
        if reminder_id is None:
            row = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM reminder").fetchone()
            reminder_id = int(row[0]) if row else 1
            cur.execute(
                f"INSERT INTO reminder ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [reminder_id, owner, *values],
            )
        else:
            cur.execute(
                "UPDATE reminder SET title = ?, description = ?, location = ?, starts = ?, rrule = ?, "
                "audio = ?, audio_sha256 = ? WHERE id = ? AND owner = ?",
                [*values, reminder_id, owner],
            )
            cur.execute("DELETE FROM reminder_guest WHERE reminder = ?", [reminder_id])
        for guest, external in guest_list:
            cur.execute(
                "INSERT INTO reminder_guest (reminder, guest, external) VALUES (?, ?, ?)",
                [reminder_id, guest, external],
            )
    return reminder_id


def delete(store: Store, reminder_id: int, owner: str) -> bool:
    """Delete one of the owner's reminders with its guests; return whether one was."""
    with store.transaction() as cur:
        rows = cur.execute("DELETE FROM reminder WHERE id = ? AND owner = ? RETURNING id", [reminder_id, owner])
        gone = bool(rows.fetchall())
        if gone:
            cur.execute("DELETE FROM reminder_guest WHERE reminder = ?", [reminder_id])
            cur.execute("DELETE FROM reminder_fired WHERE reminder = ?", [reminder_id])
    return gone


def mark_fired(store: Store, reminder_id: int, occurrence: datetime, fired_at: datetime, calls: int) -> bool:
    """Record that an occurrence fired; return False if it had already (another run got there first)."""
    rows = store.execute(
        "INSERT INTO reminder_fired (reminder, occurrence, fired_at, calls) VALUES (?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING RETURNING reminder",
        [reminder_id, occurrence, fired_at, calls],
    ).fetchall()
    return bool(rows)


def fired(store: Store, reminder_id: int) -> set[datetime]:
    """Return the occurrences of a reminder that have already called their guests."""
    rows = store.execute("SELECT occurrence FROM reminder_fired WHERE reminder = ?", [reminder_id]).fetchall()
    return {r[0] for r in rows}


def extensions(store: Store) -> list[tuple[str, str]]:
    """Return the organisation's user extensions as (number, display name): the guests on offer."""
    rows = store.execute(
        "SELECT number, display_name FROM extension WHERE ext_type = 'User' ORDER BY number"
    ).fetchall()
    return [(str(n), str(d)) for n, d in rows]
