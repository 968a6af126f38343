"""Call Handling (guide p.26-30): quick settings, call processes, sound files, follow me (HD-1..8).

Every use case starts with `require_screen(user, Screen.CALL_HANDLING)` (Standard access
or above, guide p.56); Call forward, Follow me and Forward also need the Call forwarding
privilege (guide p.27). Routing reads what is saved here, so the next call obeys it (HD-9).
Twinning lives under Preferences (guide p.30, PREF-8).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from fvkit.domain.handling import (
    SYSTEM_DEFAULT_ACTION,
    Action,
    CallFrom,
    FollowMeNumber,
    FollowMeProfile,
    HandlingStatus,
    QuickStatus,
    Rule,
)
from fvkit.domain.limits import ANNOUNCEMENT_MAX_BYTES, DEFAULT_RING_DURATION_S, DESCRIPTION_MAX_CHARS, MB
from fvkit.domain.numbers import digits
from fvkit.domain.org import Privilege
from fvkit.domain.screens import Screen
from fvkit.media.audio import audio_info, render_message
from fvkit.portal.auth import PermissionDenied, User, require, require_screen
from fvkit.portal.contact import BadContact, clean_text, phone_number
from fvkit.store import call_handling as stored
from fvkit.store.blobs import get as get_blob
from fvkit.store.call_handling import StoredRule
from fvkit.store.db import Store

Status = HandlingStatus | QuickStatus

#: the actions a user may choose for a rule, as the guide lists them (p.27)
RULE_ACTIONS: tuple[Action, ...] = (
    Action.DEFAULT,
    Action.FOLLOW_ME,
    Action.PLAY_ANNOUNCEMENT,
    Action.AUTO_ATTENDANT,
    Action.FORWARD,
)
#: actions that need the Call forwarding privilege (guide p.27)
FORWARDING_ACTIONS = frozenset({Action.FOLLOW_ME, Action.FORWARD})
MAX_NAME_CHARS = 64
MIN_RING_SECONDS = 5
MAX_RING_SECONDS = 120
MAX_FOLLOW_ME_NUMBERS = 10
CALL_ME_SECONDS = 6.0
CALL_ME_SENT = "A voice recording request was sent to your extension; the recording is saved."
# user-facing text names the screens and limits, not the guide's pages (guide p.28, p.30)
TOO_LARGE = f"An announcement sound file is at most {ANNOUNCEMENT_MAX_BYTES // MB} MB."
ONLY_WAV_OR_MP3 = "Only MP3 or WAV sound files are accepted; this file is neither."
TWINNING_NOTE = "Twinning is set under Preferences > Twinning Setting."


class BadHandling(ValueError):
    """A call handling setting that cannot be saved; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class QuickSetting:
    """Quick setting (HD-1, HD-2) and the quick mode in force (HD-6)."""

    dnd: bool
    forward_to: str  # '' when Call forward is OFF
    may_forward: bool
    quick_status: QuickStatus | None
    quick_expires: datetime | None


@dataclass(frozen=True, slots=True)
class CallProcess:
    """One status's call process (HD-3, HD-4, HD-6)."""

    status: Status
    user_defined: bool
    default_action: Action
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Choices:
    """What the rule dialog offers: schedules, actions and each action's targets."""

    schedules: tuple[str, ...]
    schedule_details: dict[str, str]  # what each schedule covers (the guide's "View")
    actions: tuple[Action, ...]
    follow_me: tuple[str, ...]
    sound_files: tuple[str, ...]
    auto_attendants: tuple[str, ...]


#: the schedule a new rule starts with: always, whatever the day and time
ALWAYS = "all_day"


def schedule_label(name: str) -> str:
    """Return a schedule's name as people write it: "business_hour" -> "Business hour"."""
    return name.replace("_", " ").strip().capitalize() or name


def default_schedule(choices: Choices) -> str:
    """Return the schedule a new rule starts with: always if the organisation has it, else the first."""
    return ALWAYS if ALWAYS in choices.schedules else choices.schedules[0]


