"""Devices (guide p.43-55): desk and soft phones, programmable keys, Cloud PINs, mobile logins."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from fvkit.store.db import Store

_DEVICE_COLUMNS = (
    "id, extension, kind, model, mac, ip, phone_info, client_version, os_platform, os_version, "
    "registry_time, expiry_time, revoked"
)


def list_devices(store: Store, extension: str, kind: str) -> pa.Table:
    """Return the extension's unrevoked devices of one kind ('desk' or 'soft'), oldest first."""
    return store.arrow(
        f"SELECT {_DEVICE_COLUMNS} FROM device WHERE extension = ? AND kind = ? AND NOT revoked ORDER BY id",
        [extension, kind],
    )


def revoke_device(store: Store, extension: str, device_id: int) -> bool:
    """Mark one of the extension's soft phones revoked; return whether one was."""
    rows = store.execute(
        "UPDATE device SET revoked = true WHERE extension = ? AND id = ? AND kind = 'soft' AND NOT revoked "
        "RETURNING id",
        [extension, device_id],
    ).fetchall()
    return bool(rows)


def set_cloud_pin(store: Store, extension: str, pin_hash: str, expires_at: datetime) -> None:
    """Keep the hash of the extension's new Cloud PIN, replacing an earlier one."""
    store.execute(
        "INSERT INTO cloud_pin (extension, pin_hash, expires_at) VALUES (?, ?, ?) "
        "ON CONFLICT (extension) DO UPDATE SET pin_hash = excluded.pin_hash, expires_at = excluded.expires_at",
        [extension, pin_hash, expires_at],
    )


def cloud_pin(store: Store, extension: str) -> tuple[str, datetime] | None:
    """Return the extension's Cloud PIN hash and expiry, if one was generated."""
    row = store.execute("SELECT pin_hash, expires_at FROM cloud_pin WHERE extension = ?", [extension]).fetchone()
    return (str(row[0]), row[1]) if row else None


def set_mobile_login(
    store: Store, extension: str, secret_hash: str, created_at: datetime, expires_at: datetime, nonce: str | None = None
) -> None:
    """Keep the hash (and the nonce it derives from) of the extension's new mobile login password."""
    store.execute(
        "INSERT INTO mobile_login (extension, secret_hash, created_at, expires_at, nonce) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (extension) DO UPDATE SET secret_hash = excluded.secret_hash, "
        "created_at = excluded.created_at, expires_at = excluded.expires_at, nonce = excluded.nonce",
        [extension, secret_hash, created_at, expires_at, nonce],
    )


def mobile_login(store: Store, extension: str) -> tuple[str, datetime] | None:
    """Return the extension's mobile login password hash and expiry, if one was generated."""
    row = store.execute("SELECT secret_hash, expires_at FROM mobile_login WHERE extension = ?", [extension]).fetchone()
    return (str(row[0]), row[1]) if row else None


def mobile_login_nonce(store: Store, extension: str) -> tuple[str, datetime, datetime] | None:
    """Return the nonce, creation and expiry of the extension's mobile login, if it has a nonce."""
    row = store.execute(
        "SELECT nonce, created_at, expires_at FROM mobile_login WHERE extension = ? AND nonce IS NOT NULL", [extension]
    ).fetchone()
    return (str(row[0]), row[1], row[2]) if row else None


def mobile_login_key(store: Store, fresh: bytes) -> bytes:
    """Return the organisation's mobile login key, keeping `fresh` as that key if there is none yet."""
    with store.transaction() as cur:
        cur.execute("INSERT INTO mobile_login_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", [fresh])
        row = cur.execute("SELECT key FROM mobile_login_key WHERE id = 1").fetchone()
    assert row is not None
    return bytes(row[0])


def notify_emails(store: Store, extension: str) -> str:
    """Return the Notification Options email addresses as typed ('' when none)."""
    row = store.execute("SELECT notify_emails FROM preference WHERE owner = ?", [extension]).fetchone()
    return str(row[0]) if row else ""


def vm_pin_hint(store: Store, extension: str) -> str:
    """Return the voicemail PIN hint the activation email shows."""
    row = store.execute("SELECT vm_pin_hint FROM extension WHERE number = ?", [extension]).fetchone()
    return str(row[0]) if row else ""


def list_keys(store: Store, device_id: int) -> pa.Table:
    """Return a phone's programmable keys by page and position."""
    return store.arrow(
        "SELECT page, position, assigned, function, resource, label FROM programmable_key "
        "WHERE device_id = ? ORDER BY page, position",
        [device_id],
    )


def update_user_key(
    store: Store, device_id: int, page: int, position: int, function: str, resource: str, label: str
) -> bool:
    """Program a user-assigned key; return False when the key is not user-assigned."""
    rows = store.execute(
        "UPDATE programmable_key SET function = ?, resource = ?, label = ? "
        "WHERE device_id = ? AND page = ? AND position = ? AND assigned = 'User Assigned' RETURNING position",
        [function, resource, label, device_id, page, position],
    ).fetchall()
    return bool(rows)


def user_extensions(store: Store) -> list[tuple[str, str]]:
    """Return (number, display name) of every user extension, by number."""
    rows = store.execute(
        "SELECT number, display_name FROM extension WHERE ext_type = 'User' ORDER BY number"
    ).fetchall()
    return [(str(n), str(d)) for n, d in rows]


def trunk_lines(store: Store) -> list[tuple[str, int]]:
    """Return (trunk name, number of lines) of every trunk."""
    rows = store.execute("SELECT name, lines FROM trunk ORDER BY name").fetchall()
    return [(str(n), int(c)) for n, c in rows]


def park_slots(store: Store) -> list[tuple[str, str]]:
    """Return (slot, label) of every call park slot."""
    rows = store.execute("SELECT slot, label FROM park_slot ORDER BY slot").fetchall()
    return [(str(s), str(lb)) for s, lb in rows]


def system_speed_dials(store: Store) -> list[tuple[str, str, str]]:
    """Return (code, number, label) of every system speed dial."""
    rows = store.execute("SELECT code, number, label FROM system_speed_dial ORDER BY code").fetchall()
    return [(str(c), str(n), str(lb)) for c, n, lb in rows]
