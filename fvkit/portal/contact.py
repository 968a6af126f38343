"""Contact (guide p.21-24): the signed-in user's personal contacts.

Every use case starts with `require_screen(user, Screen.CONTACT)` - personal contacts need
the "Contacts and Click to dial" feature, which Basic access lacks (guide p.56) - and
works on the user's own contacts only: the owner is always `user.number`, never an argument.
"""

from __future__ import annotations

import re

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from fvkit.domain.screens import Screen
from fvkit.portal.auth import User, require_screen
from fvkit.store import contacts
from fvkit.store.db import Store

#: the columns of a contact row besides id and owner, and their Arrow types
CONTACT_COLUMNS = contacts.CONTACT_COLUMNS
CONTACT_SCHEMA = contacts.CONTACT_SCHEMA
#: where a number without a country code is assumed to be
DEFAULT_REGION = "US"
#: an extension of the organisation (7101) or a short internal code: kept as typed
INTERNAL_NUMBER = re.compile(r"^[0-9]{2,6}$")
#: loose on purpose: something before an @, and a dot after it
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: separators people type inside a North American number
_NANP_SEPARATORS = re.compile(r"[ ().\-]")
_NANP_DIGITS = re.compile(r"^(?:\+?1)?([2-9][0-9]{9})$")
_E164 = phonenumbers.PhoneNumberFormat.E164


class BadContact(ValueError):
    """A contact value the list cannot take; the message is safe to show."""


def known_region(region: str) -> str:
    """Return a region code ("US", "GB") in upper case.

    Raises:
        BadContact: phonenumbers knows no such region.
    """
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise BadContact(f"Unknown region {region!r}: use a two-letter country code such as US or GB.")
    return code


def normalise_number(text: str, region: str = DEFAULT_REGION) -> str:
    """Return a number as stored: an extension as typed, an outside number in E.164.

    A number without a country code is read as dialled in `region`. An extension
    written after the number ("x12") is not kept.

    Raises:
        BadContact: the text is not a valid phone number.
    """
    value = text.strip()
    if INTERNAL_NUMBER.match(value):
        return value
    # NOTE: fast path for the commonest case, a North American number in a NANP region:
    # phonenumbers.parse costs ~3x the validity check alone, and imports take 100k rows.
    nanp = _NANP_DIGITS.match(_NANP_SEPARATORS.sub("", value))
    if nanp and phonenumbers.country_code_for_region(region) == 1:
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(nanp.group(1)))
        if phonenumbers.is_valid_number_for_region(number, region) or phonenumbers.is_valid_number(number):
            return "+1" + nanp.group(1)
        raise BadContact(f"{value!r} is not a phone number")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise BadContact(f"{value!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise BadContact(f"{value!r} is not a phone number")
    return phonenumbers.format_number(number, _E164)


def is_email(text: str) -> bool:
    """Return whether text looks like an email address (an @ with a dot after it)."""
    return EMAIL.match(text) is not None


def personal_contacts(store: Store, user: User) -> pa.Table:
    """Return the user's personal contacts sorted by display name (CT-1)."""
    require_screen(user, Screen.CONTACT)
    return contacts.list_contacts(store, user.number)


def contact_count(store: Store, user: User) -> int:
    """Return how many personal contacts the user has."""
    require_screen(user, Screen.CONTACT)
    return contacts.contact_count(store, user.number)


def import_contacts(store: Store, user: User, rows: pa.Table, delete_existing: bool) -> int:
    """Add validated contacts to the user's list in one transaction (CT-6).

    `rows` has the columns of `fvkit.store.contacts.CONTACT_COLUMNS`, numbers already
    normalised. With `delete_existing` the user's contacts are replaced; if the write
    fails, they stay as they were.

    Returns:
        The number of contacts imported.

    Raises:
        BadContact: a row has no main number (guide p.22: it is mandatory).
    """
    require_screen(user, Screen.CONTACT)
    missing = [c for c in contacts.CONTACT_COLUMNS if c not in rows.column_names]
    if missing:
        raise BadContact(f"contact rows lack the columns {', '.join(missing)}")
    main = rows.column("main_number")
    if main.null_count or pc.any(pc.equal(pc.utf8_trim_whitespace(main), "")).as_py():
        raise BadContact("every contact needs a main number")
    return contacts.replace_contacts(store, user.number, rows, delete_existing)
