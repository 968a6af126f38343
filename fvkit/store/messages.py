"""Single voicemail, recording and fax rows: the recipes their files are rendered from."""

from __future__ import annotations

from typing import Any

from fvkit.store.db import Store

_TABLES = {"voicemail", "recording", "fax"}


def message_row(store: Store, table: str, message_id: int) -> dict[str, Any] | None:
    """Return one voicemail, recording or fax row by id, or None."""
    if table not in _TABLES:
        raise ValueError(f"not a message table: {table}")
    rows = store.arrow(f"SELECT * FROM {table} WHERE id = ?", [message_id]).to_pylist()
    return rows[0] if rows else None
