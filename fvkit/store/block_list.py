"""Personal block lists (CT-10): the numbers routing denies for each owner (HD-9)."""

from __future__ import annotations

import pyarrow as pa

from fvkit.store.db import Store


def list_blocks(store: Store, owner: str) -> pa.Table:
    """Return the owner's block list in the order it was made: id, number, display_name, description."""
    return store.arrow(
        "SELECT id, number, display_name, description FROM block_entry WHERE owner = ? ORDER BY id",
        [owner],
    )


def insert_block(store: Store, owner: str, number: str, display_name: str, description: str) -> int:
    """Add a number to the owner's block list and return the entry's id."""
    with store.transaction() as cur:
        new_id = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM block_entry").fetchall()[0][0])
        cur.execute(
            "INSERT INTO block_entry (id, owner, number, display_name, description) VALUES (?, ?, ?, ?, ?)",
            [new_id, owner, number, display_name, description],
        )
    return new_id


def delete_blocks(store: Store, owner: str, ids: list[int]) -> int:
    """Remove entries from the owner's block list; return how many went."""
    if not ids:
        return 0
    rows = store.execute(
        "DELETE FROM block_entry WHERE owner = ? AND list_contains(?, id) RETURNING id", [owner, ids]
    ).fetchall()
    return len(rows)
