"""Conference call events (guide p.36-39): events, attendees, announcements, organisation size."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fvkit.store.db import Store

_COLUMNS = (
    "id, owner, title, conference_id, attendee_pin, organizer_pin_mode, organizer_pin_hash, "
    "description, location, starts, ends, all_day, rrule, time_zone"
)
_FIELDS = tuple(c.strip() for c in _COLUMNS.split(","))


def _with_attendees(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    people: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    if ids:
        found = store.execute(
            "SELECT conference, email, display_name FROM conference_attendee "
            "WHERE conference IN (SELECT unnest(?::BIGINT[])) ORDER BY conference, rowid",
            [ids],
        ).fetchall()
        for conf, email, name in found:
            people[int(conf)].append((str(email), str(name)))
    for r in rows:
        r["attendees"] = people[r["id"]]
    return rows


def list_conferences(store: Store, owner: str) -> list[dict[str, Any]]:
    """Return the owner's events with their attendees, by start."""
    rows = store.arrow(f"SELECT {_COLUMNS} FROM conference WHERE owner = ? ORDER BY starts, id", [owner]).to_pylist()
    return _with_attendees(store, rows)


def get_conference(store: Store, owner: str, event_id: int) -> dict[str, Any] | None:
    """Return one of the owner's events with its attendees, None if the owner has no such event."""
    rows = store.arrow(f"SELECT {_COLUMNS} FROM conference WHERE owner = ? AND id = ?", [owner, event_id]).to_pylist()
    return _with_attendees(store, rows)[0] if rows else None


def schedules(store: Store, exclude: int | None = None) -> list[tuple[int, datetime, datetime, str, str]]:
    """Return (id, starts, ends, rrule, time_zone) of every user conference in the organisation."""
    rows = store.execute(
        "SELECT id, starts, ends, rrule, coalesce(time_zone, 'UTC') FROM conference WHERE id IS DISTINCT FROM ?",
        [exclude],
    ).fetchall()
    return [(int(i), s, e, str(r), str(z)) for i, s, e, r, z in rows]


def conference_id_taken(store: Store, conference_id: str) -> bool:
    """Return whether an event already uses this conference ID."""
    row = store.execute("SELECT count(*) FROM conference WHERE conference_id = ?", [conference_id]).fetchone()
    return bool(row[0])


def save_conference(
    store: Store, row: dict[str, Any], attendees: list[tuple[str, str]], event_id: int | None = None
) -> int:
    """Insert a new event, or replace the owner's event `event_id`, with its attendees; return its id.

    Raises:
        LookupError: `event_id` is not an event of `row["owner"]`; nothing is written.
    """
    values = [row[f] for f in _FIELDS[1:]]
    with store.transaction() as cur:
        if event_id is None:
            top = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM conference").fetchone()
            new_id = int(top[0]) if top else 1
            cur.execute(
                f"INSERT INTO conference ({_COLUMNS}) VALUES ({', '.join('?' * len(_FIELDS))})", [new_id, *values]
            )
        else:
            sets = ", ".join(f"{f} = ?" for f in _FIELDS[2:])
            done = cur.execute(
                f"UPDATE conference SET {sets} WHERE id = ? AND owner = ? RETURNING id",
                [*values[1:], event_id, row["owner"]],
            ).fetchall()
            if not done:
                raise LookupError(f"no conference {event_id} of {row['owner']}")
            cur.execute("DELETE FROM conference_attendee WHERE conference = ?", [event_id])
            new_id = event_id
        for email, name in attendees:
            cur.execute("INSERT INTO conference_attendee VALUES (?, ?, ?)", [new_id, email, name])
    return new_id


def delete_conference(store: Store, owner: str, event_id: int) -> bool:
    """Delete one of the owner's events and its attendees; return whether there was one."""
    with store.transaction() as cur:
        done = cur.execute(
            "DELETE FROM conference WHERE id = ? AND owner = ? RETURNING id", [event_id, owner]
        ).fetchall()
        if done:
            cur.execute("DELETE FROM conference_attendee WHERE conference = ?", [event_id])
    return bool(done)


def extension_count(store: Store) -> int:
    """Return how many extensions the organisation has (the p.36 table's "extension range")."""
    return int(store.execute("SELECT count(*) FROM extension").fetchone()[0])


def access_number(store: Store) -> str | None:
    """Return the conference access extension of the organisation, if it has one."""
    row = store.execute("SELECT access_number FROM organisation LIMIT 1").fetchone()
    return str(row[0]) if row else None


def pin_hashes(store: Store, number: str) -> tuple[str | None, str | None]:
    """Return the extension's voicemail PIN hash and personal code hash."""
    row = store.execute("SELECT vm_pin_hash, personal_code_hash FROM extension WHERE number = ?", [number]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def announcement(store: Store, owner: str) -> tuple[str | None, str, datetime] | None:
    """Return the owner's announcement (blob sha256 or None, script, updated_at), if set."""
    row = store.execute(
        "SELECT blob_sha256, script, updated_at FROM conference_announcement WHERE owner = ?", [owner]
    ).fetchone()
    return (row[0], str(row[1]), row[2]) if row else None


def set_announcement(store: Store, owner: str, blob_sha256: str | None, script: str, now: datetime) -> None:
    """Keep the owner's announcement, replacing an earlier one."""
    store.execute(
        "INSERT INTO conference_announcement (owner, blob_sha256, script, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (owner) DO UPDATE SET blob_sha256 = excluded.blob_sha256, script = excluded.script, "
        "updated_at = excluded.updated_at",
        [owner, blob_sha256, script, now],
    )
