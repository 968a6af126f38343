"""NB-1: the Preferences walkthrough (guide p.56-60): refusals, the time zone, and routing changed by preferences."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from fvkit.portal import auth, call_history, preferences
from fvkit.portal.display import TIME_FORMAT
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from tests.notebooks.harness import Lesson, Run

NOTEBOOK = "11-preferences.ipynb"
NOW = CLASS_NOW
NEW_PASSWORD = "classroom-2026"  # the notebook changes 7101's password to this


@pytest.fixture(scope="module")
def user(db: Store) -> auth.User:
    return auth.sign_in(db, "7101", NEW_PASSWORD, NOW)  # the old password no longer works


def _call(result: Run, tag: str, db: Store, user: auth.User) -> call_history.CallDetails:
    """Return the details of the call a cell placed, after checking it printed the call's whole flow."""
    shown = result.text(tag)
    found = re.search(r"call (\d+\.\d+)", shown)
    assert found, shown
    details = call_history.details(db, user, found[1])
    for time, what in details.flow.iter_rows():
        assert f"  {time} {what}\n" in shown
    assert len(shown.splitlines()) >= details.flow.height
    return details


def _steps(details: call_history.CallDetails) -> list[str]:
    return list(details.flow["Description"])


@pytest.mark.req("NB-1")
def test_user_setting_refusals_print_the_services_messages_and_change_nothing(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    expected = []
    for name, size, kind in [("banner.png", (300, 100), "PNG"), ("photo.gif", (120, 120), "GIF")]:
        buffer = io.BytesIO()
        Image.new("RGB", size, (46, 125, 50)).save(buffer, kind)
        with pytest.raises(preferences.BadPreference) as refused:
            preferences.check_picture(buffer.getvalue())
        expected.append(f"{name}: refused - {refused.value}")
    assert result.text("picture").splitlines()[:2] == expected
    kept = preferences.picture(db, user)
    assert kept is not None and Image.open(io.BytesIO(kept)).size == (120, 120)
    assert result.mime("picture", "image/png")
    assert "Refused: The current password is wrong.\nOld password still signs in: 7101" in result.text("password")
    with pytest.raises(auth.SignInError):
        auth.sign_in(db, "7101", CLASS_PASSWORD, NOW)
    assert "Refused: The PIN and its confirmation differ.\nNew PIN hint: ******" in result.text("vm_pin")
    assert preferences.user_setting(db, user).pin_hint == "******"


@pytest.mark.req("NB-1")
def test_the_same_call_is_shown_shifted_by_the_zone_offset(lesson: Lesson, db: Store) -> None:
    shown = lesson.run.text("display")
    before = re.search(r"Before: (\S+ \S+) America/Los_Angeles", shown)
    after = re.search(r"After:  (\S+ \S+) America/New_York", shown)
    assert before and after
    local_before = datetime.strptime(before[1], TIME_FORMAT).replace(tzinfo=ZoneInfo("America/Los_Angeles"))
    local_after = datetime.strptime(after[1], TIME_FORMAT)
    offset = local_before.astimezone(ZoneInfo("America/New_York")).utcoffset() - local_before.utcoffset()
    assert local_after - local_before.replace(tzinfo=None) == offset == timedelta(hours=3)  # EST - PST
    assert preferences.display(db, auth.sign_in(db, "7101", NEW_PASSWORD, NOW)).time_zone == "America/New_York"


@pytest.mark.req("NB-1")
def test_ring_duration_and_quick_mode_change_the_next_calls_routing(lesson: Lesson, db: Store, user: auth.User) -> None:
    result = lesson.run
    before, after = _call(result, "ring_before", db, user), _call(result, "ring_after", db, user)
    for details, seconds in ((before, 20), (after, 10)):
        start = datetime.strptime(details.flow["Time"][0], "%H:%M:%S")
        gave_up = details.flow.filter(details.flow["Description"].str.starts_with("call unsuccessful"))["Time"][0]
        assert (datetime.strptime(gave_up, "%H:%M:%S") - start).seconds == seconds
    assert preferences.incoming(db, user).ring_seconds == 10
    away = _call(result, "quick_call", db, user)
    assert "process call handling state:<OUTOFOFFICE> for user:<7101>" in _steps(away)
    assert not any(s.startswith("dial local extension") for s in _steps(away))  # the phone did not ring
    back = _call(result, "quick_expired", db, user)
    assert "process call handling state:<NORMAL> for user:<7101>" in _steps(back)
    assert "Effective mode: ''" in result.text("quick_expired")
    assert preferences.quick_mode(db, user, NOW).effective in result.text("quick")


@pytest.mark.req("NB-1")
def test_twinning_and_notifications_are_stored_and_route_the_next_call(
    lesson: Lesson, db: Store, user: auth.User
) -> None:
    result = lesson.run
    assert not any("twinning" in s for s in _steps(_call(result, "twinning", db, user)))
    assert "dial twinning number:14165550123 for user:<7101>" in _steps(_call(result, "twinning_new", db, user))
    assert preferences.twinning(db, user).number == "14165550123"
    assert "Refused: Number: '7105' is an extension; twinning rings an outside phone." in (
        result.text("twinning_refused")
    )
    stored = preferences.notifications(db, user)
    assert stored.emails == ("jennifer.hill@example.com", "jh@home.example") and stored.missed_call
    assert result.text("notifications").splitlines()[0] == "Refused: 'not-an-email' is not an email address."