def quick_setting(store: Store, user: User) -> QuickSetting:
    """Return the user's Do not disturb, Call forward and quick mode."""
    require_screen(user, Screen.CALL_HANDLING)
    q = stored.quick_settings(store, user.number)
    return QuickSetting(
        q.dnd,
        q.forward_to,
        user.extension.can(Privilege.CALL_FORWARDING),
        QuickStatus(q.quick_status) if q.quick_status else None,
        q.quick_expires,
    )


def set_dnd(store: Store, user: User, on: bool) -> QuickSetting:
    """Turn Do not disturb ON or OFF (HD-1)."""
    require_screen(user, Screen.CALL_HANDLING)
    stored.set_dnd(store, user.number, bool(on))
    return quick_setting(store, user)


def dialable(text: str, label: str) -> str:
    """Return a number as routing dials it (bare digits), or raise BadHandling naming the field."""
    if not text.strip():
        raise BadHandling(f"{label} is mandatory.")
    try:
        return digits(phone_number(text, label))
    except BadContact as exc:
        raise BadHandling(str(exc)) from exc


def set_call_forward(store: Store, user: User, on: bool, number: str = "") -> QuickSetting:
    """Turn Call forward ON to a number, or OFF (HD-2).

    Raises:
        PermissionDenied: no Call forwarding privilege.
        BadHandling: ON without a valid number, or the user's own extension.
    """
    require_screen(user, Screen.CALL_HANDLING)
    require(user, Privilege.CALL_FORWARDING)
    if not on:
        stored.set_forward(store, user.number, "")
        return quick_setting(store, user)
    value = dialable(number, "Forward number")
    if value == user.number:
        raise BadHandling("Calls cannot be forwarded to your own extension.")
    stored.set_forward(store, user.number, value)
    return quick_setting(store, user)


def set_quick_mode(store: Store, user: User, status: QuickStatus | str | None, until: datetime | None = None) -> None:
    """Enter a quick mode (as Preferences > Quick Mode or *721-*723 do) or leave it (None)."""
    require_screen(user, Screen.CALL_HANDLING)
    value = QuickStatus(status).value if status else None
    stored.set_quick_mode(store, user.number, value, until)


def _status(status: Status | str) -> Status:
    try:
        return HandlingStatus(status)
    except ValueError:
        try:
            return QuickStatus(status)
        except ValueError:
            raise BadHandling(f"There is no call handling status {status!r}.") from None


def _rule(r: StoredRule) -> Rule:
    return Rule(r.schedule, frozenset(CallFrom(a) for a in r.applies_to), Action(r.action), r.target)


def _stored(r: Rule) -> StoredRule:
    return StoredRule(r.schedule, tuple(c.value for c in CallFrom if c in r.applies_to), r.action.value, r.target)


def call_process(store: Store, user: User, status: Status | str) -> CallProcess:
    """Return a status's call process: System default or User defined, and its rules in order."""
    require_screen(user, Screen.CALL_HANDLING)
    s = _status(status)
    rules = tuple(_rule(r) for r in stored.rules(store, user.number, s.value))
    return CallProcess(s, s.value in stored.user_defined(store, user.number), SYSTEM_DEFAULT_ACTION[s], rules)


def set_user_defined(store: Store, user: User, status: Status | str, on: bool) -> CallProcess:
    """Choose User defined (True) or System default action (False); the rules are kept either way.

    User defined may come before any rule (guide p.26: choose User defined, then New); until the first
    rule is added calls get the system default action, as the routing finds no rule to apply.
    """
    process = call_process(store, user, status)
    stored.set_user_defined(store, user.number, process.status.value, on)
    return call_process(store, user, status)


def choices(store: Store, user: User) -> Choices:
    """Return what the rule dialog offers this user (Follow me and Forward only with the privilege)."""
    require_screen(user, Screen.CALL_HANDLING)
    forwarding = user.extension.can(Privilege.CALL_FORWARDING)
    schedules = stored.schedules(store)
    return Choices(
        tuple(schedules),
        schedules,
        tuple(a for a in RULE_ACTIONS if forwarding or a not in FORWARDING_ACTIONS),
        tuple(stored.follow_me(store, user.number)),
        tuple(str(f["name"]) for f in stored.sound_files(store, user.number)),
        tuple(stored.auto_attendants(store)),
    )


