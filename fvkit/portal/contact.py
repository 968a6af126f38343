"""Contact (guide p.21-25): personal contacts, business contacts, the directory, speed dials.

Every use case starts with `require_screen(user, Screen.CONTACT)` - personal contacts need
the "Contacts and Click to dial" feature, which Basic access lacks (guide p.56) - and
works on the user's own contacts only: the owner is always `user.number`, never an argument.
Speed dials live in `fvkit.portal.speed_dial`, the personal block list in
`fvkit.portal.block_list`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from fvkit.domain.contacts import Category, SortBy
from fvkit.domain.numbers import digits
from fvkit.domain.screens import Screen
from fvkit.portal.auth import PermissionDenied, User, require_screen
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


class DuplicateEntry(BadContact):
    """The entry is already there (a contact, a speed-dial key or number, a blocked number)."""


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


# --- adding, editing and deleting personal contacts (CT-4, CT-5, CH-9) ---------------------

#: longest display name, email or description a contact keeps (the import's bound too)
MAX_TEXT_CHARS = 1024
#: longest number text read at all; real numbers with punctuation stay well below it
MAX_NUMBER_CHARS = 40
#: the form's labels, by field (guide p.21, p.23)
FIELD_LABELS = {
    "display_name": "Display Name",
    "main_number": "Main Number",
    "mobile_number": "Mobile Number",
    "home_number": "Home Number",
    "email": "Email",
    "description": "Description",
}
NUMBER_FIELDS = ("main_number", "mobile_number", "home_number")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # U+2028/9 break lines too
#: a number as a CDR records it: digits only, country code first (no "+")
_BARE_INTERNATIONAL = re.compile(r"^[0-9]{11,15}$")


@dataclass(frozen=True, slots=True)
class Contact:
    """One personal contact as the edit form shows it."""

    id: int
    display_name: str
    main_number: str
    mobile_number: str
    home_number: str
    email: str
    description: str
    favorite: bool

    @property
    def numbers(self) -> tuple[str, ...]:
        """Return the contact's numbers that are set: main first, then mobile and home."""
        return tuple(n for n in (self.main_number, self.mobile_number, self.home_number) if n)

    @property
    def label(self) -> str:
        """Return how messages name the contact: its name, else its main number."""
        return self.display_name or self.main_number


def phone_number(text: str, label: str, region: str = DEFAULT_REGION) -> str:
    """Return a typed or recorded number as stored, or raise BadContact naming the field.

    As `normalise_number`, and a bare 11-15 digit number that is not valid in `region`
    is read as a CDR writes an international number: country code first, without "+".
    """
    value = text.strip()
    if len(value) > MAX_NUMBER_CHARS:
        raise BadContact(f"{label}: at most {MAX_NUMBER_CHARS} characters.")
    if _CONTROL.search(value):
        raise BadContact(f"{label} contains control characters.")
    try:
        return normalise_number(value, region)
    except BadContact:
        if _BARE_INTERNATIONAL.match(value):
            try:
                return normalise_number("+" + value, region)
            except BadContact:
                pass
    raise BadContact(
        f"{label}: {value!r} is not a phone number. Type an extension (2-6 digits) or a number such as +1 408 555 0100."
    )


