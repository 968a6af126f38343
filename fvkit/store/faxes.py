"""Faxes (FAX-1..5): lists by owner and box, sent rows, copies, cover pages, eFax accounts.

Every statement names the owners it may touch, so a caller that passes only the signed-in
user's number (or an eFax account the portal checked) can neither list nor change others' rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa

from fvkit.store.db import Store
from fvkit.store.org import take_message_ids

#: the simulator's counter of voicemail, recording and fax ids (fvkit.sim.run); a fax the
#: portal writes takes its id from it too, so traffic simulated later never reuses that id
_COLUMNS = "id, owner, box, remote_number, remote_name, time, pages, status, blob_sha256"


def list_faxes(store: Store, owners: list[str], box: str, limit: int, offset: int = 0) -> pa.Table:
    """Return a page of the owners' faxes in one box ('Inbox' / 'Sent'), newest first."""
    return store.arrow(
        f"SELECT {_COLUMNS} FROM fax WHERE owner IN (SELECT unnest(?::VARCHAR[])) AND box = ? "
        "ORDER BY time DESC, id DESC LIMIT ? OFFSET ?",
        [owners, box, limit, offset],
    )


def fax_count(store: Store, owners: list[str], box: str) -> int:
    """Return how many faxes the owners have in a box; read once per data version."""

    def read() -> int:
        sql = "SELECT count(*) FROM fax WHERE owner IN (SELECT unnest(?::VARCHAR[])) AND box = ?"
        return int(store.execute(sql, [owners, box]).fetchall()[0][0])

    return store.memo(("fax_count", tuple(owners), box), read)


def fax_rows(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    """Return the faxes with these ids (any owner: the caller checks ownership), by id."""
    table = store.arrow(f"SELECT {_COLUMNS}, seed FROM fax WHERE id IN (SELECT unnest(?::BIGINT[])) ORDER BY id", [ids])
    return list(table.to_pylist())


def add_sent(
    store: Store,
    owner: str,
    remote_number: str,
    time: datetime,
    pages: int,
    blob_sha256: str,
    status: str = "Sent",
) -> int:
    """Write a fax the owner sent (its PDF already stored as a blob); return its id."""
    with store.transaction() as cur:
        (new,) = take_message_ids(cur, 1)
        cur.execute(
            "INSERT INTO fax (id, owner, box, linkedid, remote_number, remote_name, time, pages, status, "
            "seed, blob_sha256) VALUES (?, ?, 'Sent', ?, ?, '', ?, ?, ?, 0, ?)",
            [new, owner, f"portal-{new}", remote_number, time, pages, status, blob_sha256],
        )
    return new


def copy_faxes(
    store: Store,
    owners: list[str],
    ids: list[int],
    *,
    to_owner: str,
    box: str,
    time: datetime,
    status: str,
    remote_number: str | None = None,
    remote_name: str | None = None,
    blob_sha256: str | None = None,
) -> list[int]:
    """Copy the owners' faxes with these ids into `to_owner`'s box, one new row each.

    The copy keeps the pages (seed or blob); `remote_number`, `remote_name` and
    `blob_sha256` replace the original's when given. Ids that are not the owners' are skipped.

    Returns:
        The copies' new ids, in the order of `ids`.
    """
    with store.transaction() as cur:
        found = cur.execute(
            "SELECT id FROM fax WHERE owner IN (SELECT unnest(?::VARCHAR[])) AND id IN (SELECT unnest(?::BIGINT[])) "
            "ORDER BY list_position(?::BIGINT[], id)",
            [owners, ids, ids],
        ).fetchall()
        new_ids = take_message_ids(cur, len(found))
        for (old,), new in zip(found, new_ids, strict=True):
            cur.execute(
                "INSERT INTO fax (id, owner, box, linkedid, remote_number, remote_name, time, pages, status, "
                "seed, blob_sha256) "
                "SELECT ?, ?, ?, ?, coalesce(?, remote_number), coalesce(?, remote_name), ?, pages, ?, seed, "
                "coalesce(?, blob_sha256) FROM fax WHERE id = ? AND owner IN (SELECT unnest(?::VARCHAR[]))",
                [
                    new,
                    to_owner,
                    box,
                    f"portal-{new}",
                    remote_number,
                    remote_name,
                    time,
                    status,
                    blob_sha256,
                    old,
                    owners,
                ],
            )
    return new_ids


def delete_faxes(store: Store, owners: list[str], ids: list[int]) -> int:
    """Delete those of the ids that belong to the owners; return how many were deleted."""
    with store.transaction() as cur:
        gone = cur.execute(
            "DELETE FROM fax WHERE owner IN (SELECT unnest(?::VARCHAR[])) AND id IN (SELECT unnest(?::BIGINT[])) "
            "RETURNING id",
            [owners, ids],
        ).fetchall()
    return len(gone)


def monitored_accounts(store: Store, number: str) -> list[dict[str, Any]]:
    """Return the eFax accounts (name, number, extension) this extension may monitor, by name."""
    table = store.arrow(
        "SELECT name, number, extension FROM efax_account WHERE list_contains(monitors, ?) ORDER BY name",
        [number],
    )
    return list(table.to_pylist())


def list_cover_pages(store: Store, owner: str) -> pa.Table:
    """Return the owner's cover pages (id, name, description, blob_sha256, mime, size), by name."""
    return store.arrow(
        "SELECT c.id, c.name, c.description, c.blob_sha256, coalesce(b.mime, '') AS mime, "
        "coalesce(b.size, 0) AS size FROM cover_page c LEFT JOIN media_blob b ON b.sha256 = c.blob_sha256 "
        "WHERE c.owner = ? ORDER BY lower(c.name), c.id",
        [owner],
    )


def add_cover_page(store: Store, owner: str, name: str, description: str, blob_sha256: str) -> int:
    """Write a cover page of the owner's (its file already stored as a blob); return its id."""
    with store.transaction() as cur:
        (new,) = take_message_ids(cur, 1)
        cur.execute(
            "INSERT INTO cover_page (id, owner, name, description, blob_sha256) VALUES (?, ?, ?, ?, ?)",
            [new, owner, name, description, blob_sha256],
        )
    return new


def delete_cover_pages(store: Store, owner: str, ids: list[int]) -> int:
    """Delete those of the ids that are the owner's cover pages; return how many were deleted."""
    with store.transaction() as cur:
        gone = cur.execute(
            "DELETE FROM cover_page WHERE owner = ? AND id IN (SELECT unnest(?::BIGINT[])) RETURNING id",
            [owner, ids],
        ).fetchall()
    return len(gone)


def dynamic_cover(store: Store, owner: str) -> dict[str, str] | None:
    """Return the owner's saved Dynamic Cover Page fields, or None if none was saved."""
    table = store.arrow(
        "SELECT recipient, sender, email, subject, company, comments FROM dynamic_cover_page WHERE owner = ?",
        [owner],
    )
    rows = table.to_pylist()
    return {k: str(v) for k, v in rows[0].items()} if rows else None


def save_dynamic_cover(store: Store, owner: str, fields: dict[str, str], now: datetime) -> None:
    """Keep the owner's Dynamic Cover Page, replacing the one saved before."""
    store.execute(
        "INSERT INTO dynamic_cover_page (owner, recipient, sender, email, subject, company, comments, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner) DO UPDATE SET recipient = excluded.recipient, "
        "sender = excluded.sender, email = excluded.email, subject = excluded.subject, "
        "company = excluded.company, comments = excluded.comments, updated_at = excluded.updated_at",
        [owner, *(fields[k] for k in ("recipient", "sender", "email", "subject", "company", "comments")), now],
    )
