"""Content-addressed media: uploads (greetings, names, pictures, cover pages) kept once by sha256.

A blob is never changed: the same bytes always have the same key, so storing a file twice
stores it once, and a row that points at a blob can be copied freely. Nothing here knows
what the bytes are; the caller checks them and names their MIME type.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from fvkit.store.db import Store


@dataclass(frozen=True, slots=True)
class Blob:
    """One stored file."""

    sha256: str
    mime: str
    content: bytes


def digest(content: bytes) -> str:
    """Return the key a blob with this content is stored under (hex sha256)."""
    return hashlib.sha256(content).hexdigest()


def put(store: Store, content: bytes, mime: str, now: datetime) -> str:
    """Store `content` unless a blob with the same bytes exists; return its sha256.

    `now` (naive UTC) is kept as created_at of a new blob; an existing one keeps its own.
    """
    key = digest(content)
    store.execute(
        "INSERT INTO media_blob (sha256, mime, size, content, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (sha256) DO NOTHING",
        [key, mime, len(content), content, now],
    )
    return key


def get(store: Store, sha256: str) -> Blob | None:
    """Return the blob stored under this sha256, or None."""
    rows = store.execute("SELECT mime, content FROM media_blob WHERE sha256 = ?", [sha256]).fetchall()
    if not rows:
        return None
    mime, content = rows[0]
    return Blob(sha256, str(mime), bytes(content))


def exists(store: Store, sha256: str) -> bool:
    """Return whether a blob is stored under this sha256."""
    rows = store.execute("SELECT count(*) FROM media_blob WHERE sha256 = ?", [sha256]).fetchall()
    return bool(rows[0][0])
