"""Fixtures for the portal services: an in-memory store with a few extensions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from fvkit.portal import auth
from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret

NOW = datetime(2026, 3, 5, 9, 0)

#: number, name, type, access level, privileges, status, password (None: none set)
PEOPLE: tuple[tuple[str, str, str, str, list[str], str, str | None], ...] = (
    ("7101", "Juliet Higgins", "User", "Standard", ["User portal"], "Not in use", "juliet-7101"),
    ("7102", "Arthur Dent", "User", "Basic", ["User portal", "Fax"], "DND", "arthur-7102"),
    ("7103", "Nora Kline", "User", "Standard", ["Conference"], "Not in use", "nora-7103"),
    (
        "7104",
        "Sam Ortega",
        "User",
        "Premium",
        ["User portal", "Conference", "Fax", "Reminder"],
        "In use",
        "sam-7104",
    ),
    ("7105", "Lena Fischer", "User", "Standard", ["User portal"], "Not in use", None),
    ("7190", "Front desk fax", "Fax", "Standard", ["User portal"], "Not in use", "fax-7190"),
)
PASSWORDS = {p[0]: p[6] for p in PEOPLE if p[6] is not None}


def populate(store: Store) -> None:
    """Insert the test extensions (and one time-zone preference) into a store."""
    for number, name, ext_type, level, privileges, status, password in PEOPLE:
        store.execute(
            "INSERT INTO extension (number, display_name, ext_type, department, location, "
            "email, access_level, auth_type, privileges, did, password_hash, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                number,
                name,
                ext_type,
                "Sales",
                "Burnaby",
                f"{number}@example.com",
                level,
                "Local",
                privileges,
                "",
                hash_secret(password) if password else None,
                status,
            ],
        )
    store.execute(
        "INSERT INTO preference (owner, phone_language, web_language, theme, time_zone, "
        "vm_notification, missed_call_email, notify_emails, vm_operator, vm_name, "
        "greeting_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            "7104",
            "English",
            "English",
            "Green",
            "Europe/Paris",
            "None",
            False,
            "",
            False,
            "Standard",
            "Standard",
        ],
    )


@pytest.fixture
def store() -> Iterator[Store]:
    """Return an in-memory store holding the test extensions."""
    db = Store(None)
    populate(db)
    yield db
    db.close()


@pytest.fixture
def user_of(store: Store) -> Callable[[str], auth.User]:
    """Return a function that signs an extension of PEOPLE in and returns its User."""

    def sign(number: str) -> auth.User:
        return auth.sign_in(store, number, PASSWORDS[number], NOW)

    return sign


@pytest.fixture
def now() -> datetime:
    """Return the fixed 'now' the tests sign in at."""
    return NOW


@pytest.fixture
def passwords() -> dict[str, str]:
    """Return the clear passwords of PEOPLE by extension number."""
    return dict(PASSWORDS)
