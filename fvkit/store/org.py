"""Organisation tables: saved in one transaction, read back for routing and the portal."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from fvkit.store.db import Store

#: Tables an organisation consists of, in the order they are written.
ORG_TABLES = (
    "organisation",
    "extension",
    "schedule",
    "trunk",
    "auto_attendant",
    "sound_file",
    "efax_account",
    "business_contact",
    "system_speed_dial",
    "park_slot",
    "contact",
    "block_entry",
    "speed_dial",
    "preference",
    "voicemail_share",
    "handling",
    "handling_mode",
    "handling_rule",
    "follow_me_number",
    "twinning_schedule",
    "quick_mode_setting",
    "device",
    "programmable_key",
)


def has_organisation(store: Store) -> bool:
    """Return whether the database already holds an organisation."""
    return bool(store.execute("SELECT count(*) FROM organisation").fetchone()[0])


def save_organisation(store: Store, tables: dict[str, pa.Table]) -> None:
    """Write a generated organisation, all tables or none."""
    unknown = set(tables) - set(ORG_TABLES)
    if unknown:
        raise ValueError(f"not organisation tables: {sorted(unknown)}")
    with store.transaction() as cur:
        for name in ORG_TABLES:
            if name in tables and tables[name].num_rows:
                store.append(name, tables[name], cur)


def read_table(store: Store, name: str) -> pa.Table:
    """Return a whole (small) organisation table."""
    if name not in ORG_TABLES:
        raise ValueError(f"not an organisation table: {name}")
    # read again only after a write; Arrow tables do not change, so callers may share one
    return store.memo(("org_table", name), lambda: store.arrow(f"SELECT * FROM {name}"))


def organisation(store: Store) -> dict[str, object]:
    """Return the organisation's row as a dict (a copy of what was read since the last write)."""
    rows = store.memo(("organisation",), lambda: store.arrow("SELECT * FROM organisation LIMIT 1").to_pylist())
    if not rows:
        raise LookupError("the database holds no organisation yet: run `fvkit simulate` first")
    row: dict[str, object] = dict(rows[0])
    return row


def get_state(store: Store, key: str, default: int = 0) -> int:
    """Return a simulator counter (next call sequence, simulated-until time...)."""
    row = store.execute("SELECT value FROM sim_state WHERE key = ?", [key]).fetchone()
    return int(row[0]) if row else default


def set_state(store: Store, key: str, value: int) -> None:
    """Set a simulator counter."""
    store.execute(
        "INSERT INTO sim_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


MESSAGE_COUNTER = "last_media_id"  # voicemail, recording, fax and cover-page ids share it


def take_message_ids(cur: duckdb.DuckDBPyConnection, count: int) -> list[int]:
    """Take `count` new ids from the shared message counter, inside the caller's transaction.

    Never below an id already stored, so rows written before the counter existed stay unique.
    """
    last = int(
        cur.execute(  # fetchall: DuckDB 2 refuses the next statement while a result is half-read
            "SELECT greatest("
            "coalesce((SELECT value FROM sim_state WHERE key = ?), 0), "
            "coalesce((SELECT max(id) FROM recording), 0), "
            "coalesce((SELECT max(id) FROM voicemail), 0), "
            "coalesce((SELECT max(id) FROM fax), 0), "
            "coalesce((SELECT max(id) FROM cover_page), 0))",
            [MESSAGE_COUNTER],
        ).fetchall()[0][0]
    )
    ids = [last + n for n in range(1, count + 1)]
    if ids:
        cur.execute(
            "INSERT INTO sim_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [MESSAGE_COUNTER, ids[-1]],
        )
    return ids