def check_rule(
    store: Store, user: User, schedule: str, applies_to: object, action: Action | str, target: str = ""
) -> Rule:
    """Return the rule as saved, or raise BadHandling / PermissionDenied naming what is wrong."""
    offer = choices(store, user)
    if schedule not in offer.schedules:
        raise BadHandling(f"Choose a schedule: {schedule!r} is not one of {', '.join(offer.schedules)}.")
    try:
        sources = frozenset(CallFrom(a) for a in applies_to)  # type: ignore[attr-defined]
        act = Action(action)
    except (TypeError, ValueError) as exc:
        raise BadHandling(f"Unknown call source or action: {exc}.") from exc
    if not sources:
        raise BadHandling("Choose at least one of Internal, External and Office peer.")
    if act not in RULE_ACTIONS:
        raise BadHandling(f"{act} is not an action a call process rule can take.")
    if act in FORWARDING_ACTIONS and act not in offer.actions:
        raise PermissionDenied(f"{act} needs the Call forwarding privilege: ask your administrator.")
    value = target.strip()
    if act is Action.DEFAULT:
        value = ""
    elif act is Action.FOLLOW_ME and value not in offer.follow_me:
        raise BadHandling("Choose a follow me profile (create one under Follow Me Setting first).")
    elif act is Action.PLAY_ANNOUNCEMENT and value not in offer.sound_files:
        raise BadHandling("Choose a sound file for the announcement.")
    elif act is Action.AUTO_ATTENDANT and value not in offer.auto_attendants:
        raise BadHandling("Choose an auto attendant.")
    elif act is Action.FORWARD:
        value = dialable(value, "Forward number")
        if value == user.number:
            raise BadHandling("Calls cannot be forwarded to your own extension.")
    return Rule(schedule, sources, act, value)


def rule_rows(process: CallProcess) -> list[dict[str, str]]:
    """Return the rules as the Call Process table shows them: Schedule, Call from, Action, Info."""
    return [
        {
            "Schedule": schedule_label(r.schedule),
            "Call from": ", ".join(c.value for c in CallFrom if c in r.applies_to),
            "Action": r.action.value,
            "Info": r.target or f"({process.default_action})",
        }
        for r in process.rules
    ]


def _save(store: Store, user: User, status: Status, rules: list[Rule]) -> CallProcess:
    stored.replace_rules(store, user.number, status.value, [_stored(r) for r in rules])
    if not rules:
        stored.set_user_defined(store, user.number, status.value, False)
    return call_process(store, user, status)


def _rules(store: Store, user: User, status: Status | str) -> tuple[Status, list[Rule]]:
    process = call_process(store, user, status)
    return process.status, list(process.rules)


def _index(rules: list[Rule], index: int) -> int:
    if not 0 <= index < len(rules):
        raise BadHandling(f"There is no rule {index + 1}; select one of the {len(rules)} rules.")
    return index


def add_rule(store: Store, user: User, status: Status | str, rule: Rule) -> CallProcess:
    """Append a rule (New) and make the status User defined (HD-4)."""
    s, rules = _rules(store, user, status)
    checked = check_rule(store, user, rule.schedule, rule.applies_to, rule.action, rule.target)
    _save(store, user, s, [*rules, checked])
    stored.set_user_defined(store, user.number, s.value, True)
    return call_process(store, user, s)


def edit_rule(store: Store, user: User, status: Status | str, index: int, rule: Rule) -> CallProcess:
    """Replace the rule at `index` (0-based) with `rule` (Edit)."""
    s, rules = _rules(store, user, status)
    rules[_index(rules, index)] = check_rule(store, user, rule.schedule, rule.applies_to, rule.action, rule.target)
    return _save(store, user, s, rules)


def move_rule(store: Store, user: User, status: Status | str, index: int, *, up: bool) -> CallProcess:
    """Move the rule at `index` one place up or down (Move > Up / Down); at an end it stays."""
    s, rules = _rules(store, user, status)
    i = _index(rules, index)
    j = i - 1 if up else i + 1
    if 0 <= j < len(rules):
        rules[i], rules[j] = rules[j], rules[i]
    return _save(store, user, s, rules)


def delete_rules(store: Store, user: User, status: Status | str, indexes: list[int]) -> CallProcess:
    """Delete the selected rules; with none left the status goes back to the System default."""
    s, rules = _rules(store, user, status)
    gone = {_index(rules, i) for i in indexes}
    return _save(store, user, s, [r for i, r in enumerate(rules) if i not in gone])


