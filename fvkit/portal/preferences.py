"""Preferences (guide p.56-60): user setting, display, incoming calls, quick mode, twinning, notifications."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from fvkit.domain.handling import QUICK_MODE_BY_CODE, QuickModeCode, QuickStatus, TwinningMode, TwinningStatus
from fvkit.domain.limits import (
    PICTURE_THUMBNAIL_PX,
    TWINNING_MAX_SCHEDULES,
    VM_PIN_HINT,
)
from fvkit.domain.numbers import digits
from fvkit.domain.org import ACCESS_FEATURES, AccessLevel, AuthType, Privilege
from fvkit.domain.prefs import PHONE_LANGUAGES, TIME_ZONES, WEB_LANGUAGES, Theme, VoicemailNotification
from fvkit.domain.screens import Screen
from fvkit.media import pictures
from fvkit.portal import contact
from fvkit.portal.auth import SignInError, User, check_current_password, require, require_screen
from fvkit.portal.display import local_time
from fvkit.store import accounts, blobs, preferences
from fvkit.store.db import Store
from fvkit.store.secrets import hash_secret

PIN_MIN, PIN_MAX = 4, 10  # digits of a voicemail PIN
PASSWORD_MIN = 8  # characters of a portal password
PASSWORD_MAX = 128
RING_MIN_S, RING_MAX_S = 5, 120  # Incoming Calls > Ring duration
QUICK_MAX_MINUTES = 60 * 24 * 30  # a quick mode lasts at most 30 days
MAX_EMAILS = 5
MAX_EMAILS_CHARS = 500
_EMAIL_SPLIT = re.compile(r"[,;\s]+")


class BadPreference(ValueError):
    """A value the Preferences screen cannot take; the message is safe to show."""


def _screen(user: User) -> None:
    require_screen(user, Screen.PREFERENCES)


# --- User Setting (PREF-1..4) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserSetting:
    """The User Setting section (guide p.56-57)."""

    number: str
    display_name: str
    access_level: AccessLevel
    has_picture: bool
    pin_hint: str
    may_change_password: bool  # only with local authentication (guide p.57)


def user_setting(store: Store, user: User) -> UserSetting:
    """Return the read-only fields and what the user may change (PREF-1)."""
    _screen(user)
    ext = accounts.get_extension(store, user.number) or user.extension
    _, hint = preferences.vm_pin(store, user.number)
    return UserSetting(
        number=ext.number,
        display_name=ext.display_name,
        access_level=ext.access_level,
        has_picture=preferences.preference(store, user.number).picture_sha256 is not None,
        pin_hint=hint,
        may_change_password=ext.auth_type is AuthType.LOCAL,
    )


def access_table(level: AccessLevel) -> pl.DataFrame:
    """Return the p.56 feature table, with a column saying what the user's level includes."""
    return pl.DataFrame(
        {
            "Features": [f.value for f in ACCESS_FEATURES],
            **{lvl.value: ["Yes" if row[lvl] else "No" for row in ACCESS_FEATURES.values()] for lvl in AccessLevel},
            f"Yours ({level.value})": ["✔" if row[level] else "" for row in ACCESS_FEATURES.values()],
        }
    )


def check_picture(data: bytes) -> str:
    """Return the MIME type of an acceptable picture, judged by its bytes (PREF-2, guide p.57).

    Raises:
        BadPreference: too large (bytes or pixels), not a JPEG or PNG, damaged, or not nearly square.
    """
    try:
        return pictures.check_picture(data)
    except pictures.BadPicture as exc:
        raise BadPreference(str(exc)) from exc


def upload_picture(store: Store, user: User, data: bytes, now: datetime) -> str:
    """Check the user's picture and store it, scaled to a bounded thumbnail; return its sha256.

    Nothing is saved when it is refused.
    """
    _screen(user)
    mime = check_picture(data)
    key = preferences.set_picture(store, user.number, pictures.thumbnail(data, PICTURE_THUMBNAIL_PX), mime, now)
    assert key is not None
    return key


def delete_picture(store: Store, user: User, now: datetime) -> None:
    """Remove the user's picture."""
    _screen(user)
    preferences.set_picture(store, user.number, None, "", now)


def picture(store: Store, user: User) -> bytes | None:
    """Return the bytes of the user's picture, if any."""
    _screen(user)
    sha = preferences.preference(store, user.number).picture_sha256
    blob = blobs.get(store, sha) if sha else None
    return None if blob is None else blob.content


def pin_hint(pin: str) -> str:
    """Return the hint shown for a PIN: that one is set, and nothing of its digits or length."""
    return VM_PIN_HINT if pin else ""


