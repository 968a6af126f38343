"""Personal recordings (REC-2): one owner's list, deleting and forwarding (copying) rows.

Every statement names the owner, so a caller that passes the signed-in user's number can
neither list, delete nor forward another extension's recordings, whatever ids it sends.
"""

from __future__ import annotations

import pyarrow as pa

from fvkit.domain.org import ExtensionType
from fvkit.store.db import Store
from fvkit.store.org import take_message_ids

#: the simulator's counter of voicemail, recording and fax ids (fvkit.sim.run); a forwarded
#: copy takes its id from it too, so traffic simulated later never reuses that id


def list_recordings(store: Store, owner: str, limit: int, offset: int = 0) -> pa.Table:
    """Return a page of the owner's recordings, newest first.

    Columns: id, peer, peer_name, started (naive UTC), duration (seconds kept), paused
    (JSON of [from_s, to_s] spans), forwarded_from and forwarded_name ('' when not forwarded).
    """
    return store.arrow(
        "SELECT r.id, r.peer, r.peer_name, r.started, r.duration, r.paused, r.forwarded_from, "
        "coalesce(e.display_name, '') AS forwarded_name "
        "FROM recording r LEFT JOIN extension e ON e.number = r.forwarded_from AND r.forwarded_from <> '' "
        "WHERE r.owner = ? ORDER BY r.started DESC, r.id DESC LIMIT ? OFFSET ?",
        [owner, limit, offset],
    )


def recording_count(store: Store, owner: str) -> int:
    """Return how many recordings the owner has; read once per data version."""
    sql = "SELECT count(*) FROM recording WHERE owner = ?"
    return store.memo(("recording_count", owner), lambda: int(store.execute(sql, [owner]).fetchall()[0][0]))


def delete_recordings(store: Store, owner: str, ids: list[int]) -> int:
    """Delete those of the ids that belong to the owner; return how many were deleted."""
    with store.transaction() as cur:
        gone = cur.execute(
            "DELETE FROM recording WHERE owner = ? AND id IN (SELECT unnest(?::BIGINT[])) RETURNING id",
            [owner, ids],
        ).fetchall()
    return len(gone)


def forward_recordings(store: Store, owner: str, ids: list[int], to: str) -> list[int]:
    """Copy the owner's recordings with these ids to extension `to`, one new row each.

    The copy keeps the call's party, time, audio recipe and pauses; its owner is `to` and
    `forwarded_from` names the owner. Ids that are not the owner's are skipped.

    Returns:
        The copies' new ids, in the order of `ids`.
    """
    with store.transaction() as cur:
        found = cur.execute(
            "SELECT id FROM recording WHERE owner = ? AND id IN (SELECT unnest(?::BIGINT[])) "
            "ORDER BY list_position(?::BIGINT[], id)",
            [owner, ids, ids],
        ).fetchall()
        new_ids = take_message_ids(cur, len(found))
        for (old,), new in zip(found, new_ids, strict=True):
            cur.execute(
                "INSERT INTO recording (id, owner, linkedid, peer, peer_name, started, duration, paused, "
                "forwarded_from, seed, script) "
                "SELECT ?, ?, linkedid, peer, peer_name, started, duration, paused, owner, seed, script "
                "FROM recording WHERE id = ? AND owner = ?",
                [new, to, old, owner],
            )
    return new_ids


def user_extensions(store: Store) -> pa.Table:
    """Return number and display_name of every User-type extension, by number (forward targets)."""
    return store.arrow(
        "SELECT number, display_name FROM extension WHERE ext_type = ? ORDER BY number",
        [ExtensionType.USER.value],
    )
