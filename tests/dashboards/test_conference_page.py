"""The Conference page through AppTest (CONF-1..5). The calendar itself is a custom
component (None in AppTest); the plain list under it shows the same occurrences."""

from __future__ import annotations

import email
import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from fvkit.media.mail import MailSettings
from fvkit.portal import conference
from fvkit.portal.auth import acting_as
from fvkit.portal.conference import EventForm, Repeat
from fvkit.store import Store
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import portal_copy

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
NOW = datetime(2026, 10, 5, 12)
MONTH = date(2026, 11, 1)
_IDS = itertools.count(200001)  # a fresh Conference ID per seeded event


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FVKIT_OUTBOX", str(tmp_path / "outbox"))  # no SMTP host: the autouse private_outbox
    yield from portal_copy(seeded_path, tmp_path, monkeypatch)


def _seed_events(path: Path, *starts: datetime, repeat: Repeat = Repeat.NONE, count: int | None = None) -> None:
    db = Store(path)
    user = acting_as(db, "7101")
    for i, start in enumerate(starts):
        form = EventForm(
            title=f"Seeded {i + 1}",
            conference_id=str(next(_IDS)),
            attendee_pin="123456",
            start=start,
            end=start + timedelta(hours=1),
            specific_pin="4321",
            repeat=repeat,
            count=count,
        )
        conference.save_event(db, user, form, NOW, settings=MailSettings(outbox=path.parent / "seed-outbox"))
    db.close()


def _page(month: date = MONTH) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input("7101")
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    at.session_state["conf_month"] = month
    at.switch_page("app_pages/conference.py").run()
    assert not at.exception
    return at


def _rows(at: AppTest) -> list[dict[str, object]]:
    return list(at.dataframe(key="conf_table").value.to_dict("records"))


@pytest.mark.req("CONF-1")
def test_the_month_lists_each_occurrence_of_the_users_events(db: Path) -> None:
    _seed_events(db, datetime(2026, 11, 3, 10), repeat=Repeat.WEEKLY, count=3)
    at = _page()
    assert any("November 2026" in m.value for m in at.markdown)
    assert [(r["Title"], r["Start"]) for r in _rows(at)] == [
        ("Seeded 1", "2026-11-03 10:00"),
        ("Seeded 1", "2026-11-10 10:00"),
        ("Seeded 1", "2026-11-17 10:00"),
    ]
    at.button(key="conf_next").click().run()
    assert any("December 2026" in m.value for m in at.markdown) and _rows(at) == []


def _fill_new(at: AppTest, title: str, day: date, hour: int = 10) -> AppTest:
    at.button(key="conf_new").click().run()
    assert at.text_input(key="conf_cid").value.isdigit()
    at.text_input(key="conf_title").input(title)
    at.date_input(key="conf_start_date").set_value(day)
    at.date_input(key="conf_end_date").set_value(day)
    at.time_input(key="conf_start_time").set_value(datetime(2026, 1, 1, hour).time())
    at.time_input(key="conf_end_time").set_value(datetime(2026, 1, 1, hour + 1).time())
    return at.run()


@pytest.mark.req("CONF-2")
@pytest.mark.req("CONF-4")
def test_a_new_event_with_an_attendee_is_listed_and_invites_them(db: Path, tmp_path: Path) -> None:
    at = _fill_new(_page(), "New phone model", date(2026, 11, 20), hour=21)
    at.button(key="conf_add_attendee").click().run()  # guide p.38: Add Attendee, email and name, Create
    at.text_input(key="conf_new_email").input("nathalie@fortinet")
    at.text_input(key="conf_new_name").input("Nathalie")
    at.button(key="conf_attendee_create").click().run()
    assert [e.value for e in at.error] == ["nathalie@fortinet is not a valid email address."]  # refused at once
    assert not any("Nathalie - " in m.value for m in at.markdown)
    at.text_input(key="conf_new_email").input("nathalie@fortinet.example")
    at.button(key="conf_attendee_create").click().run()
    assert not at.error
    assert any("Nathalie - nathalie@fortinet.example" in m.value for m in at.markdown)
    at.button(key="conf_ok").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Saved 'New phone model'. Invitation sent to 1 attendee."
    assert [(r["Title"], r["Start"], r["End"]) for r in _rows(at)] == [
        ("New phone model", "2026-11-20 21:00", "2026-11-20 22:00")
    ]
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Subject"].endswith("has invited you to a Conference Call - New phone model")
    assert msg["To"] == "Nathalie <nathalie@fortinet.example>"


@pytest.mark.req("CONF-2")
def test_a_new_event_without_a_title_is_refused_in_the_dialog(db: Path) -> None:
    at = _page()
    at.button(key="conf_new").click().run()
    at.button(key="conf_ok").click().run()
    assert [e.value for e in at.error] == ["Title is mandatory."]
    assert _rows(at) == []
    assert at.text_input(key="conf_title") is not None  # the dialog stays open


@pytest.mark.req("CONF-2")
def test_a_cleared_start_date_is_refused_with_a_message_and_saves_nothing(db: Path) -> None:
    at = _fill_new(_page(), "No date", date(2026, 11, 20))
    at.date_input(key="conf_start_date").set_value(None).run()
    at.button(key="conf_ok").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Choose the start and end dates."]
    assert _rows(at) == []


@pytest.mark.req("CONF-2")
def test_a_weekly_recurrence_is_chosen_in_the_dialog(db: Path) -> None:
    at = _fill_new(_page(), "Stand-up", date(2026, 11, 2), hour=9)
    at.selectbox(key="conf_repeat").select("Weekly").run()
    at.number_input(key="conf_count").set_value(3).run()
    at.button(key="conf_ok").click().run()
    assert not at.error
    assert [r["Start"] for r in _rows(at)] == ["2026-11-02 09:00", "2026-11-09 09:00", "2026-11-16 09:00"]


@pytest.mark.req("CONF-3")
def test_a_conference_over_the_simultaneous_limit_is_refused_with_the_limit(db: Path) -> None:
    _seed_events(db, *[datetime(2026, 11, 20, 10)] * 3)
    at = _fill_new(_page(), "One too many", date(2026, 11, 20), hour=10)
    at.button(key="conf_ok").click().run()
    (err,) = at.error
    assert "At most 3 user conferences can take place at the same time" in err.value
    assert "guide p." not in err.value  # user-facing text names the limit, not a page of the guide
    assert [r["Title"] for r in _rows(at)] == ["Seeded 1", "Seeded 2", "Seeded 3"]


@pytest.mark.req("CONF-5")
def test_conferencing_options_call_me_records_the_announcement(db: Path) -> None:
    at = _page()
    at.button(key="conf_options").click().run()
    assert any("No announcement yet." in c.value for c in at.caption)
    at.button(key="conf_call_me").click().run()
    assert not at.exception
    assert at.success[0].value == conference.CALL_ME_SENT


@pytest.mark.req("AUTH-5")
@pytest.mark.req("CONF-1")
def test_another_organizer_does_not_see_the_users_events(db: Path) -> None:
    _seed_events(db, datetime(2026, 11, 3, 10))
    store = Store(db)
    store.execute("UPDATE extension SET privileges = list_append(privileges, 'Conference') WHERE number = '7102'")
    store.close()
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input("7102")
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    at.session_state["conf_month"] = MONTH
    at.switch_page("app_pages/conference.py").run()
    assert not at.exception
    assert _rows(at) == []
    assert [(r["Title"]) for r in _rows(_page())] == ["Seeded 1"]
