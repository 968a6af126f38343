"""Personal Block List (guide p.24-25, p.16): numbers that may not call the user (CT-10, CH-10).

Routing reads the same entries (comparing by digits), so a number blocked here makes the
next call from it "Denied". Every use case needs the Block list privilege (ORG-2): the
administrator enables the feature (guide p.24).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from fvkit.domain.numbers import digits
from fvkit.domain.org import Privilege
from fvkit.domain.screens import may_sign_in
from fvkit.portal.auth import PermissionDenied, User
from fvkit.portal.contact import (
    DEFAULT_REGION,
    BadContact,
    DuplicateEntry,
    clean_text,
    get_contact,
    known_region,
    phone_number,
)
from fvkit.store import block_list as blocks
from fvkit.store.db import Store

#: the dialog's columns as shown, by stored column (guide p.25: Number, Display name, Description)
BLOCK_LABELS = {"number": "Number", "display_name": "Display Name", "description": "Description"}


def require_block_list(user: User) -> None:
    """Raise PermissionDenied unless the administrator enabled the user's block list."""
    if not may_sign_in(user.extension) or not user.extension.can(Privilege.BLOCK_LIST):
        raise PermissionDenied(
            "Blocking numbers needs the Block list privilege: ask your administrator to enable it (guide p.24)."
        )


def entries(store: Store, user: User) -> pl.DataFrame:
    """Return the user's block list as shown: `id` plus the BLOCK_LABELS columns."""
    require_block_list(user)
    frame = pl.from_arrow(blocks.list_blocks(store, user.number))
    assert isinstance(frame, pl.DataFrame)
    return frame.select("id", *[pl.col(c).alias(label) for c, label in BLOCK_LABELS.items()])


def blocked_entry(store: Store, user: User, number: str) -> dict[str, object] | None:
    """Return the user's entry that blocks this number (compared by digits), if any."""
    require_block_list(user)
    wanted = digits(number)
    for row in blocks.list_blocks(store, user.number).to_pylist():
        if wanted and digits(row["number"]) == wanted:
            return dict(row)
    return None


def is_blocked(store: Store, user: User, number: str) -> bool:
    """Return whether calls from this number are on the user's block list."""
    return blocked_entry(store, user, number) is not None


def block_number(
    store: Store,
    user: User,
    number: str,
    display_name: str = "",
    description: str = "",
    *,
    region: str = DEFAULT_REGION,
) -> int:
    """Add a number to the user's block list (CT-10 "New"; CH-10 "More Action > Block").

    The number is stored as a contact's would be (E.164, an extension as typed; a caller's
    bare CDR digits work). Returns the new entry's id.

    Raises:
        PermissionDenied: no Block list privilege.
        BadContact: the number is missing or not a phone number, the user's own
            extension, or a text is too long.
        DuplicateEntry: the number (compared by digits) is already blocked.
    """
    require_block_list(user)
    if not number.strip():
        raise BadContact("Number is mandatory.")
    value = phone_number(number, "Number", known_region(region))
    if digits(value) == digits(user.number):
        raise BadContact("You cannot block your own extension.")
    name = clean_text(display_name, "Display Name")
    text = clean_text(description, "Description")
    found = blocked_entry(store, user, value)
    if found is not None:
        shown = f" (as {found['display_name']!r})" if found["display_name"] else ""
        raise DuplicateEntry(f"{found['number']} is already on your block list{shown}.")
    return blocks.insert_block(store, user.number, value, name, text)


def block_contact(store: Store, user: User, contact_id: int, number: str | None = None, description: str = "") -> int:
    """Block one of a contact's numbers, main by default, under the contact's name (CT-10).

    Raises:
        PermissionDenied: no Block list privilege, or not the user's contact.
        BadContact, DuplicateEntry: as `block_number`.
    """
    require_block_list(user)
    found = get_contact(store, user, contact_id)
    chosen = found.main_number if number is None else number.strip()
    if chosen not in found.numbers:
        raise BadContact(f"{chosen!r} is not a number of {found.label}.")
    return block_number(store, user, chosen, found.display_name, description)


def unblock(store: Store, user: User, ids: Iterable[int]) -> int:
    """Remove entries from the user's block list (CT-10 "Remove"); return how many.

    All or none: if any id is not the user's entry, nothing is removed.
    """
    require_block_list(user)
    wanted = sorted({int(i) for i in ids})
    mine = {r["id"] for r in blocks.list_blocks(store, user.number).to_pylist()}
    missing = set(wanted) - mine
    if missing:
        raise PermissionDenied(
            f"Block entries {', '.join(map(str, sorted(missing)))} are not on the block list of {user.number}."
        )
    return blocks.delete_blocks(store, user.number, wanted)