def clean_text(text: str, label: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Return a text field trimmed, or raise BadContact if it is too long or has control characters."""
    value = text.strip()
    if len(value) > limit:
        raise BadContact(f"{label}: at most {limit:,} characters.")
    if _CONTROL.search(value):
        raise BadContact(f"{label} contains control characters (such as a line break).")
    return value


def _validated(
    display_name: str,
    main_number: str,
    mobile_number: str,
    home_number: str,
    email: str,
    description: str,
    region: str,
) -> dict[str, object]:
    """Return the contact's fields as stored; raise BadContact listing every problem."""
    region = known_region(region)
    typed = {
        "display_name": display_name,
        "main_number": main_number,
        "mobile_number": mobile_number,
        "home_number": home_number,
        "email": email,
        "description": description,
    }
    values: dict[str, object] = {}
    problems: list[str] = []
    for field, text in typed.items():
        label = FIELD_LABELS[field]
        try:
            if field == "main_number" and not text.strip():
                raise BadContact("Main Number is mandatory.")
            if field in NUMBER_FIELDS:
                values[field] = phone_number(text, label, region) if text.strip() else ""
            else:
                values[field] = clean_text(text, label)
            if field == "email" and values[field] and not is_email(str(values[field])):
                raise BadContact(f"Email: {text.strip()!r} is not an email address.")
        except BadContact as exc:
            problems.append(str(exc))
    if problems:
        raise BadContact(" ".join(problems))
    return values


def _duplicate(store: Store, user: User, values: dict[str, object], exclude: int | None) -> str | None:
    """Return why these values would duplicate another of the user's contacts, if they would.

    Display names are unique (guide p.15: "Add a unique Display Name"); a contact without
    a name is a duplicate of a nameless contact with the same main number.
    """
    name = str(values["display_name"]).casefold()
    main = digits(str(values["main_number"]))
    for row in contacts.list_contacts(store, user.number).to_pylist():
        if row["id"] == exclude:
            continue
        if name and row["display_name"].casefold() == name:
            return f"You already have a contact named {row['display_name']!r}: choose a unique Display Name."
        if not name and not row["display_name"] and digits(row["main_number"]) == main:
            return f"You already have a contact without a name for {row['main_number']}."
    return None


def add_contact(
    store: Store,
    user: User,
    display_name: str,
    main_number: str,
    *,
    mobile_number: str = "",
    home_number: str = "",
    email: str = "",
    description: str = "",
    favorite: bool = False,
    region: str = DEFAULT_REGION,
) -> int:
    """Add a personal contact (CT-4; CH-9 "More Action > Add to Contact"); return its id.

    Numbers are stored as `phone_number` reads them (a caller's bare CDR digits work).
    Nothing is saved when anything is wrong.

    Raises:
        PermissionDenied: the user may not open Contact (Basic access).
        BadContact: a field is missing or invalid; the message names every problem.
        DuplicateEntry: the display name is taken (or an unnamed contact has this number).
    """
    require_screen(user, Screen.CONTACT)
    values = _validated(display_name, main_number, mobile_number, home_number, email, description, region)
    why = _duplicate(store, user, values, exclude=None)
    if why:
        raise DuplicateEntry(why)
    return contacts.insert_contact(store, user.number, {**values, "favorite": favorite})


def get_contact(store: Store, user: User, contact_id: int) -> Contact:
    """Return one of the user's contacts.

    Raises:
        PermissionDenied: it is not the user's contact (or no longer exists).
    """
    require_screen(user, Screen.CONTACT)
    row = contacts.get_contact(store, user.number, int(contact_id))
    if row is None:
        raise PermissionDenied(f"Contact {contact_id} is not in the personal contacts of {user.number}.")
    return Contact(**row)  # type: ignore[arg-type]


def edit_contact(
    store: Store,
    user: User,
    contact_id: int,
    display_name: str,
    main_number: str,
    *,
    mobile_number: str = "",
    home_number: str = "",
    email: str = "",
    description: str = "",
    region: str = DEFAULT_REGION,
) -> Contact:
    """Change one of the user's contacts (CT-5) and return it as saved.

    Pass the whole form: a field left out is cleared. A changed number takes its speed
    dial along (a cleared one frees its key). A name is checked for uniqueness only
    when it changes, so contacts imported under one name stay editable.
    """
    before = get_contact(store, user, contact_id)
    values = _validated(display_name, main_number, mobile_number, home_number, email, description, region)
    if str(values["display_name"]).casefold() != before.display_name.casefold() or (
        not values["display_name"] and digits(str(values["main_number"])) != digits(before.main_number)
    ):
        why = _duplicate(store, user, values, exclude=before.id)
        if why:
            raise DuplicateEntry(why)
    if not contacts.update_contact(store, user.number, before.id, values):
        raise PermissionDenied(f"Contact {contact_id} is not in the personal contacts of {user.number}.")
    return get_contact(store, user, before.id)


def _own(store: Store, user: User, ids: Iterable[int]) -> list[int]:
    """Return the ids, distinct, after checking every one is the user's contact."""
    require_screen(user, Screen.CONTACT)
    wanted = sorted({int(i) for i in ids})
    missing = set(wanted) - contacts.owned_ids(store, user.number, wanted)
    if missing:
        raise PermissionDenied(
            f"Contacts {', '.join(map(str, sorted(missing)))} are not in the personal contacts of {user.number}."
        )
    return wanted


def delete_contacts(store: Store, user: User, ids: Iterable[int]) -> int:
    """Delete some of the user's contacts and their speed dials (CT-5); return how many.

    All or none: if any id is not the user's, nothing is deleted.
    """
    return contacts.delete_contacts(store, user.number, _own(store, user, ids))


def toggle_favorite(store: Store, user: User, ids: Iterable[int]) -> bool:
    """Click the star (CT-8): unstar the contacts if all are favorites, else star them all.

    Returns:
        Whether the contacts are favorites now.
    """
    wanted = _own(store, user, ids)
    if not wanted:
        raise BadContact("Select a contact first.")
    starred = {r["id"] for r in contacts.list_contacts(store, user.number).to_pylist() if r["favorite"]}
    favorite = not set(wanted) <= starred
    contacts.set_favorite(store, user.number, wanted, favorite)
    return favorite


# --- the three lists (CT-1, CT-2) ------------------------------------------------------------

#: the Personal Contact list's columns as shown, by stored column ("★" is the favorite star)
PERSONAL_LABELS = {
    "favorite": "★",
    "display_name": "Display Name",
    "main_number": "Main Number",
    "mobile_number": "Mobile Number",
    "home_number": "Home Number",
    "email": "Email",
    "description": "Description",
    "speed_dial": "Speed Dial",
}
BUSINESS_LABELS = {
    "display_name": "Display Name",
    "company": "Company",
    "main_number": "Main Number",
    "mobile_number": "Mobile Number",
    "email": "Email",
}
#: guide p.21: "extension number, display name on the phone, location ... and the extension type"
DIRECTORY_LABELS = {
    "number": "Extension Number",
    "display_name": "Display Name",
    "location": "Location",
    "ext_type": "Type",
}
_ORDER = {SortBy.DISPLAY_NAME: "name", SortBy.MAIN_NUMBER: "number"}
_CATEGORY = {Category.ALL: "all", Category.FAVORITE: "favorite", Category.SPEED_DIAL: "speed_dial"}


def personal_list(
    store: Store,
    user: User,
    *,
    sort_by: SortBy | str = SortBy.DISPLAY_NAME,
    category: Category | str = Category.ALL,
) -> pl.DataFrame:
    """Return the Personal Contact list as shown: `id` plus the PERSONAL_LABELS columns (CT-1, CT-2).

    Raises:
        BadContact: an unknown sort or category.
    """
    require_screen(user, Screen.CONTACT)
    try:
        order, only = _ORDER[SortBy(sort_by)], _CATEGORY[Category(category)]
    except ValueError as exc:
        raise BadContact(f"Unknown sort or category: {exc}.") from exc
    frame = pl.from_arrow(contacts.contact_rows(store, user.number, order=order, category=only))
    assert isinstance(frame, pl.DataFrame)
    frame = frame.with_columns(
        pl.when(pl.col("favorite")).then(pl.lit("★")).otherwise(pl.lit("")).alias("favorite"),
        pl.col("speed_dial").cast(pl.List(pl.String)).list.join(", ").alias("speed_dial"),
    )
    return frame.select("id", *[pl.col(c).alias(label) for c, label in PERSONAL_LABELS.items()])


def business_list(store: Store, user: User) -> pl.DataFrame:
    """Return the Business Contact list (read-only, the administrator's; CT-1)."""
    require_screen(user, Screen.CONTACT)
    frame = pl.from_arrow(contacts.business_contacts(store))
    assert isinstance(frame, pl.DataFrame)
    return frame.select([pl.col(c).alias(label) for c, label in BUSINESS_LABELS.items()])


def directory_list(store: Store, user: User) -> pl.DataFrame:
    """Return the Directory: every extension's number, display name, location, type (CT-1)."""
    require_screen(user, Screen.CONTACT)
    frame = pl.from_arrow(contacts.directory(store))
    assert isinstance(frame, pl.DataFrame)
    return frame.select([pl.col(c).alias(label) for c, label in DIRECTORY_LABELS.items()])
