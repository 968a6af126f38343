"""The Preferences screen's rows: preference, handling (incoming, quick mode, twinning), PIN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from fvkit.domain.handling import TwinningMode, TwinningStatus
from fvkit.domain.limits import DEFAULT_RING_DURATION_S
from fvkit.domain.prefs import (
    DEFAULT_THEME,
    DEFAULT_TIME_ZONE,
    DEFAULT_WEB_LANGUAGE,
    PHONE_LANGUAGES,
    VoicemailNotification,
)
from fvkit.store import blobs
from fvkit.store.db import Store


@dataclass(frozen=True, slots=True)
class PreferenceRow:
    """The Preferences columns of a user's preference row."""

    phone_language: str = PHONE_LANGUAGES[0]
    web_language: str = DEFAULT_WEB_LANGUAGE
    theme: str = DEFAULT_THEME.value
    time_zone: str = DEFAULT_TIME_ZONE
    picture_sha256: str | None = None
    vm_notification: str = VoicemailNotification.NONE.value
    missed_call_email: bool = False
    notify_emails: str = ""


@dataclass(frozen=True, slots=True)
class HandlingRow:
    """The Preferences columns of a user's handling row."""

    ring_seconds: int = DEFAULT_RING_DURATION_S
    call_waiting: bool = True
    twinning_mode: str = TwinningMode.DISABLED.value
    twinning_status: str = TwinningStatus.DEACTIVATED.value
    twinning_number: str = ""
    quick_status: str | None = None
    quick_expires: datetime | None = None  # naive UTC; None: until cancelled


def _ensure_preference(cur: duckdb.DuckDBPyConnection, owner: str) -> None:
    """Give a user who never saved preferences a row with the screen's defaults."""
    d = PreferenceRow()
    cur.execute(
        "INSERT INTO preference (owner, phone_language, web_language, theme, time_zone, vm_notification, "
        "missed_call_email, notify_emails, vm_operator, vm_name, greeting_type) "
        "SELECT ?, ?, ?, ?, ?, ?, false, coalesce((SELECT email FROM extension WHERE number = ?), ''), "
        "false, 'Standard', 'Standard' ON CONFLICT (owner) DO NOTHING",
        [owner, d.phone_language, d.web_language, d.theme, d.time_zone, d.vm_notification, owner],
    )


def _ensure_handling(cur: duckdb.DuckDBPyConnection, owner: str) -> None:
    d = HandlingRow()
    cur.execute(
        "INSERT INTO handling (owner, dnd, forward_to, call_waiting, ring_seconds, twinning_mode, "
        "twinning_status, twinning_number) VALUES (?, false, '', ?, ?, ?, ?, '') ON CONFLICT (owner) DO NOTHING",
        [owner, d.call_waiting, d.ring_seconds, d.twinning_mode, d.twinning_status],
    )


def preference(store: Store, owner: str) -> PreferenceRow:
    """Return the user's preferences (the defaults when they never saved any); read again after a write."""
    return store.memo(("preference", owner), lambda: _read_preference(store, owner))


def _read_preference(store: Store, owner: str) -> PreferenceRow:
    row = store.execute(
        "SELECT phone_language, web_language, theme, time_zone, picture_sha256, vm_notification, "
        "missed_call_email, notify_emails FROM preference WHERE owner = ?",
        [owner],
    ).fetchone()
    if row is None:
        email = store.execute("SELECT email FROM extension WHERE number = ?", [owner]).fetchone()
        return PreferenceRow(notify_emails=str(email[0]) if email else "")
    return PreferenceRow(
        str(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], str(row[5]), bool(row[6]), str(row[7])
    )


def save_display(store: Store, owner: str, phone_language: str, web_language: str, theme: str, time_zone: str) -> None:
    """Store the Display Preference fields."""
    with store.transaction() as cur:
        _ensure_preference(cur, owner)
        cur.execute(
            "UPDATE preference SET phone_language = ?, web_language = ?, theme = ?, time_zone = ? WHERE owner = ?",
            [phone_language, web_language, theme, time_zone, owner],
        )


def save_notifications(store: Store, owner: str, vm_notification: str, missed_call_email: bool, emails: str) -> None:
    """Store the Notification Options fields."""
    with store.transaction() as cur:
        _ensure_preference(cur, owner)
        cur.execute(
            "UPDATE preference SET vm_notification = ?, missed_call_email = ?, notify_emails = ? WHERE owner = ?",
            [vm_notification, missed_call_email, emails, owner],
        )