def weak_pin(pin: str, number: str) -> str | None:
    """Return why a PIN is too easy to guess (one digit repeated, a run, the extension), or None."""
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if len(set(pin)) == 1:
        return "The PIN repeats one digit: choose a harder one."
    if steps in ({1}, {-1}):
        return "The PIN is a run of digits (like 123456): choose a harder one."
    if number and number in pin:
        return "The PIN contains your extension number: choose a harder one."
    return None


def change_vm_pin(store: Store, user: User, pin: str, confirm: str) -> str:
    """Store a new voicemail PIN as an argon2 hash; return its new hint (PREF-3)."""
    _screen(user)
    if not pin.isascii() or not pin.isdigit() or not PIN_MIN <= len(pin) <= PIN_MAX:
        raise BadPreference(f"The PIN must be {PIN_MIN}-{PIN_MAX} digits.")
    if pin != confirm:
        raise BadPreference("The PIN and its confirmation differ.")
    reason = weak_pin(pin, user.number)
    if reason is not None:
        raise BadPreference(reason)
    hint = pin_hint(pin)
    preferences.set_vm_pin(store, user.number, hash_secret(pin), hint)
    return hint


def check_password(password: str) -> None:
    """Refuse a portal password the portal would not accept (PREF-4): the one rule, for the CLI too."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise BadPreference(f"The new password must have {PASSWORD_MIN}-{PASSWORD_MAX} characters.")


def reset_password(store: Store, number: str, password: str) -> None:
    """Set an extension's portal password without the current one: the administrator's reset.

    Raises:
        BadPreference: the password breaks the rule of `check_password`; nothing changes.
        LookupError: there is no such extension.
    """
    check_password(password)
    if accounts.get_extension(store, number) is None:
        raise LookupError(f"no extension {number}")
    accounts.set_password_hash(store, number, hash_secret(password))


def change_password(
    store: Store, user: User, current: str, new: str, confirm: str, *, now: datetime, keep_token: str | None = None
) -> None:
    """Replace the portal password, after checking the current one (PREF-4, guide p.57).

    The check is throttled like sign-in (wrong guesses count toward its lock-out), and the
    change ends every other session and Remember-me token of the user; `keep_token` is the
    token of the session making the change, which stays signed in.
    """
    _screen(user)
    ext = accounts.get_extension(store, user.number)
    if ext is None or ext.auth_type is not AuthType.LOCAL:
        raise BadPreference("Your password is managed by your directory (LDAP), not the portal.")
    try:
        right = check_current_password(store, user, current, now)
    except SignInError as err:
        raise BadPreference(err.message) from err
    if not right:
        raise BadPreference("The current password is wrong.")
    check_password(new)
    if new != confirm:
        raise BadPreference("The new password and its confirmation differ.")
    accounts.set_password_hash(store, user.number, hash_secret(new), keep_token=keep_token)


# --- Display Preference (PREF-5) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Display:
    """The Display Preference section (guide p.57)."""

    phone_language: str
    web_language: str
    theme: Theme
    time_zone: str  # IANA zone; TIME_ZONES labels it


def display(store: Store, user: User) -> Display:
    """Return the user's display preference."""
    _screen(user)
    row = preferences.preference(store, user.number)
    return Display(row.phone_language, row.web_language, Theme(row.theme), row.time_zone)


def save_display(store: Store, user: User, new: Display) -> User:
    """Store the display preference; return the user as the session must now see them."""
    _screen(user)
    if new.phone_language not in PHONE_LANGUAGES:
        raise BadPreference(f"Unknown phone language {new.phone_language!r}.")
    if new.web_language not in WEB_LANGUAGES:
        raise BadPreference(f"Unknown web language {new.web_language!r}.")
    if new.time_zone not in TIME_ZONES:
        raise BadPreference(f"Unknown time zone {new.time_zone!r}.")
    try:
        theme = Theme(new.theme)
    except ValueError:
        raise BadPreference(f"Unknown theme {new.theme!r}.") from None
    preferences.save_display(store, user.number, new.phone_language, new.web_language, theme.value, new.time_zone)
    return User(user.extension, new.time_zone)


# --- Incoming Calls (PREF-6) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incoming:
    """The Incoming Calls section (guide p.58)."""

    ring_seconds: int
    call_waiting: bool


def incoming(store: Store, user: User) -> Incoming:
    """Return the ring duration and call waiting the next call is routed with."""
    _screen(user)
    row = preferences.handling(store, user.number)
    return Incoming(row.ring_seconds, row.call_waiting)


