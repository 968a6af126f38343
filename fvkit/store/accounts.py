"""Accounts: extensions as the portal sees them, sign-in throttling, session tokens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyarrow as pa

from fvkit.domain.org import AccessLevel, AuthType, Extension, ExtensionType, Privilege
from fvkit.domain.prefs import DEFAULT_TIME_ZONE
from fvkit.store.db import Store

_EXTENSION_COLUMNS = "number, display_name, ext_type, department, location, email, access_level, auth_type, privileges"


def get_extension(store: Store, number: str) -> Extension | None:
    """Return the extension with this number, or None when there is none."""
    row = store.execute(f"SELECT {_EXTENSION_COLUMNS} FROM extension WHERE number = ?", [number]).fetchone()
    if row is None:
        return None
    num, name, ext_type, department, location, email, level, auth, privileges = row
    return Extension(
        number=num,
        display_name=name,
        ext_type=ExtensionType(ext_type),
        department=department,
        location=location,
        email=email,
        access_level=AccessLevel(level),
        auth_type=AuthType(auth),
        privileges=frozenset(Privilege(p) for p in privileges),
    )


def password_hash(store: Store, number: str) -> str | None:
    """Return the extension's stored argon2id password hash (None: none set or no such)."""
    row = store.execute("SELECT password_hash FROM extension WHERE number = ?", [number]).fetchone()
    return None if row is None else row[0]


def set_password_hash(store: Store, number: str, hashed: str | None, *, keep_token: str | None = None) -> None:
    """Store a new password hash (a hash, never the password) and end the extension's sessions.

    A credential change revokes every session token of the extension (AUTH-2/3, PREF-4)
    except `keep_token`, the one of the session that made the change.
    """
    if hashed is not None and not hashed.startswith("$argon2"):
        raise ValueError("set_password_hash takes an argon2 hash, not a password")
    keep = _token_digest(keep_token) if keep_token else ""
    with store.transaction() as cur:
        cur.execute("UPDATE extension SET password_hash = ? WHERE number = ?", [hashed, number])
        cur.execute("DELETE FROM session_token WHERE extension = ? AND token_sha256 <> ?", [number, keep])


def portal_users(store: Store) -> pa.Table:
    """Return the extensions that may sign in to the portal, by number."""
    return store.arrow(
        "SELECT number, display_name, department, access_level, "
        "password_hash IS NOT NULL AS has_password "
        "FROM extension WHERE ext_type = ? AND list_contains(privileges, ?) "
        "ORDER BY number",
        [ExtensionType.USER.value, Privilege.USER_PORTAL.value],
    )


def extension_status(store: Store, number: str) -> tuple[str, datetime | None]:
    """Return the extension's header status label and when it was last set (read again after a write)."""

    def read() -> tuple[str, datetime | None] | None:
        found = store.execute("SELECT status, status_at FROM extension WHERE number = ?", [number]).fetchone()
        return None if found is None else (str(found[0]), found[1])

    status = store.memo(("extension_status", number), read)
    if status is None:
        raise KeyError(number)
    return status


def user_time_zone(store: Store, number: str) -> str:
    """Return the IANA time zone the user chose in Preferences, else the default."""
    row = store.execute("SELECT time_zone FROM preference WHERE owner = ?", [number]).fetchone()
    return str(row[0]) if row is not None and row[0] else DEFAULT_TIME_ZONE


# --- sign-in throttling -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SigninState:
    """Recent failed sign-ins of one extension string (typed, not necessarily existing)."""

    failures: int = 0
    first_failure: datetime | None = None
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        """Return whether sign-in is refused at `now`."""
        return self.locked_until is not None and now < self.locked_until


def signin_state(store: Store, extension: str) -> SigninState:
    """Return the throttle state of an extension string (empty when never failed)."""
    row = store.execute(
        "SELECT failures, first_failure, locked_until FROM signin_state WHERE extension = ?",
        [extension],
    ).fetchone()
    return SigninState() if row is None else SigninState(int(row[0]), row[1], row[2])


