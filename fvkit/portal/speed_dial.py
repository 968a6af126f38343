"""Speed dial (guide p.24): a contact's number on a key pad number, one number per key (CT-9)."""

from __future__ import annotations

from dataclasses import dataclass

from fvkit.domain.contacts import SPEED_DIAL_KEYS
from fvkit.domain.numbers import digits
from fvkit.domain.screens import Screen
from fvkit.portal.auth import User, require_screen
from fvkit.portal.contact import BadContact, DuplicateEntry, get_contact
from fvkit.store import contacts
from fvkit.store.db import Store


@dataclass(frozen=True, slots=True)
class SpeedDial:
    """A key pad number and the number it dials."""

    keypad: int
    number: str
    contact_id: int | None
    display_name: str

    @property
    def who(self) -> str:
        """Return whom the key dials, e.g. "Wesley Brooks (+14085550100)"."""
        return f"{self.display_name} ({self.number})" if self.display_name else self.number

    @property
    def label(self) -> str:
        """Return the key as the key picker shows it, e.g. "3 - Wesley Brooks (+14085550100)"."""
        return f"{self.keypad} - {self.who}"


def speed_dials(store: Store, user: User) -> list[SpeedDial]:
    """Return the user's speed dials by key (CT-9)."""
    require_screen(user, Screen.CONTACT)
    return [SpeedDial(**r) for r in contacts.speed_dials(store, user.number).to_pylist()]


def free_keys(store: Store, user: User) -> list[int]:
    """Return the key pad numbers (1-9) not yet holding a number."""
    taken = {s.keypad for s in speed_dials(store, user)}
    return [k for k in SPEED_DIAL_KEYS if k not in taken]


def add_speed_dial(store: Store, user: User, contact_id: int, keypad: int, number: str | None = None) -> SpeedDial:
    """Put one of a contact's numbers (main by default) on a free key pad number (CT-9).

    Raises:
        BadContact: the key is not 1-9, or `number` is not one of the contact's.
        DuplicateEntry: the key is taken (one number per key), or the number is already
            on another key.
    """
    found = get_contact(store, user, contact_id)
    if keypad not in SPEED_DIAL_KEYS:
        raise BadContact(f"Choose a key pad number from {SPEED_DIAL_KEYS[0]} to {SPEED_DIAL_KEYS[-1]}.")
    chosen = found.main_number if number is None else number.strip()
    if chosen not in found.numbers:
        raise BadContact(f"{chosen!r} is not a number of {found.label}.")
    for dial in speed_dials(store, user):
        if dial.keypad == keypad:
            raise DuplicateEntry(f"Key {keypad} is already used by {dial.who}: remove it first or pick another key.")
        if digits(dial.number) == digits(chosen):
            raise DuplicateEntry(f"{chosen} is already on key {dial.keypad}.")
    if not contacts.insert_speed_dial(store, user.number, keypad, chosen, found.id):
        raise DuplicateEntry(f"Key {keypad} was just taken: pick another key.")
    return SpeedDial(keypad, chosen, found.id, found.display_name)


def remove_speed_dial(store: Store, user: User, keypad: int) -> None:
    """Free a key pad number (CT-9 "Remove from Speed Dial").

    Raises:
        BadContact: the key holds no number.
    """
    require_screen(user, Screen.CONTACT)
    if not contacts.delete_speed_dial(store, user.number, int(keypad)):
        raise BadContact(f"Key {keypad} holds no speed dial.")