def save_incoming(store: Store, user: User, ring_seconds: int, call_waiting: bool) -> Incoming:
    """Store ring duration (seconds before voicemail) and call waiting; the next call uses them."""
    _screen(user)
    if isinstance(ring_seconds, bool) or not isinstance(ring_seconds, int):
        raise BadPreference("The ring duration is a whole number of seconds.")
    if not RING_MIN_S <= ring_seconds <= RING_MAX_S:
        raise BadPreference(f"The ring duration must be {RING_MIN_S}-{RING_MAX_S} seconds.")
    preferences.save_incoming(store, user.number, ring_seconds, bool(call_waiting))
    return Incoming(ring_seconds, bool(call_waiting))


# --- Quick Mode (PREF-7) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuickOption:
    """One quick mode of the section: its code and how long it lasts once activated."""

    code: QuickModeCode
    status: QuickStatus
    duration_minutes: int | None  # None: until cancelled with *720

    @property
    def label(self) -> str:
        """Return the option as the section shows it."""
        if self.duration_minutes is None:
            return f"{self.status.value}: until cancelled"
        hours, minutes = divmod(self.duration_minutes, 60)
        span = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
        return f"{self.status.value}: for {span}"


@dataclass(frozen=True, slots=True)
class QuickModeView:
    """The Quick Mode section (guide p.58)."""

    effective: str  # "Out of office: (expiring at 2022-01-15 09:00:00)"; '' when none
    status: QuickStatus | None
    options: tuple[QuickOption, ...]


def quick_mode(store: Store, user: User, now: datetime) -> QuickModeView:
    """Return the effective quick mode at `now` (naive UTC) and each mode's option."""
    _screen(user)
    row = preferences.handling(store, user.number)
    status: QuickStatus | None = None
    effective = ""
    if row.quick_status and (row.quick_expires is None or row.quick_expires > now):
        status = QuickStatus(row.quick_status)
        if row.quick_expires is None:
            effective = f"{status.value}: (until cancelled with {QuickModeCode.CANCEL.value})"
        else:
            effective = f"{status.value}: (expiring at {local_time(row.quick_expires, user.time_zone)})"
    stored = preferences.quick_settings(store, user.number)
    options = tuple(
        QuickOption(code, s, stored.get(s.value)) for code, s in QUICK_MODE_BY_CODE.items() if s is not None
    )
    return QuickModeView(effective, status, options)


def save_quick_option(store: Store, user: User, status: QuickStatus | str, duration_minutes: int | None) -> None:
    """Store how long a quick mode lasts once activated (None: until cancelled)."""
    _screen(user)
    try:
        s = QuickStatus(status)
    except ValueError:
        raise BadPreference(f"Unknown quick mode {status!r}.") from None
    if duration_minutes is not None and not 1 <= duration_minutes <= QUICK_MAX_MINUTES:
        raise BadPreference(f"A quick mode lasts 1 minute to {QUICK_MAX_MINUTES // 1440} days.")
    preferences.save_quick_setting(store, user.number, s.value, duration_minutes)


def activate_quick(store: Store, user: User, code: QuickModeCode | str, now: datetime) -> QuickModeView:
    """Do what dialling the code does (*720 cancels, *721-*723 start a mode); return the section."""
    _screen(user)
    try:
        c = QuickModeCode(code)
    except ValueError:
        raise BadPreference(f"Unknown quick mode code {code!r}.") from None
    status = QUICK_MODE_BY_CODE[c]
    if status is None:
        preferences.set_quick_mode(store, user.number, None, None)
    else:
        minutes = preferences.quick_settings(store, user.number).get(status.value)
        expires = None if minutes is None else now.replace(microsecond=0) + timedelta(minutes=minutes)
        preferences.set_quick_mode(store, user.number, status.value, expires)
    return quick_mode(store, user, now)


# --- Twinning (PREF-8) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TwinningSetting:
    """The Twinning Setting section (guide p.59)."""

    mode: TwinningMode
    status: TwinningStatus
    number: str
    scheduled: tuple[tuple[str, str], ...]  # (schedule, number), at most three
    schedules: tuple[str, ...]  # the organisation's schedules to pick from


def may_twin(user: User) -> bool:
    """Return whether the administrator granted twinning (guide p.59)."""
    return user.extension.can(Privilege.TWINNING)


def twinning(store: Store, user: User) -> TwinningSetting:
    """Return the user's twinning setting (only with the Twinning privilege)."""
    _screen(user)
    require(user, Privilege.TWINNING)
    row = preferences.handling(store, user.number)
    return TwinningSetting(
        TwinningMode(row.twinning_mode),
        TwinningStatus(row.twinning_status),
        row.twinning_number,
        tuple(preferences.twinning_schedules(store, user.number)),
        tuple(preferences.schedule_names(store)),
    )