# --- Follow Me Setting (HD-7) -------------------------------------------------------


def follow_me_profiles(store: Store, user: User) -> tuple[FollowMeProfile, ...]:
    """Return the user's follow me profiles, by name."""
    require_screen(user, Screen.CALL_HANDLING)
    return tuple(
        FollowMeProfile(name, tuple(FollowMeNumber(n, s) for n, s in numbers))
        for name, numbers in sorted(stored.follow_me(store, user.number).items())
    )


def _uses(store: Store, user: User, action: Action, target: str) -> str | None:
    """Return the status of a rule that uses this target, if any."""
    for status, rules in stored.all_rules(store, user.number).items():
        if any(r.action == action.value and r.target == target for r in rules):
            return status
    return None


def save_follow_me(
    store: Store, user: User, name: str, numbers: list[tuple[str, int]], *, old_name: str | None = None
) -> FollowMeProfile:
    """Create a profile (old_name None) or replace one (Edit): name and ordered (number, ring seconds).

    Raises:
        PermissionDenied: no Call forwarding privilege (follow me forwards calls, guide p.27).
        BadHandling: no name, a name taken, no numbers, a bad number or ring duration, or a
            rename of a profile a rule uses.
    """
    require_screen(user, Screen.CALL_HANDLING)
    require(user, Privilege.CALL_FORWARDING)
    title = _clean(name, "Name", MAX_NAME_CHARS)
    if not title:
        raise BadHandling("Name is mandatory.")
    existing = stored.follow_me(store, user.number)
    if old_name is not None and old_name not in existing:
        raise BadHandling(f"There is no follow me profile {old_name!r}.")
    if title != old_name and title in existing:
        raise BadHandling(f"A follow me profile named {title!r} already exists.")
    if old_name is not None and title != old_name:
        status = _uses(store, user, Action.FOLLOW_ME, old_name)
        if status is not None:
            raise BadHandling(f"{old_name!r} is used by a {status} rule: change that rule before renaming it.")
    if not numbers:
        raise BadHandling("Add at least one follow me number.")
    if len(numbers) > MAX_FOLLOW_ME_NUMBERS:
        raise BadHandling(f"A profile has at most {MAX_FOLLOW_ME_NUMBERS} numbers.")
    clean: list[tuple[str, int]] = []
    for i, (number, ring) in enumerate(numbers, start=1):
        value = dialable(str(number), f"Number {i}")
        if value == user.number:
            raise BadHandling(f"Number {i}: follow me cannot ring your own extension.")
        try:
            seconds = int(ring)
        except (TypeError, ValueError):
            raise BadHandling(f"Number {i}: the ring duration is a whole number of seconds.") from None
        if not MIN_RING_SECONDS <= seconds <= MAX_RING_SECONDS:
            raise BadHandling(f"Number {i}: ring duration between {MIN_RING_SECONDS} and {MAX_RING_SECONDS} seconds.")
        clean.append((value, seconds))
    stored.save_follow_me(store, user.number, old_name, title, clean)
    return FollowMeProfile(title, tuple(FollowMeNumber(n, s) for n, s in clean))


def parse_numbers(text: str) -> list[tuple[str, int]]:
    """Read follow me numbers typed one a line as "number, ring seconds" (ring defaults to 20).

    Raises:
        BadHandling: a line whose ring duration is not a whole number.
    """
    out: list[tuple[str, int]] = []
    for i, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        number, _, ring = line.rpartition(",") if "," in line else (line, "", str(DEFAULT_RING_DURATION_S))
        try:
            out.append((number.strip(), int(ring.strip().removesuffix("s"))))
        except ValueError:
            raise BadHandling(f"Number {i}: the ring duration is a whole number of seconds.") from None
    return out


def numbers_text(profile: FollowMeProfile) -> str:
    """Return a profile's numbers as `parse_numbers` reads them."""
    return "\n".join(f"{n.number}, {n.ring_seconds}" for n in profile.numbers)


