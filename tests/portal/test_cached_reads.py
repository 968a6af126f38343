"""Reads kept until the next write (the store's memo): what a user sees after a change (issue 12)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fvkit.domain.calls import ExtensionStatus
from fvkit.domain.prefs import Theme, VoicemailBox
from fvkit.portal import analytics, call_history, voicemail
from fvkit.portal.auth import acting_as
from fvkit.portal.call_handling import set_dnd
from fvkit.portal.home import header
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import Store
from fvkit.store.call_handling import schedules
from fvkit.store.contacts import directory
from fvkit.store.notifications import dnd_extensions
from fvkit.store.preferences import preference, save_display

NOW = datetime(2026, 10, 6, 17, 30)  # the seeded day is 2026-10-05 07:00 .. 10-06 07:00 UTC


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


# --- the per-click counts and the Analytics report (issue 12, second half) ----------------


@pytest.mark.req("VM-6")
def test_a_forwarded_voicemail_is_in_the_recipients_inbox_on_their_next_refresh(seeded_store: Store) -> None:
    sender = acting_as(seeded_store, "7101")
    mine = voicemail.list_messages(seeded_store, sender, VoicemailBox.ALL, size=1).rows
    if mine.is_empty():
        place_call(seeded_store, "7102", "7101", NOW, behaviour=Behaviour(leaves_message=True))
        mine = voicemail.list_messages(seeded_store, sender, VoicemailBox.ALL, size=1).rows
    target_number = next(iter(voicemail.forward_targets(seeded_store, sender)))
    target = acting_as(seeded_store, target_number)
    before = voicemail.list_messages(seeded_store, target, VoicemailBox.INBOX)  # the recipient's page, kept
    assert voicemail.counts(seeded_store, target) == before.counts
    (copy,) = voicemail.forward(seeded_store, sender, [int(mine["id"][0])], target_number)
    after = voicemail.list_messages(seeded_store, target, VoicemailBox.INBOX)
    assert after.total == before.total + 1
    assert after.label.endswith(f"of {before.total + 1}")
    assert after.rows["id"][0] == copy
    assert voicemail.counts(seeded_store, target)[VoicemailBox.INBOX] == before.counts[VoicemailBox.INBOX] + 1


@pytest.mark.req("CH-1")
def test_a_new_call_is_counted_by_the_pager_on_the_next_click(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    q = call_history.query(user)
    total = call_history.list_page(seeded_store, user, q).total
    assert call_history.count(seeded_store, user, q) == total
    place_call(seeded_store, "7101", "5551230000", NOW - timedelta(hours=1), behaviour=Behaviour(answers=True))
    assert call_history.list_page(seeded_store, user, q).label.endswith(f"of {total + 1}")
    assert call_history.count(seeded_store, user, q) == total + 1


def test_a_new_call_is_in_the_analytics_report_on_the_next_click(seeded_store: Store) -> None:
    user = acting_as(seeded_store, "7101")
    report = analytics.report(seeded_store, user, NOW)
    assert analytics.report(seeded_store, user, NOW + timedelta(seconds=20)) is report  # nothing written: kept
    place_call(seeded_store, "7101", "5551230000", NOW - timedelta(hours=1), behaviour=Behaviour(answers=True))
    again = analytics.report(seeded_store, user, NOW + timedelta(seconds=20))
    assert (again.kpis.calls, again.kpis.placed) == (report.kpis.calls + 1, report.kpis.placed + 1)
