"""The main page: menu of widgets (HOME-1) and header (HOME-2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from fvkit.domain.calls import ExtensionStatus
from fvkit.domain.screens import Screen
from fvkit.portal import auth, home
from fvkit.portal.auth import acting_as
from fvkit.portal.home import header
from fvkit.store.db import Store

UserOf = Callable[[str], auth.User]


def _screens(user: auth.User) -> list[Screen]:
    return [rule.screen for rule in home.menu(user)]


@pytest.mark.req("HOME-1")
def test_menu_for_a_standard_user(user_of: UserOf) -> None:
    assert _screens(user_of("7101")) == [
        Screen.CALL_HISTORY,
        Screen.VOICEMAIL,
        Screen.CONTACT,
        Screen.CALL_HANDLING,
        Screen.DEVICE,
        Screen.PREFERENCES,
        Screen.ANALYTICS,
    ]


@pytest.mark.req("HOME-1")
@pytest.mark.req("AUTH-4")
def test_menu_shows_conference_only_with_the_privilege(user_of: UserOf) -> None:
    assert Screen.CONFERENCE in _screens(user_of("7104"))
    assert Screen.CONFERENCE not in _screens(user_of("7101"))


@pytest.mark.req("HOME-1")
@pytest.mark.req("AUTH-4")
def test_menu_hides_fax_contact_and_call_handling_for_basic(user_of: UserOf) -> None:
    # guide p.56: Basic has no Configuration, Contacts or Faxing - even with the Fax privilege.
    screens = _screens(user_of("7102"))
    assert screens == [Screen.CALL_HISTORY, Screen.VOICEMAIL, Screen.DEVICE, Screen.PREFERENCES, Screen.ANALYTICS]
    assert Screen.FAX in _screens(user_of("7104"))


@pytest.mark.req("HOME-1")
def test_menu_rules_carry_slug_and_icon(user_of: UserOf) -> None:
    rules = home.menu(user_of("7104"))
    assert {r.slug for r in rules} >= {"call_history", "conference", "fax", "reminder"}
    assert all(r.icon for r in rules)


@pytest.mark.req("HOME-2")
def test_header_shows_name_number_and_status(store: Store, user_of: UserOf) -> None:
    assert home.header(store, user_of("7102")) == home.Header(
        display_name="Arthur Dent",
        number="7102",
        status=ExtensionStatus.DND,
        status_at=None,
    )
    assert home.header(store, user_of("7104")).status is ExtensionStatus.IN_USE


@pytest.mark.req("HOME-2")
def test_header_reads_the_status_afresh(store: Store, user_of: UserOf) -> None:
    user = user_of("7101")
    assert home.header(store, user).status is ExtensionStatus.NOT_IN_USE
    at = datetime(2026, 3, 5, 9, 1)
    store.execute(
        "UPDATE extension SET status = ?, status_at = ? WHERE number = ?",
        ["Ringing", at, "7101"],
    )
    refreshed = home.header(store, user)
    assert (refreshed.status, refreshed.status_at) == (ExtensionStatus.RINGING, at)


@pytest.mark.req("HOME-2")
@pytest.mark.req("HD-1")
def test_header_shows_dnd_as_soon_as_call_handling_turns_it_on(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    seeded_store.execute("UPDATE extension SET status = 'Not in use' WHERE number = '7101'")
    seeded_store.execute("UPDATE handling SET dnd = false WHERE owner = '7101'")
    assert header(seeded_store, user).status.value == "Not in use"
    seeded_store.execute("UPDATE handling SET dnd = true WHERE owner = '7101'")
    assert header(seeded_store, user).status.value == "DND"
