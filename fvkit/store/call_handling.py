"""Call handling as stored (HD-1..7): quick settings, call processes, follow me, sound files.

Routing (`fvkit.sim.settings.load_settings`) reads the same tables, so whatever is
written here decides the very next call. An extension without a `handling` row gets
one with the defaults the first time one of its settings is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from fvkit.domain.handling import TwinningMode, TwinningStatus
from fvkit.domain.limits import DEFAULT_RING_DURATION_S
from fvkit.store.blobs import digest
from fvkit.store.db import Store


@dataclass(frozen=True, slots=True)
class StoredRule:
    """One row of handling_rule, in its owner's order."""

    schedule: str
    applies_to: tuple[str, ...]
    action: str
    target: str


@dataclass(frozen=True, slots=True)
class QuickSettings:
    """The handling row's quick settings (HD-1, HD-2) and the effective quick mode (HD-6)."""

    dnd: bool
    forward_to: str
    quick_status: str | None
    quick_expires: datetime | None


def _ensure(cur: duckdb.DuckDBPyConnection, owner: str) -> None:
    cur.execute(
        "INSERT INTO handling (owner, dnd, forward_to, call_waiting, ring_seconds, twinning_mode, "
        "twinning_status, twinning_number) VALUES (?, false, '', true, ?, ?, ?, '') ON CONFLICT (owner) DO NOTHING",
        [owner, DEFAULT_RING_DURATION_S, TwinningMode.DISABLED.value, TwinningStatus.DEACTIVATED.value],
    )


def quick_settings(store: Store, owner: str) -> QuickSettings:
    """Return the owner's quick settings; the defaults when nothing was stored yet."""
    rows = store.execute(
        "SELECT dnd, forward_to, quick_status, quick_expires FROM handling WHERE owner = ?", [owner]
    ).fetchall()
    if not rows:
        return QuickSettings(False, "", None, None)
    dnd, forward_to, status, expires = rows[0]
    return QuickSettings(bool(dnd), str(forward_to), status, expires)


def set_dnd(store: Store, owner: str, on: bool) -> None:
    """Turn the owner's Do not disturb on or off."""
    with store.transaction() as cur:
        _ensure(cur, owner)
        cur.execute("UPDATE handling SET dnd = ? WHERE owner = ?", [on, owner])


def set_forward(store: Store, owner: str, number: str) -> None:
    """Set the owner's Call forward number; '' turns it off."""
    with store.transaction() as cur:
        _ensure(cur, owner)
        cur.execute("UPDATE handling SET forward_to = ? WHERE owner = ?", [number, owner])


def set_quick_mode(store: Store, owner: str, status: str | None, expires: datetime | None) -> None:
    """Enter a quick mode (Out of office, Away, Other) until `expires` (naive UTC), or leave it (None)."""
    with store.transaction() as cur:
        _ensure(cur, owner)
        cur.execute(
            "UPDATE handling SET quick_status = ?, quick_expires = ? WHERE owner = ?",
            [status, expires if status else None, owner],
        )


def user_defined(store: Store, owner: str) -> set[str]:
    """Return the statuses whose call process is User defined."""
    rows = store.execute("SELECT status FROM handling_mode WHERE owner = ?", [owner]).fetchall()
    return {str(r[0]) for r in rows}


def set_user_defined(store: Store, owner: str, status: str, on: bool) -> None:
    """Make a status's call process User defined (on) or the System default action (off)."""
    with store.transaction() as cur:
        cur.execute("DELETE FROM handling_mode WHERE owner = ? AND status = ?", [owner, status])
        if on:
            cur.execute("INSERT INTO handling_mode (owner, status) VALUES (?, ?)", [owner, status])


def rules(store: Store, owner: str, status: str) -> list[StoredRule]:
    """Return the owner's rules for one status, in order."""
    rows = store.execute(
        "SELECT schedule, applies_to, action, target FROM handling_rule WHERE owner = ? AND status = ? ORDER BY seq",
        [owner, status],
    ).fetchall()
    return [StoredRule(str(s), tuple(a), str(act), str(t)) for s, a, act, t in rows]


def all_rules(store: Store, owner: str) -> dict[str, list[StoredRule]]:
    """Return every rule of the owner, by status, in order."""
    rows = store.execute(
        "SELECT status, schedule, applies_to, action, target FROM handling_rule WHERE owner = ? ORDER BY status, seq",
        [owner],
    ).fetchall()
    out: dict[str, list[StoredRule]] = {}
    for status, s, a, act, t in rows:
        out.setdefault(str(status), []).append(StoredRule(str(s), tuple(a), str(act), str(t)))
    return out


