"""Passwords and PINs are kept only as slow salted hashes (argon2id)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP password-storage minimum for argon2id: 19 MiB, 2 passes, 1 lane (~30 ms here).
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """Return an argon2id PHC string for a password or PIN.

    Args:
        salt: 16 random bytes; the simulator passes seeded ones so a seed gives
            identical tables. Omit it anywhere else.
    """
    if salt is None:
        return _HASHER.hash(secret)
    return _HASHER.hash(secret, salt=salt)


def verify_secret(stored: str | None, secret: str) -> bool:
    """Return whether `secret` matches the stored hash; False when none is stored."""
    if not stored:
        return False
    try:
        return _HASHER.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False
