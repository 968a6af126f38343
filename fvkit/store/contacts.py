"""Personal contacts: one owner's list, and the all-or-nothing import write (CT-1, CT-6)."""

from __future__ import annotations

import pyarrow as pa

from fvkit.store.db import Store

#: the columns a contact row carries besides its id and owner, in the list's order
CONTACT_COLUMNS = (
    "display_name",
    "main_number",
    "mobile_number",
    "home_number",
    "email",
    "description",
    "favorite",
)
#: the Arrow schema `replace_contacts` takes
CONTACT_SCHEMA = pa.schema(
    [(name, pa.bool_() if name == "favorite" else pa.string()) for name in CONTACT_COLUMNS],
)


def list_contacts(store: Store, owner: str) -> pa.Table:
    """Return the owner's personal contacts sorted by display name (case-insensitive)."""
    return store.arrow(
        f"SELECT id, {', '.join(CONTACT_COLUMNS)} FROM contact WHERE owner = ? "
        "ORDER BY display_name COLLATE NOCASE, display_name, main_number, id",
        [owner],
    )


def contact_count(store: Store, owner: str) -> int:
    """Return how many personal contacts the owner has."""
    rows = store.execute("SELECT count(*) FROM contact WHERE owner = ?", [owner]).fetchall()
    return int(rows[0][0])


def replace_contacts(store: Store, owner: str, rows: pa.Table, delete_existing: bool) -> int:
    """Insert contacts for the owner in one transaction, first deleting theirs when asked.

    Deleting also removes the speed dials that point at the deleted contacts (speed dials
    of a bare number stay). New ids continue from the largest id in the table. If anything
    raises, the transaction rolls back and the owner's contacts are as they were.

    Returns:
        The number of contacts inserted.
    """
    batch = rows.select(list(CONTACT_COLUMNS)).cast(CONTACT_SCHEMA)
    with store.transaction() as cur:
        # NOTE: read the largest id before deleting: DuckDB refuses to re-insert a primary
        # key deleted earlier in the same transaction, so deleted ids must not come back.
        # fetchall, not fetchone: DuckDB 2 refuses register() while a result is half-read.
        first = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM contact").fetchall()[0][0])
        if delete_existing:
            cur.execute(
                "DELETE FROM speed_dial WHERE owner = ? AND contact_id IN (SELECT id FROM contact WHERE owner = ?)",
                [owner, owner],
            )
            cur.execute("DELETE FROM contact WHERE owner = ?", [owner])
        if batch.num_rows:
            ids = pa.array(range(first, first + batch.num_rows), pa.int64())
            owners = pa.repeat(pa.scalar(owner, pa.string()), batch.num_rows)
            store.append("contact", batch.add_column(0, "id", ids).add_column(1, "owner", owners), cur)
    return int(batch.num_rows)