def replace_rules(store: Store, owner: str, status: str, new: list[StoredRule]) -> None:
    """Replace the owner's rules for one status with `new`, in that order, all at once."""
    with store.transaction() as cur:
        cur.execute("DELETE FROM handling_rule WHERE owner = ? AND status = ?", [owner, status])
        for seq, r in enumerate(new, start=1):
            cur.execute(
                "INSERT INTO handling_rule (owner, status, seq, schedule, applies_to, action, target) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [owner, status, seq, r.schedule, list(r.applies_to), r.action, r.target],
            )


def follow_me(store: Store, owner: str) -> dict[str, list[tuple[str, int]]]:
    """Return the owner's follow me profiles: name -> ordered (number, ring seconds)."""
    rows = store.execute(
        "SELECT profile, number, ring_seconds FROM follow_me_number WHERE owner = ? ORDER BY profile, seq", [owner]
    ).fetchall()
    out: dict[str, list[tuple[str, int]]] = {}
    for profile, number, ring in rows:
        out.setdefault(str(profile), []).append((str(number), int(ring)))
    return out


def save_follow_me(store: Store, owner: str, old_name: str | None, name: str, numbers: list[tuple[str, int]]) -> None:
    """Create a profile or replace `old_name` by `name` with these numbers, all at once."""
    with store.transaction() as cur:
        for gone in {old_name, name} - {None}:
            cur.execute("DELETE FROM follow_me_number WHERE owner = ? AND profile = ?", [owner, gone])
        for seq, (number, ring) in enumerate(numbers, start=1):
            cur.execute(
                "INSERT INTO follow_me_number (owner, profile, seq, number, ring_seconds) VALUES (?, ?, ?, ?, ?)",
                [owner, name, seq, number, ring],
            )


def delete_follow_me(store: Store, owner: str, name: str) -> int:
    """Delete one of the owner's follow me profiles; return how many numbers went."""
    rows = store.execute(
        "DELETE FROM follow_me_number WHERE owner = ? AND profile = ? RETURNING seq", [owner, name]
    ).fetchall()
    return len(rows)


def sound_files(store: Store, owner: str) -> list[dict[str, object]]:
    """Return the system sound files and the owner's: id, name, description, personal, recorded."""
    rows = store.execute(
        "SELECT id, name, description, owner IS NOT NULL, blob_sha256 IS NULL FROM sound_file "
        "WHERE owner IS NULL OR owner = ? ORDER BY owner NULLS FIRST, name",
        [owner],
    ).fetchall()
    return [
        {"id": int(i), "name": str(n), "description": str(d), "personal": bool(p), "recorded": bool(r)}
        for i, n, d, p, r in rows
    ]


def sound_file(store: Store, owner: str, sound_id: int) -> tuple[str, str | None, str] | None:
    """Return (name, blob sha256, script) of a system sound file or one of the owner's, or None."""
    rows = store.execute(
        "SELECT name, blob_sha256, script FROM sound_file WHERE id = ? AND (owner IS NULL OR owner = ?)",
        [sound_id, owner],
    ).fetchall()
    if not rows:
        return None
    name, sha, script = rows[0]
    return str(name), sha, str(script)


def insert_sound_file(
    store: Store,
    owner: str,
    name: str,
    description: str,
    *,
    content: bytes | None,
    mime: str,
    script: str,
    now: datetime,
) -> int:
    """Add a sound file of the owner: uploaded `content`, or (None) rendered from `script`; return its id."""
    with store.transaction() as cur:
        sha = None
        if content is not None:
            sha = digest(content)
            cur.execute(
                "INSERT INTO media_blob (sha256, mime, size, content, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (sha256) DO NOTHING",
                [sha, mime, len(content), content, now],
            )
        new_id = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM sound_file").fetchall()[0][0])
        cur.execute(
            "INSERT INTO sound_file (id, owner, name, description, blob_sha256, script) VALUES (?, ?, ?, ?, ?, ?)",
            [new_id, owner, name, description, sha, script],
        )
    return new_id


def delete_sound_file(store: Store, owner: str, sound_id: int) -> int:
    """Delete one of the owner's own sound files; return how many went (0 or 1)."""
    rows = store.execute("DELETE FROM sound_file WHERE id = ? AND owner = ? RETURNING id", [sound_id, owner]).fetchall()
    return len(rows)


def schedules(store: Store) -> dict[str, str]:
    """Return the organisation's schedules, sorted by name: name -> description (read again after a write)."""

    def read() -> tuple[tuple[str, str], ...]:
        rows = store.execute("SELECT name, description FROM schedule ORDER BY name").fetchall()
        return tuple((str(n), str(d)) for n, d in rows)

    return dict(store.memo(("schedules",), read))


def auto_attendants(store: Store) -> list[str]:
    """Return the organisation's auto attendant names, sorted."""
    return [str(r[0]) for r in store.execute("SELECT name FROM auto_attendant ORDER BY name").fetchall()]
