"""Signing in and out, and the permission checks every portal service starts with."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from fvkit.domain.limits import SIGNIN_LOCKOUT, SIGNIN_MAX_FAILURES, SIGNIN_WINDOW
from fvkit.domain.org import Extension, Privilege
from fvkit.domain.screens import Screen, may_open, may_sign_in
from fvkit.store import accounts
from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret, verify_secret

INVALID_CREDENTIALS = "Invalid extension or password."
LOCKED_OUT = "Too many failed attempts. Try again in {minutes} {unit}."

#: Longest extension string the throttle keeps a row for; longer input cannot exist.
_MAX_EXTENSION_CHARS = 32


@dataclass(frozen=True, slots=True)
class User:
    """The signed-in user: their extension as at sign-in, and their time zone."""

    extension: Extension
    time_zone: str

    @property
    def number(self) -> str:
        """Return the extension number."""
        return self.extension.number


class SignInError(Exception):
    """Sign-in refused; the message is safe to show (it never says which field was wrong)."""

    def __init__(self, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class PermissionDenied(Exception):
    """The user's privileges, access level or ownership do not allow this (AUTH-4/5)."""


@cache
def _dummy_hash() -> str:
    # Verified instead of a real hash when there is none, so an unknown extension
    # costs the same time as a wrong password and timing does not reveal which exist.
    return hash_secret(secrets.token_urlsafe(16))


def _locked_error(locked_until: datetime, now: datetime) -> SignInError:
    left = locked_until - now
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return SignInError(LOCKED_OUT.format(minutes=minutes, unit=unit), retry_after=left)


def _checked_password(store: Store, number: str, password: str, stored: str | None, now: datetime) -> bool:
    """Check a password against `stored` under the sign-in throttle (AUTH-1, PREF-4).

    The attempt is counted before argon2 runs, in the same transaction that reads the
    lock, so parallel checks cannot outrun the lock-out.

    Raises:
        SignInError: the lock-out message, when locked (before or by this failure).
    """
    admitted, state = accounts.count_signin_attempt(
        store, number, now, max_failures=SIGNIN_MAX_FAILURES, window=SIGNIN_WINDOW, lockout=SIGNIN_LOCKOUT
    )
    if not admitted:
        assert state.locked_until is not None
        raise _locked_error(state.locked_until, now)
    # NOTE: with no stored hash a dummy one is verified, so timing does not tell.
    matches = verify_secret(stored or _dummy_hash(), password) and stored is not None
    if not matches:
        if state.locked_until is not None:
            raise _locked_error(state.locked_until, now)
        return False
    accounts.clear_signin_attempts(store, number, now, set_lock=state.locked_until is not None)
    return True


def sign_in(store: Store, extension: str, password: str, now: datetime) -> User:
    """Return the user for a correct extension and password (AUTH-1, AUTH-4).

    Raises:
        SignInError: with one generic message for every wrong credential, or the
            lock-out message after too many failures (even for the right password).
    """
    number = extension.strip()
    if not number or len(number) > _MAX_EXTENSION_CHARS:
        verify_secret(_dummy_hash(), password)
        raise SignInError(INVALID_CREDENTIALS)
    ext = accounts.get_extension(store, number)
    stored = accounts.password_hash(store, number) if ext is not None else None
    allowed = ext is not None and may_sign_in(ext) and stored is not None
    # NOTE: LDAP extensions are checked against the stored hash too: fvkit has no
    # directory server, the simulator keeps the directory's password here.
    # Failures count for any string typed, so the lock-out does not reveal which exist.
    if not _checked_password(store, number, password, stored if allowed else None, now) or ext is None:
        raise SignInError(INVALID_CREDENTIALS)
    return User(extension=ext, time_zone=accounts.user_time_zone(store, number))


def check_current_password(store: Store, user: User, password: str, now: datetime) -> bool:
    """Return whether `password` is the user's current one, throttled like sign-in (PREF-4).

    Wrong guesses count toward the same lock-out as sign-in, so a hijacked session
    cannot guess faster than the login form.

    Raises:
        SignInError: the lock-out message while the extension is locked.
    """
    return _checked_password(store, user.number, password, accounts.password_hash(store, user.number), now)


def sign_out(store: Store, user: User, *tokens: str | None) -> None:
    """End the user's session: forget its tokens, so every tab bound to them ends too (AUTH-3)."""
    for token in {t for t in tokens if t}:
        accounts.delete_session_token(store, token, user.number)


def session_valid(store: Store, user: User, token: str | None, now: datetime) -> bool:
    """Return whether a signed-in session's token still holds (not logged out, no credential change)."""
    return bool(token) and accounts.session_extension(store, token or "", now) == user.number


def issue_token(store: Store, user: User, now: datetime, ttl: timedelta) -> str:
    """Return a new random token that signs the user in until `now + ttl` (AUTH-2).

    Only its sha256 is stored; the caller hands the token itself to the browser.
    """
    # NOTE: a secret, so the OS generator - not a seeded one - is the right source.
    token = secrets.token_urlsafe(32)
    accounts.delete_expired_tokens(store, now)
    accounts.create_session_token(store, token, user.number, now, now + ttl)
    return token


def user_from_token(store: Store, token: str, now: datetime) -> User | None:
    """Return the user an unexpired token signs in, if they may still sign in."""
    number = accounts.session_extension(store, token, now)
    if number is None:
        return None
    ext = accounts.get_extension(store, number)
    if ext is None or not may_sign_in(ext) or accounts.password_hash(store, number) is None:
        return None
    return User(extension=ext, time_zone=accounts.user_time_zone(store, number))


def require(user: User, privilege: Privilege) -> None:
    """Raise PermissionDenied unless the administrator granted the user this privilege."""
    if not may_sign_in(user.extension) or not user.extension.can(privilege):
        raise PermissionDenied(f"Extension {user.number} does not have the {privilege} privilege.")


def require_screen(user: User, screen: Screen) -> None:
    """Raise PermissionDenied unless the user may open this screen (AUTH-4)."""
    if not may_open(user.extension, screen):
        raise PermissionDenied(f"Extension {user.number} may not open {screen}.")


def require_owner(user: User, owner: str) -> None:
    """Raise PermissionDenied unless the data belongs to the user's extension (AUTH-5)."""
    if owner != user.number:
        raise PermissionDenied(f"Extension {user.number} may not see data of {owner}.")


def acting_as(store: Store, number: str) -> User:
    """Return an extension's User for administrator tools (the CLI), without a password.

    Whoever can open the database file is its administrator; the portal itself never
    calls this.
    """
    ext = accounts.get_extension(store, number)
    if ext is None:
        raise LookupError(f"no extension {number}")
    return User(ext, accounts.user_time_zone(store, number))
