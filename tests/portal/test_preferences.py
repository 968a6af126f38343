"""Preferences services (PREF-1..9): each change is stored, refusals change nothing, routing follows."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from PIL import Image

from fvkit.domain.handling import QuickModeCode, QuickStatus, TwinningMode, TwinningStatus
from fvkit.domain.org import AccessLevel
from fvkit.domain.prefs import DEFAULT_TIME_ZONE, Theme, VoicemailNotification
from fvkit.portal import auth, call_history
from fvkit.portal import preferences as prefs
from fvkit.portal.auth import PermissionDenied, User
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import Store
from fvkit.store.secrets import verify_secret
from tests.conftest import SEED_PASSWORD

NOW = datetime(2026, 10, 6, 17, 30)  # UTC; 10:30 in Los Angeles (PDT)


@pytest.fixture
def db(seeded_store: Store) -> Store:
    return seeded_store


@pytest.fixture
def juliet(db: Store) -> User:
    """7101: every privilege, Premium, local authentication."""
    return auth.sign_in(db, "7101", SEED_PASSWORD, NOW)


def _image(width: int, height: int, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 160, 90)).save(buf, format=fmt)
    return buf.getvalue()


def _flow(db: Store, uid: str) -> list[tuple[datetime, str]]:
    rows = db.execute("SELECT time, description FROM call_flow WHERE linkedid = ? ORDER BY seq", [uid]).fetchall()
    return [(t, str(d)) for t, d in rows]


def _row(db: Store, sql: str, number: str = "7101") -> tuple[object, ...]:
    found = db.execute(sql, [number]).fetchone()
    assert found is not None
    return tuple(found)


# --- PREF-1 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-1")
def test_user_setting_shows_number_name_and_the_p56_table(db: Store, juliet: User) -> None:
    setting = prefs.user_setting(db, juliet)
    assert (setting.number, setting.display_name) == ("7101", juliet.extension.display_name)
    assert setting.access_level is AccessLevel.PREMIUM and setting.may_change_password
    table = prefs.access_table(setting.access_level)
    assert table.columns == ["Features", "Basic", "Standard", "Premium", "Yours (Premium)"]
    assert table.row(0) == ("Configuration", "No", "Yes", "Yes", "✔")
    assert table.row(3) == ("Call center console", "No", "No", "No", "")
    assert table.height == 5


# --- PREF-2 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-2")
def test_picture_upload_keeps_a_near_square_png_or_jpeg_and_delete_removes_it(db: Store, juliet: User) -> None:
    png = _image(100, 110)
    prefs.upload_picture(db, juliet, png, NOW)
    assert prefs.picture(db, juliet) == png
    jpeg = _image(120, 100, "JPEG")
    prefs.upload_picture(db, juliet, jpeg, NOW)
    assert prefs.picture(db, juliet) == jpeg and prefs.user_setting(db, juliet).has_picture
    prefs.delete_picture(db, juliet, NOW)
    assert prefs.picture(db, juliet) is None and not prefs.user_setting(db, juliet).has_picture


@pytest.mark.req("PREF-2")
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_image(200, 100), "ratio 2.00"),
        (_image(100, 200), "ratio 0.50"),
        (_image(100, 100, "GIF"), "GIF picture"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a JPEG or PNG"),
        (_image(100, 100)[:60], "not a JPEG or PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "at most 5 MB"),
    ],
)
def test_picture_refused_by_content_saves_nothing(db: Store, juliet: User, data: bytes, reason: str) -> None:
    prefs.upload_picture(db, juliet, _image(100, 100), NOW)
    before = prefs.picture(db, juliet)
    blobs = db.execute("SELECT count(*) FROM media_blob").fetchone()
    with pytest.raises(prefs.BadPreference, match=reason):
        prefs.upload_picture(db, juliet, data, NOW)
    assert prefs.picture(db, juliet) == before
    assert db.execute("SELECT count(*) FROM media_blob").fetchone() == blobs


# --- PREF-3 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-3")
def test_vm_pin_is_stored_only_as_an_argon2_hash_with_a_new_hint(db: Store, juliet: User) -> None:
    assert prefs.change_vm_pin(db, juliet, "24680", "24680") == "******"
    stored, hint = _row(db, "SELECT vm_pin_hash, vm_pin_hint FROM extension WHERE number = ?")
    assert isinstance(stored, str) and stored.startswith("$argon2id$") and "24680" not in stored
    assert verify_secret(stored, "24680") and hint == "******"
    assert prefs.user_setting(db, juliet).pin_hint == "******"


@pytest.mark.req("PREF-3")
@pytest.mark.parametrize(
    ("pin", "confirm", "reason"),
    [
        ("123", "123", "4-10 digits"),
        ("12345678901", "12345678901", "4-10 digits"),
        ("12a4", "12a4", "4-10 digits"),
        ("１２３４", "１２３４", "4-10 digits"),  # full-width digits are not keypad digits
        ("2468", "2486", "differ"),
    ],
)
def test_vm_pin_refused_leaves_the_old_one(db: Store, juliet: User, pin: str, confirm: str, reason: str) -> None:
    before = _row(db, "SELECT vm_pin_hash, vm_pin_hint FROM extension WHERE number = ?")
    with pytest.raises(prefs.BadPreference, match=reason):
        prefs.change_vm_pin(db, juliet, pin, confirm)
    assert _row(db, "SELECT vm_pin_hash, vm_pin_hint FROM extension WHERE number = ?") == before


# --- PREF-4 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-4")
def test_password_change_needs_the_current_one_and_signs_in_with_the_new(db: Store, juliet: User) -> None:
    prefs.change_password(db, juliet, SEED_PASSWORD, "a-new-passphrase", "a-new-passphrase", now=NOW)
    (stored,) = _row(db, "SELECT password_hash FROM extension WHERE number = ?")
    assert isinstance(stored, str) and stored.startswith("$argon2id$") and "a-new-passphrase" not in stored
    assert auth.sign_in(db, "7101", "a-new-passphrase", NOW).number == "7101"
    with pytest.raises(auth.SignInError):
        auth.sign_in(db, "7101", SEED_PASSWORD, NOW)


@pytest.mark.req("PREF-4")
@pytest.mark.parametrize(
    ("current", "new", "confirm", "reason"),
    [
        ("wrong-password", "a-new-passphrase", "a-new-passphrase", "current password is wrong"),
        (SEED_PASSWORD, "short", "short", "8-128 characters"),
        (SEED_PASSWORD, "a-new-passphrase", "a-new-passphrasE", "differ"),
    ],
)
def test_password_refused_leaves_the_old_one(
    db: Store, juliet: User, current: str, new: str, confirm: str, reason: str
) -> None:
    before = _row(db, "SELECT password_hash FROM extension WHERE number = ?")
    with pytest.raises(prefs.BadPreference, match=reason):
        prefs.change_password(db, juliet, current, new, confirm, now=NOW)
    assert _row(db, "SELECT password_hash FROM extension WHERE number = ?") == before


@pytest.mark.req("PREF-4")
def test_password_change_is_not_offered_with_ldap_authentication(db: Store, juliet: User) -> None:
    db.execute("UPDATE extension SET auth_type = 'LDAP' WHERE number = '7101'")
    assert not prefs.user_setting(db, juliet).may_change_password
    with pytest.raises(prefs.BadPreference, match="LDAP"):
        prefs.change_password(db, juliet, SEED_PASSWORD, "a-new-passphrase", "a-new-passphrase", now=NOW)


# --- PREF-5 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-5")
def test_display_defaults_for_a_user_who_never_saved(store: Store, user_of: Callable[[str], User]) -> None:
    shown = prefs.display(store, user_of("7101"))
    assert shown == prefs.Display("English", "English", Theme.GREEN, DEFAULT_TIME_ZONE)


@pytest.mark.req("PREF-5")
def test_time_zone_change_shifts_every_time_in_call_history(db: Store, juliet: User) -> None:
    q = call_history.query(juliet)
    before = call_history.list_page(db, juliet, q).rows["Start"][0]
    new = prefs.Display("French", "English", Theme.ORANGE, "Asia/Tokyo")
    tokyo = prefs.save_display(db, juliet, new)
    assert tokyo.time_zone == "Asia/Tokyo" and prefs.display(db, tokyo) == new
    after = call_history.list_page(db, tokyo, q).rows["Start"][0]
    fmt = "%Y-%m-%d %H:%M:%S"
    assert datetime.strptime(after, fmt) - datetime.strptime(before, fmt) == timedelta(hours=16)  # PDT -> JST
    # a later sign-in (or a restored session) reads the zone from the store
    assert auth.sign_in(db, "7101", SEED_PASSWORD, NOW).time_zone == "Asia/Tokyo"


@pytest.mark.req("PREF-5")
@pytest.mark.parametrize(
    "bad",
    [
        prefs.Display("Klingon", "English", Theme.GREEN, DEFAULT_TIME_ZONE),
        prefs.Display("English", "Klingon", Theme.GREEN, DEFAULT_TIME_ZONE),
        prefs.Display("English", "English", Theme.GREEN, "Mars/Olympus"),
        prefs.Display("English", "English", "Purple", DEFAULT_TIME_ZONE),  # type: ignore[arg-type]
    ],
)
def test_display_refused_leaves_it_unchanged(db: Store, juliet: User, bad: prefs.Display) -> None:
    before = prefs.display(db, juliet)
    with pytest.raises(prefs.BadPreference, match="Unknown"):
        prefs.save_display(db, juliet, bad)
    assert prefs.display(db, juliet) == before


# --- PREF-6 ---------------------------------------------------------------------------


def _noanswer_after(db: Store, uid: str) -> timedelta:
    flow = _flow(db, uid)
    return next(t for t, d in flow if d == "call unsuccessful, status: NOANSWER") - flow[0][0]


@pytest.mark.req("PREF-6")
def test_ring_duration_moves_the_noanswer_step_of_the_next_call(db: Store, juliet: User) -> None:
    prefs.save_incoming(db, juliet, 45, True)
    assert prefs.incoming(db, juliet) == prefs.Incoming(45, True)
    uid = place_call(db, "7102", "7101", NOW, behaviour=Behaviour(answers=False, leaves_message=False))
    assert _noanswer_after(db, uid) == timedelta(seconds=45)
    prefs.save_incoming(db, juliet, 10, False)
    uid = place_call(db, "7102", "7101", NOW + timedelta(minutes=5), behaviour=Behaviour(answers=False))
    assert _noanswer_after(db, uid) == timedelta(seconds=10)
    assert _row(db, "SELECT ring_seconds, call_waiting FROM handling WHERE owner = ?") == (10, False)


@pytest.mark.req("PREF-6")
@pytest.mark.parametrize("seconds", [4, 121, 0, -5])
def test_ring_duration_outside_5_to_120_is_refused(db: Store, juliet: User, seconds: int) -> None:
    before = prefs.incoming(db, juliet)
    with pytest.raises(prefs.BadPreference, match="5-120"):
        prefs.save_incoming(db, juliet, seconds, not before.call_waiting)
    assert prefs.incoming(db, juliet) == before


# --- PREF-7 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-7")
def test_quick_mode_721_routes_the_next_call_out_of_office_until_it_expires(db: Store, juliet: User) -> None:
    prefs.save_quick_option(db, juliet, QuickStatus.OUT_OF_OFFICE, 60)
    view = prefs.activate_quick(db, juliet, QuickModeCode.OUT_OF_OFFICE, NOW)
    # 18:30 UTC is 11:30 in Los Angeles (PDT)
    assert view.effective == "Out of office: (expiring at 2026-10-06 11:30:00)"
    assert view.status is QuickStatus.OUT_OF_OFFICE
    uid = place_call(db, "7102", "7101", NOW + timedelta(minutes=5), behaviour=Behaviour(answers=False))
    assert any(d == "process call handling state:<OUTOFOFFICE> for user:<7101>" for _, d in _flow(db, uid))
    later = NOW + timedelta(hours=2)
    assert prefs.quick_mode(db, juliet, later).effective == ""
    uid = place_call(db, "7102", "7101", later, behaviour=Behaviour(answers=False))
    assert not any("OUTOFOFFICE" in d for _, d in _flow(db, uid))


@pytest.mark.req("PREF-7")
def test_quick_mode_until_cancelled_and_720_cancels(db: Store, juliet: User) -> None:
    prefs.save_quick_option(db, juliet, QuickStatus.AWAY, None)
    view = prefs.activate_quick(db, juliet, "*722", NOW)
    assert view.effective == "Away: (until cancelled with *720)"
    assert {o.code: o.label for o in view.options}[QuickModeCode.AWAY] == "Away: until cancelled"
    uid = place_call(db, "7102", "7101", NOW + timedelta(days=3), behaviour=Behaviour(answers=False))
    assert any("state:<AWAY>" in d for _, d in _flow(db, uid))
    view = prefs.activate_quick(db, juliet, QuickModeCode.CANCEL, NOW)
    assert view.effective == "" and view.status is None
    uid = place_call(db, "7102", "7101", NOW + timedelta(days=4), behaviour=Behaviour(answers=False))
    assert not any("state:<AWAY>" in d for _, d in _flow(db, uid))


@pytest.mark.req("PREF-7")
def test_quick_option_edits_are_kept_and_bad_ones_refused(db: Store, juliet: User) -> None:
    prefs.save_quick_option(db, juliet, "Other", 90)
    labels = {o.code: o.label for o in prefs.quick_mode(db, juliet, NOW).options}
    assert labels[QuickModeCode.OTHER] == "Other: for 1 h 30 min"
    for status, minutes in [("Other", 0), ("Other", 60 * 24 * 31), ("Holiday", 10)]:
        with pytest.raises(prefs.BadPreference):
            prefs.save_quick_option(db, juliet, status, minutes)
    with pytest.raises(prefs.BadPreference, match="Unknown quick mode code"):
        prefs.activate_quick(db, juliet, "*729", NOW)
    assert {o.code: o.label for o in prefs.quick_mode(db, juliet, NOW).options} == labels


# --- PREF-8 ---------------------------------------------------------------------------


def _twin_lines(db: Store, uid: str) -> list[str]:
    return [d for _, d in _flow(db, uid) if d.startswith("dial twinning number:")]


@pytest.mark.req("PREF-8")
def test_simple_twinning_activated_rings_the_twin_on_the_next_call(db: Store, juliet: User) -> None:
    prefs.save_twinning(db, juliet, TwinningMode.DISABLED)
    uid = place_call(db, "7102", "7101", NOW, behaviour=Behaviour(answers=False))
    assert _twin_lines(db, uid) == []
    saved = prefs.save_twinning(
        db, juliet, TwinningMode.SIMPLE, status=TwinningStatus.ACTIVATED, number="+1 (408) 555-0142"
    )
    assert (saved.mode, saved.status, saved.number) == (TwinningMode.SIMPLE, TwinningStatus.ACTIVATED, "14085550142")
    uid = place_call(db, "7102", "7101", NOW + timedelta(minutes=1), behaviour=Behaviour(answers=False))
    assert _twin_lines(db, uid) == ["dial twinning number:14085550142 for user:<7101>"]
    prefs.save_twinning(db, juliet, TwinningMode.SIMPLE, status=TwinningStatus.DEACTIVATED, number="4085550142")
    uid = place_call(db, "7102", "7101", NOW + timedelta(minutes=2), behaviour=Behaviour(answers=False))
    assert _twin_lines(db, uid) == []


@pytest.mark.req("PREF-8")
def test_scheduled_twinning_keeps_up_to_three_rows_and_rings_in_its_schedule(db: Store, juliet: User) -> None:
    rows = [("all_day", "408 555 0101"), ("weekend", "+44 20 7946 0958"), ("lunch", "4085550103")]
    saved = prefs.save_twinning(db, juliet, "Scheduled", scheduled=rows)
    assert saved.scheduled == (("all_day", "14085550101"), ("weekend", "442079460958"), ("lunch", "14085550103"))
    uid = place_call(db, "7102", "7101", NOW, behaviour=Behaviour(answers=False))
    assert _twin_lines(db, uid) == ["dial twinning number:14085550101 for user:<7101>"]
    # Disabled stops the twin ringing but keeps the rows for a switch back
    assert prefs.save_twinning(db, juliet, "Disabled").scheduled == saved.scheduled
    uid = place_call(db, "7102", "7101", NOW + timedelta(minutes=1), behaviour=Behaviour(answers=False))
    assert _twin_lines(db, uid) == []


@pytest.mark.req("PREF-8")
@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"mode": "Simple", "status": "Activated", "number": ""}, "Enter the number"),
        ({"mode": "Simple", "status": "Activated", "number": "7102"}, "is an extension"),
        ({"mode": "Simple", "status": "Activated", "number": "555-HELLO; DROP"}, "not a phone number"),
        ({"mode": "Scheduled", "scheduled": []}, "at least one schedule"),
        ({"mode": "Scheduled", "scheduled": [("all_day", "4085550101")] * 2}, "already used"),
        ({"mode": "Scheduled", "scheduled": [("nope", "4085550101")]}, "organisation's schedules"),
        (
            {"mode": "Scheduled", "scheduled": [(s, "4085550101") for s in ("all_day", "lunch", "weekend", "x")]},
            "At most 3",
        ),
        ({"mode": "Sometimes"}, "Unknown twinning"),
    ],
)
def test_twinning_refused_leaves_it_unchanged(db: Store, juliet: User, kwargs: dict[str, object], reason: str) -> None:
    before = prefs.twinning(db, juliet)
    mode = kwargs.pop("mode")
    with pytest.raises(prefs.BadPreference, match=reason):
        prefs.save_twinning(db, juliet, mode, **kwargs)  # type: ignore[arg-type]
    assert prefs.twinning(db, juliet) == before


@pytest.mark.req("PREF-8")
def test_twinning_needs_the_privilege(db: Store) -> None:
    arthur = auth.sign_in(db, "7102", SEED_PASSWORD, NOW)  # no Twinning privilege in the seed
    assert not prefs.may_twin(arthur)
    with pytest.raises(PermissionDenied):
        prefs.twinning(db, arthur)
    with pytest.raises(PermissionDenied):
        prefs.save_twinning(db, arthur, "Simple", status="Activated", number="4085550101")


# --- PREF-9 ---------------------------------------------------------------------------


@pytest.mark.req("PREF-9")
def test_notification_options_are_kept(db: Store, juliet: User) -> None:
    saved = prefs.save_notifications(db, juliet, "With attachment", True, "a@example.com; b@example.org, a@example.com")
    assert saved == prefs.Notifications(VoicemailNotification.WITH_ATTACHMENT, True, ("a@example.com", "b@example.org"))
    assert prefs.notifications(db, juliet) == saved
    assert prefs.save_notifications(db, juliet, "None", False, "").emails == ()


@pytest.mark.req("PREF-9")
@pytest.mark.parametrize(
    ("vm", "missed", "emails", "reason"),
    [
        ("Simple", False, "not-an-address", "not an email address"),
        ("Simple", False, "a@example.com\r\nBcc: evil@example.com", "not an email address"),
        ("Simple", False, "", "Enter the email address"),
        ("None", True, "", "Enter the email address"),
        ("Loud", False, "a@example.com", "Unknown voicemail notification"),
        ("None", False, ", ".join(f"u{i}@example.com" for i in range(6)), "At most 5"),
    ],
)
def test_notification_options_refused_leave_them_unchanged(
    db: Store, juliet: User, vm: str, missed: bool, emails: str, reason: str
) -> None:
    before = prefs.notifications(db, juliet)
    with pytest.raises(prefs.BadPreference, match=reason):
        prefs.save_notifications(db, juliet, vm, missed, emails)
    assert prefs.notifications(db, juliet) == before
