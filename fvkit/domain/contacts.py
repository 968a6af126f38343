"""The Contact screen's lists, orders and categories (guide p.21-24)."""

from __future__ import annotations

from enum import StrEnum


class ContactList(StrEnum):
    """The top dropdown of Contact (guide p.21)."""

    PERSONAL = "Personal Contact"
    BUSINESS = "Business Contact"
    DIRECTORY = "Directory"


class SortBy(StrEnum):
    """Orders of the Personal Contact list (guide p.21 "Sort By")."""

    DISPLAY_NAME = "Display name"
    MAIN_NUMBER = "Main number"


class Category(StrEnum):
    """Which personal contacts the list shows (guide p.21 "Category", p.24)."""

    ALL = "All"
    SPEED_DIAL = "Speed Dial"
    FAVORITE = "Favorite"


#: Key pad numbers a speed dial can use. The guide (p.24) says only "a key pad number";
#: fvkit takes the keys a single press can reach, 1-9, like a mobile phone's speed dial:
#: 0 is left alone because callers press 0 for the operator (guide p.19).
SPEED_DIAL_KEYS = tuple(range(1, 10))
