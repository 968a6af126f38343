"""Reads kept until the next write (the store's memo): what a user sees after a change (issue 12)."""

from __future__ import annotations

import pytest

from fvkit.domain.calls import ExtensionStatus
from fvkit.domain.prefs import Theme
from fvkit.portal.auth import acting_as
from fvkit.portal.call_handling import set_dnd
from fvkit.portal.home import header
from fvkit.store import Store
from fvkit.store.call_handling import schedules
from fvkit.store.contacts import directory
from fvkit.store.notifications import dnd_extensions
from fvkit.store.preferences import preference, save_display


@pytest.mark.req("ORG-3")
def test_directory_shows_a_renamed_extension_at_once(seeded_store: Store) -> None:
    first = directory(seeded_store)
    assert directory(seeded_store) is first  # read once while nothing changes
    number = first.column("number")[0].as_py()
    seeded_store.execute("UPDATE extension SET display_name = 'Renamed Person' WHERE number = ?", [number])
    shown = dict(zip(*(directory(seeded_store).column(c).to_pylist() for c in ("number", "display_name")), strict=True))
    assert shown[number] == "Renamed Person"


@pytest.mark.req("HOME-2")
@pytest.mark.req("HD-1")
def test_dnd_shows_in_the_header_the_next_time_after_it_is_set(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    assert header(seeded_store, user).status is not ExtensionStatus.DND
    set_dnd(seeded_store, user, True)
    assert header(seeded_store, user).status is ExtensionStatus.DND
    dnd_extensions(seeded_store).clear()  # a caller changing its copy changes nothing kept
    assert "7101" in dnd_extensions(seeded_store)
    set_dnd(seeded_store, user, False)
    assert header(seeded_store, user).status is not ExtensionStatus.DND


@pytest.mark.req("PREF-5")
def test_a_saved_theme_is_read_the_next_time(seeded_store: Store) -> None:
    row = preference(seeded_store, "7101")
    theme = Theme.RED if row.theme != Theme.RED else Theme.BLUE
    save_display(seeded_store, "7101", row.phone_language, row.web_language, theme.value, row.time_zone)
    assert preference(seeded_store, "7101").theme == theme.value


@pytest.mark.req("ORG-4")
def test_schedules_show_a_new_schedule_at_once(seeded_store: Store) -> None:
    names = set(schedules(seeded_store))
    seeded_store.execute(
        "INSERT INTO schedule (name, description, weekdays, start_minute, end_minute) "
        "VALUES ('bench_new', 'Added now', [0, 1], 540, 1020)"
    )
    assert set(schedules(seeded_store)) == names | {"bench_new"}
