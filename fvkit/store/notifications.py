"""What live traffic needs to tell people: notification options and the header status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fvkit.store.db import Store


def notification_options(store: Store) -> dict[str, dict[str, Any]]:
    """Return each user's Notification Options (PREF-9) with their display name."""
    rows = store.arrow(
        "SELECT p.owner, p.vm_notification, p.missed_call_email, p.notify_emails, e.display_name "
        "FROM preference p JOIN extension e ON e.number = p.owner"
    ).to_pylist()
    return {r["owner"]: r for r in rows}


def set_statuses(store: Store, statuses: dict[str, str], at: datetime) -> None:
    """Set the header status (DND, In use, Not in use, Ringing) of several extensions at once."""
    with store.transaction() as cur:
        for number, status in statuses.items():
            cur.execute(
                "UPDATE extension SET status = ?, status_at = ? WHERE number = ? AND status <> ?",
                [status, at, number, status],
            )


def dnd_extensions(store: Store) -> set[str]:
    """Return the extensions whose Do not disturb is ON (read again after a write)."""

    def read() -> frozenset[str]:
        return frozenset(str(r[0]) for r in store.execute("SELECT owner FROM handling WHERE dnd").fetchall())

    return set(store.memo(("dnd_extensions",), read))