def twin_number(text: str, label: str = "Number") -> str:
    """Return an outside number as the PBX dials it (digits), or raise BadPreference."""
    value = text.strip()
    if contact.INTERNAL_NUMBER.match(value):
        raise BadPreference(f"{label}: {value!r} is an extension; twinning rings an outside phone.")
    try:
        return digits(contact.phone_number(value, label))
    except contact.BadContact as exc:
        raise BadPreference(str(exc)) from None


def save_twinning(
    store: Store,
    user: User,
    mode: TwinningMode | str,
    *,
    status: TwinningStatus | str = TwinningStatus.DEACTIVATED,
    number: str = "",
    scheduled: list[tuple[str, str]] | tuple[tuple[str, str], ...] = (),
) -> TwinningSetting:
    """Store the twinning setting, checking every number; the next call uses it."""
    current = twinning(store, user)
    try:
        m, op = TwinningMode(mode), TwinningStatus(status)
    except ValueError as exc:
        raise BadPreference(f"Unknown twinning choice: {exc}.") from None
    simple_number = twin_number(number) if number.strip() else ""
    if m is TwinningMode.SIMPLE and op is TwinningStatus.ACTIVATED and not simple_number:
        raise BadPreference("Enter the number to twin with.")
    rows = [(s.strip(), n.strip()) for s, n in scheduled if s.strip() or n.strip()]
    if len(rows) > TWINNING_MAX_SCHEDULES:
        raise BadPreference(f"At most {TWINNING_MAX_SCHEDULES} schedules (guide p.30).")
    checked: list[tuple[str, str]] = []
    for i, (schedule, num) in enumerate(rows, start=1):
        if schedule not in current.schedules:
            raise BadPreference(f"Schedule {i}: choose one of the organisation's schedules.")
        if schedule in (s for s, _ in checked):
            raise BadPreference(f"Schedule {i}: {schedule} is already used.")
        checked.append((schedule, twin_number(num, f"Number {i}")))
    if m is TwinningMode.SCHEDULED and not checked:
        raise BadPreference("Scheduled twinning needs at least one schedule with a number.")
    if m is not TwinningMode.SCHEDULED and not rows:
        checked = list(current.scheduled)  # kept for a later switch back to Scheduled
    preferences.save_twinning(store, user.number, m.value, op.value, simple_number, checked)
    return twinning(store, user)


# --- Notification Options (PREF-9) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Notifications:
    """The Notification Options section (guide p.59)."""

    voicemail: VoicemailNotification
    missed_call: bool
    emails: tuple[str, ...]


def notifications(store: Store, user: User) -> Notifications:
    """Return the user's notification options."""
    _screen(user)
    row = preferences.preference(store, user.number)
    emails = tuple(e for e in _EMAIL_SPLIT.split(row.notify_emails) if e)
    return Notifications(VoicemailNotification(row.vm_notification), row.missed_call_email, emails)


def parse_emails(text: str) -> tuple[str, ...]:
    """Return the addresses typed (comma, semicolon or space separated), each checked."""
    if len(text) > MAX_EMAILS_CHARS:
        raise BadPreference(f"At most {MAX_EMAILS_CHARS} characters of email addresses.")
    found = [e for e in _EMAIL_SPLIT.split(text.strip()) if e]
    bad = [e for e in found if not contact.is_email(e) or any(ord(ch) < 32 for ch in e)]
    if bad:
        raise BadPreference(f"{bad[0]!r} is not an email address.")
    if len(found) > MAX_EMAILS:
        raise BadPreference(f"At most {MAX_EMAILS} email addresses.")
    return tuple(dict.fromkeys(found))


def save_notifications(
    store: Store, user: User, voicemail: VoicemailNotification | str, missed_call: bool, emails: str
) -> Notifications:
    """Store the notification options; an email option needs an address."""
    _screen(user)
    try:
        vm = VoicemailNotification(voicemail)
    except ValueError:
        raise BadPreference(f"Unknown voicemail notification {voicemail!r}.") from None
    addresses = parse_emails(emails)
    if (vm is not VoicemailNotification.NONE or missed_call) and not addresses:
        raise BadPreference("Enter the email address notifications are sent to.")
    preferences.save_notifications(store, user.number, vm.value, bool(missed_call), ", ".join(addresses))
    return Notifications(vm, bool(missed_call), addresses)