def set_picture(store: Store, owner: str, content: bytes | None, mime: str, now: datetime) -> str | None:
    """Store a checked picture and point the user's row at it (None deletes it); return its sha256."""
    with store.transaction() as cur:
        key = blobs.put(store, content, mime, now) if content is not None else None
        _ensure_preference(cur, owner)
        cur.execute("UPDATE preference SET picture_sha256 = ? WHERE owner = ?", [key, owner])
    return key


def vm_pin(store: Store, owner: str) -> tuple[str | None, str]:
    """Return the extension's voicemail PIN hash and hint."""
    row = store.execute("SELECT vm_pin_hash, vm_pin_hint FROM extension WHERE number = ?", [owner]).fetchone()
    if row is None:
        raise KeyError(owner)
    return row[0], str(row[1])


def set_vm_pin(store: Store, owner: str, hashed: str, hint: str) -> None:
    """Store a new voicemail PIN hash (a hash, never the PIN) and its hint."""
    if not hashed.startswith("$argon2"):
        raise ValueError("set_vm_pin takes an argon2 hash, not a PIN")
    store.execute("UPDATE extension SET vm_pin_hash = ?, vm_pin_hint = ? WHERE number = ?", [hashed, hint, owner])


def handling(store: Store, owner: str) -> HandlingRow:
    """Return the user's handling settings the Preferences screen shows."""
    row = store.execute(
        "SELECT ring_seconds, call_waiting, twinning_mode, twinning_status, twinning_number, quick_status, "
        "quick_expires FROM handling WHERE owner = ?",
        [owner],
    ).fetchone()
    if row is None:
        return HandlingRow()
    return HandlingRow(int(row[0]), bool(row[1]), str(row[2]), str(row[3]), str(row[4]), row[5], row[6])


def save_incoming(store: Store, owner: str, ring_seconds: int, call_waiting: bool) -> None:
    """Store the Incoming Calls fields."""
    with store.transaction() as cur:
        _ensure_handling(cur, owner)
        cur.execute(
            "UPDATE handling SET ring_seconds = ?, call_waiting = ? WHERE owner = ?",
            [ring_seconds, call_waiting, owner],
        )


def quick_settings(store: Store, owner: str) -> dict[str, int | None]:
    """Return each quick mode's duration in minutes (None: until cancelled), by status."""
    rows = store.execute("SELECT status, duration_minutes FROM quick_mode_setting WHERE owner = ?", [owner]).fetchall()
    return {str(status): None if minutes is None else int(minutes) for status, minutes in rows}


def save_quick_setting(store: Store, owner: str, status: str, duration_minutes: int | None) -> None:
    """Store how long one quick mode lasts once activated (None: until cancelled)."""
    store.execute(
        "INSERT INTO quick_mode_setting (owner, status, duration_minutes) VALUES (?, ?, ?) "
        "ON CONFLICT (owner, status) DO UPDATE SET duration_minutes = excluded.duration_minutes",
        [owner, status, duration_minutes],
    )


def set_quick_mode(store: Store, owner: str, status: str | None, expires: datetime | None) -> None:
    """Make a quick mode effective until `expires` (naive UTC, None: until cancelled); None cancels."""
    with store.transaction() as cur:
        _ensure_handling(cur, owner)
        cur.execute(
            "UPDATE handling SET quick_status = ?, quick_expires = ? WHERE owner = ?",
            [status, expires if status is not None else None, owner],
        )


def twinning_schedules(store: Store, owner: str) -> list[tuple[str, str]]:
    """Return the user's scheduled twinning rows: (schedule, number), in order."""
    rows = store.execute(
        "SELECT schedule, number FROM twinning_schedule WHERE owner = ? ORDER BY seq", [owner]
    ).fetchall()
    return [(str(s), str(n)) for s, n in rows]


def save_twinning(
    store: Store, owner: str, mode: str, status: str, number: str, scheduled: list[tuple[str, str]]
) -> None:
    """Store the Twinning Setting, its scheduled rows replaced, all or nothing."""
    with store.transaction() as cur:
        _ensure_handling(cur, owner)
        cur.execute(
            "UPDATE handling SET twinning_mode = ?, twinning_status = ?, twinning_number = ? WHERE owner = ?",
            [mode, status, number, owner],
        )
        cur.execute("DELETE FROM twinning_schedule WHERE owner = ?", [owner])
        for seq, (schedule, num) in enumerate(scheduled, start=1):
            cur.execute("INSERT INTO twinning_schedule VALUES (?, ?, ?, ?)", [owner, seq, schedule, num])


def schedule_names(store: Store) -> list[str]:
    """Return the organisation's schedule names, in the order they were defined."""
    return [str(r[0]) for r in store.execute("SELECT name FROM schedule ORDER BY rowid").fetchall()]