def delete_follow_me(store: Store, user: User, name: str) -> None:
    """Delete a follow me profile; refused while a rule uses it (routing would have nowhere to go)."""
    require_screen(user, Screen.CALL_HANDLING)
    status = _uses(store, user, Action.FOLLOW_ME, name)
    if status is not None:
        raise BadHandling(f"{name!r} is used by a {status} rule: change or delete that rule first.")
    if not stored.delete_follow_me(store, user.number, name):
        raise BadHandling(f"There is no follow me profile {name!r}.")


# --- Sound files for announcements (HD-5) -------------------------------------------


def sound_files(store: Store, user: User) -> list[dict[str, object]]:
    """Return the system sound files and the user's own: id, name, description, personal, recorded."""
    require_screen(user, Screen.CALL_HANDLING)
    return stored.sound_files(store, user.number)


def _clean(text: str, label: str, limit: int) -> str:
    """Return a user's text trimmed, or raise BadHandling: too long, or holding control characters."""
    try:
        return clean_text(text, label, limit)
    except BadContact as exc:
        raise BadHandling(str(exc)) from exc


def _new_name(store: Store, user: User, name: str) -> str:
    title = _clean(name, "Name", MAX_NAME_CHARS)
    if not title:
        raise BadHandling("Name is mandatory.")
    if any(f["name"] == title for f in stored.sound_files(store, user.number)):
        raise BadHandling(f"A sound file named {title!r} already exists.")
    return title


def check_sound(data: bytes) -> str:
    """Return 'wav' or 'mp3' judged by the bytes (never the file name), or raise BadHandling."""
    if len(data) > ANNOUNCEMENT_MAX_BYTES:
        raise BadHandling(TOO_LARGE)
    info = audio_info(data)
    if info.rate <= 0 or info.channels <= 0 or info.format not in ("wav", "mp3"):
        raise BadHandling(ONLY_WAV_OR_MP3)
    return info.format


def upload_sound_file(store: Store, user: User, name: str, data: bytes, now: datetime, description: str = "") -> int:
    """Save an uploaded MP3 or WAV of at most 5 MB as a sound file; return its id (Upload).

    Raises:
        BadHandling: no or duplicate name, too large, or not MP3/WAV by content; nothing is saved.
    """
    require_screen(user, Screen.CALL_HANDLING)
    title = _new_name(store, user, name)
    about = _clean(description, "Description", DESCRIPTION_MAX_CHARS)
    kind = check_sound(data)
    mime = "audio/mpeg" if kind == "mp3" else "audio/wav"
    return stored.insert_sound_file(store, user.number, title, about, content=data, mime=mime, script="", now=now)


def call_me_sound_file(store: Store, user: User, name: str, now: datetime) -> tuple[int, str]:
    """Record a sound file by phone ("Call me"); return its id and the notice.

    The phone would ring and record the user; fvkit keeps a script (the file's name read
    out) and renders it when played.
    """
    require_screen(user, Screen.CALL_HANDLING)
    title = _new_name(store, user, name)
    new_id = stored.insert_sound_file(
        store, user.number, title, "Recorded by phone", content=None, mime="", script=title, now=now
    )
    return new_id, CALL_ME_SENT


def sound_audio(store: Store, user: User, sound_id: int) -> bytes:
    """Return a sound file's audio: the upload, or the simulated recording."""
    require_screen(user, Screen.CALL_HANDLING)
    found = stored.sound_file(store, user.number, sound_id)
    if found is None:
        raise BadHandling(f"There is no sound file {sound_id}.")
    name, sha, script = found
    blob = get_blob(store, sha) if sha else None
    if blob is not None:
        return blob.content
    return render_message(zlib.crc32(name.encode()), script or name, CALL_ME_SECONDS)


def delete_sound_file(store: Store, user: User, sound_id: int) -> None:
    """Delete one of the user's sound files; system files and files a rule plays stay."""
    require_screen(user, Screen.CALL_HANDLING)
    found = stored.sound_file(store, user.number, sound_id)
    if found is None:
        raise BadHandling(f"There is no sound file {sound_id}.")
    status = _uses(store, user, Action.PLAY_ANNOUNCEMENT, found[0])
    if status is not None:
        raise BadHandling(f"{found[0]!r} is played by a {status} rule: change or delete that rule first.")
    if not stored.delete_sound_file(store, user.number, sound_id):
        raise PermissionDenied("System sound files cannot be deleted.")
