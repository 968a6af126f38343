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


#: ORDER BY of the personal list, by sort key: names case-insensitively, numbers by value
#: (fewer digits first, so extensions come before outside numbers)
_ORDERS = {
    "name": "c.display_name COLLATE NOCASE, c.display_name, c.main_number, c.id",
    "number": "length(regexp_replace(c.main_number, '[^0-9]', '', 'g')), "
    "regexp_replace(c.main_number, '[^0-9]', '', 'g'), c.display_name COLLATE NOCASE, c.id",
}
#: row filters of the personal list, by category
_CATEGORIES = {
    "all": "",
    "favorite": " AND c.favorite",
    "speed_dial": " AND EXISTS (SELECT 1 FROM speed_dial s WHERE s.owner = c.owner AND s.contact_id = c.id)",
}


def contact_rows(store: Store, owner: str, *, order: str = "name", category: str = "all") -> pa.Table:
    """Return the owner's contacts with their speed-dial keys (a list), sorted and filtered.

    `order` is "name" or "number"; `category` "all", "favorite" or "speed_dial".
    """
    if order not in _ORDERS or category not in _CATEGORIES:
        raise ValueError(f"unknown order {order!r} or category {category!r}")
    columns = ", ".join(f"c.{c}" for c in CONTACT_COLUMNS)
    return store.arrow(
        f"SELECT c.id, {columns}, "
        "coalesce((SELECT list(s.keypad ORDER BY s.keypad) FROM speed_dial s "
        "WHERE s.owner = c.owner AND s.contact_id = c.id), []) AS speed_dial "
        f"FROM contact c WHERE c.owner = ?{_CATEGORIES[category]} ORDER BY {_ORDERS[order]}",
        [owner],
    )


def get_contact(store: Store, owner: str, contact_id: int) -> dict[str, object] | None:
    """Return one of the owner's contacts as a dict (with its id), or None."""
    rows = store.arrow(
        f"SELECT id, {', '.join(CONTACT_COLUMNS)} FROM contact WHERE owner = ? AND id = ?",
        [owner, contact_id],
    ).to_pylist()
    return rows[0] if rows else None


def insert_contact(store: Store, owner: str, values: dict[str, object]) -> int:
    """Add one contact (values by CONTACT_COLUMNS name) and return its new id."""
    names = [c for c in CONTACT_COLUMNS if c in values]
    with store.transaction() as cur:
        new_id = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM contact").fetchall()[0][0])
        cur.execute(
            f"INSERT INTO contact (id, owner, {', '.join(names)}) VALUES (?, ?{', ?' * len(names)})",
            [new_id, owner, *(values[c] for c in names)],
        )
    return new_id


def update_contact(store: Store, owner: str, contact_id: int, values: dict[str, object]) -> bool:
    """Change one of the owner's contacts; its speed dials follow a changed number.

    A speed dial that held a number the contact no longer has moves to the number that
    replaced it in the same field, or goes when that field is now empty.

    Returns:
        Whether the owner has such a contact.
    """
    names = [c for c in CONTACT_COLUMNS if c in values]
    with store.transaction() as cur:
        old = cur.execute(
            "SELECT main_number, mobile_number, home_number FROM contact WHERE owner = ? AND id = ?",
            [owner, contact_id],
        ).fetchall()
        if not old:
            return False
        cur.execute(
            f"UPDATE contact SET {', '.join(f'{c} = ?' for c in names)} WHERE owner = ? AND id = ?",
            [*(values[c] for c in names), owner, contact_id],
        )
        fields = ("main_number", "mobile_number", "home_number")
        for field, before in zip(fields, old[0], strict=True):
            after = values.get(field, before)
            if after == before:
                continue
            args = [owner, contact_id, before]
            if after:
                cur.execute(
                    "UPDATE speed_dial SET number = ? WHERE owner = ? AND contact_id = ? AND number = ?",
                    [after, *args],
                )
            else:
                cur.execute("DELETE FROM speed_dial WHERE owner = ? AND contact_id = ? AND number = ?", args)
    return True


def delete_contacts(store: Store, owner: str, ids: list[int]) -> int:
    """Delete some of the owner's contacts and their speed dials; return how many went."""
    if not ids:
        return 0
    with store.transaction() as cur:
        cur.execute("DELETE FROM speed_dial WHERE owner = ? AND list_contains(?, contact_id)", [owner, ids])
        rows = cur.execute(
            "DELETE FROM contact WHERE owner = ? AND list_contains(?, id) RETURNING id", [owner, ids]
        ).fetchall()
    return len(rows)


def set_favorite(store: Store, owner: str, ids: list[int], favorite: bool) -> int:
    """Star or unstar some of the owner's contacts; return how many matched."""
    if not ids:
        return 0
    rows = store.execute(
        "UPDATE contact SET favorite = ? WHERE owner = ? AND list_contains(?, id) RETURNING id",
        [favorite, owner, ids],
    ).fetchall()
    return len(rows)


def speed_dials(store: Store, owner: str) -> pa.Table:
    """Return the owner's speed dials by key: keypad, number, contact_id, display_name."""
    return store.arrow(
        "SELECT s.keypad, s.number, s.contact_id, coalesce(c.display_name, '') AS display_name "
        "FROM speed_dial s LEFT JOIN contact c ON c.id = s.contact_id AND c.owner = s.owner "
        "WHERE s.owner = ? ORDER BY s.keypad",
        [owner],
    )


def insert_speed_dial(store: Store, owner: str, keypad: int, number: str, contact_id: int | None) -> bool:
    """Put a number on a free key; return False (and change nothing) if the key is taken."""
    with store.transaction() as cur:
        taken = cur.execute("SELECT 1 FROM speed_dial WHERE owner = ? AND keypad = ?", [owner, keypad]).fetchall()
        if taken:
            return False
        cur.execute("INSERT INTO speed_dial VALUES (?, ?, ?, ?)", [owner, keypad, number, contact_id])
    return True


def delete_speed_dial(store: Store, owner: str, keypad: int) -> bool:
    """Free one of the owner's keys; return whether it held a number."""
    rows = store.execute(
        "DELETE FROM speed_dial WHERE owner = ? AND keypad = ? RETURNING keypad", [owner, keypad]
    ).fetchall()
    return bool(rows)


def business_contacts(store: Store) -> pa.Table:
    """Return the organisation's business contacts by display name (ORG-3)."""
    return store.arrow(
        "SELECT id, display_name, company, main_number, mobile_number, email FROM business_contact "
        "ORDER BY display_name COLLATE NOCASE, id"
    )


def directory(store: Store) -> pa.Table:
    """Return every extension of the organisation: number, display name, location, type (ORG-3).

    Read again only after a write: Arrow tables do not change, so every caller may share it.
    """
    sql = "SELECT number, display_name, location, ext_type FROM extension ORDER BY number"
    return store.memo(("directory",), lambda: store.arrow(sql))


def owned_ids(store: Store, owner: str, ids: list[int]) -> set[int]:
    """Return which of these contact ids are the owner's."""
    if not ids:
        return set()
    rows = store.execute("SELECT id FROM contact WHERE owner = ? AND list_contains(?, id)", [owner, ids]).fetchall()
    return {int(r[0]) for r in rows}