def count_signin_attempt(
    store: Store,
    extension: str,
    now: datetime,
    *,
    max_failures: int,
    window: timedelta,
    lockout: timedelta,
) -> tuple[bool, SigninState]:
    """Count one password check BEFORE it runs; refuse it when the extension is locked (AUTH-1).

    The lock is read and the attempt counted in one transaction, so checks running in
    parallel cannot exceed `max_failures` per window, and nothing rewrites a lock.

    Returns:
        (admitted, state): not admitted means locked (state.locked_until says until when);
        an admitted attempt whose state carries `locked_until` is the one that set the lock.
    """
    with store.transaction() as cur:
        # NOTE: rows exist for any string typed, so the table is pruned as it goes:
        # a row whose window and lock are both over says nothing any more.
        cur.execute(
            "DELETE FROM signin_state WHERE extension <> ? "
            "AND (first_failure IS NULL OR first_failure <= ?) "
            "AND (locked_until IS NULL OR locked_until <= ?)",
            [extension, now - window, now],
        )
        row = cur.execute(
            "SELECT failures, first_failure, locked_until FROM signin_state WHERE extension = ?",
            [extension],
        ).fetchone()
        old = SigninState() if row is None else SigninState(int(row[0]), row[1], row[2])
        if old.locked(now):
            return False, old
        if old.first_failure is None or now - old.first_failure > window:
            failures, first = 1, now
        else:
            failures, first = old.failures + 1, old.first_failure
        new = SigninState(failures, first, None)
        if failures >= max_failures:
            # The lock starts a fresh count: after it, the user has all attempts again.
            new = SigninState(0, None, now + lockout)
        cur.execute(
            "INSERT INTO signin_state (extension, failures, first_failure, locked_until) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (extension) DO UPDATE SET failures = excluded.failures, "
            "first_failure = excluded.first_failure, locked_until = excluded.locked_until",
            [extension, new.failures, new.first_failure, new.locked_until],
        )
    return True, new


def clear_signin_attempts(store: Store, extension: str, now: datetime, *, set_lock: bool) -> None:
    """Forget the counted attempts after a correct password.

    A lock set meanwhile by another (parallel) attempt stays, unless this attempt set it.
    """
    with store.transaction() as cur:
        cur.execute(
            "DELETE FROM signin_state WHERE extension = ? AND (? OR locked_until IS NULL OR locked_until <= ?)",
            [extension, set_lock, now],
        )


def reset_signin_state(store: Store, extension: str) -> None:
    """Forget the failed sign-ins of an extension (an administrator's unlock)."""
    store.execute("DELETE FROM signin_state WHERE extension = ?", [extension])


# --- session tokens ("Remember me") --------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session_token(store: Store, token: str, extension: str, now: datetime, expires_at: datetime) -> None:
    """Keep the sha256 of a browser token that signs `extension` in until `expires_at`."""
    store.execute(
        "INSERT INTO session_token (token_sha256, extension, created_at, expires_at) VALUES (?, ?, ?, ?)",
        [_token_digest(token), extension, now, expires_at],
    )


def session_extension(store: Store, token: str, now: datetime) -> str | None:
    """Return the extension an unexpired token signs in, or None."""
    row = store.execute(
        "SELECT extension FROM session_token WHERE token_sha256 = ? AND expires_at > ?",
        [_token_digest(token), now],
    ).fetchone()
    return None if row is None else str(row[0])


def delete_session_token(store: Store, token: str, extension: str | None = None) -> bool:
    """Delete a token (only if it belongs to `extension`, when given); return if one was."""
    sql = "DELETE FROM session_token WHERE token_sha256 = ?"
    params: list[object] = [_token_digest(token)]
    if extension is not None:
        sql += " AND extension = ?"
        params.append(extension)
    row = store.execute(sql + " RETURNING extension", params).fetchall()
    return bool(row)


def delete_tokens_of(store: Store, extension: str) -> int:
    """Delete every token of an extension; return how many there were."""
    return len(store.execute("DELETE FROM session_token WHERE extension = ? RETURNING 1", [extension]).fetchall())


def delete_expired_tokens(store: Store, now: datetime) -> None:
    """Delete every token that has expired by `now`."""
    store.execute("DELETE FROM session_token WHERE expires_at <= ?", [now])
