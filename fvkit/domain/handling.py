"""Call handling (guide p.26-30, p.58-60): statuses, actions, rules, follow me, twinning."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class HandlingStatus(StrEnum):
    """Statuses of "User's call handling"; each configured once (guide p.26-27)."""

    NORMAL = "Normal"
    NO_ANSWER = "No answer"
    BUSY = "Busy"
    DND = "Do not disturb"
    NOT_CONNECTED = "Phone not connected"
    BLOCK_LIST = "Block list"
    VOICEMAIL = "Voicemail"


class QuickStatus(StrEnum):
    """Statuses of "Quick call handling" (guide p.29), entered by *721-*723 (p.58)."""

    OUT_OF_OFFICE = "Out of office"
    AWAY = "Away"
    OTHER = "Other"


#: The state names the call flow prints: `process call handling state:<NOANSWER> ...`
#: (guide p.13). Quick statuses print their own.
FLOW_STATE: dict[HandlingStatus | QuickStatus, str] = {
    HandlingStatus.NORMAL: "NORMAL",
    HandlingStatus.NO_ANSWER: "NOANSWER",
    HandlingStatus.BUSY: "BUSY",
    HandlingStatus.DND: "DND",
    HandlingStatus.NOT_CONNECTED: "UNAVAILABLE",
    HandlingStatus.BLOCK_LIST: "BLOCKLIST",
    HandlingStatus.VOICEMAIL: "VOICEMAIL",
    QuickStatus.OUT_OF_OFFICE: "OUTOFOFFICE",
    QuickStatus.AWAY: "AWAY",
    QuickStatus.OTHER: "OTHER",
}


class Action(StrEnum):
    """Actions of a call-process rule (guide p.27)."""

    DEFAULT = "Default action"
    RING_PHONE = "Ring Phone"
    VOICEMAIL = "Voicemail"
    FOLLOW_ME = "Follow me"
    PLAY_ANNOUNCEMENT = "Play announcement"
    AUTO_ATTENDANT = "Auto attendant"
    FORWARD = "Forward"
    REJECT = "Reject"


#: "The System default action changes depending on the status selected" (guide p.27).
SYSTEM_DEFAULT_ACTION: dict[HandlingStatus | QuickStatus, Action] = {
    HandlingStatus.NORMAL: Action.RING_PHONE,
    HandlingStatus.NO_ANSWER: Action.VOICEMAIL,
    HandlingStatus.BUSY: Action.VOICEMAIL,
    HandlingStatus.DND: Action.VOICEMAIL,
    HandlingStatus.NOT_CONNECTED: Action.VOICEMAIL,
    HandlingStatus.BLOCK_LIST: Action.REJECT,
    HandlingStatus.VOICEMAIL: Action.VOICEMAIL,
    QuickStatus.OUT_OF_OFFICE: Action.VOICEMAIL,
    QuickStatus.AWAY: Action.VOICEMAIL,
    QuickStatus.OTHER: Action.VOICEMAIL,
}


class CallFrom(StrEnum):
    """Which callers a rule applies to (guide p.27)."""

    INTERNAL = "Internal"
    EXTERNAL = "External"
    OFFICE_PEER = "Office peer"


class QuickModeCode(StrEnum):
    """Feature codes of Preferences > Quick Mode (guide p.58)."""

    CANCEL = "*720"
    OUT_OF_OFFICE = "*721"
    AWAY = "*722"
    OTHER = "*723"


QUICK_MODE_BY_CODE: dict[QuickModeCode, QuickStatus | None] = {
    QuickModeCode.CANCEL: None,
    QuickModeCode.OUT_OF_OFFICE: QuickStatus.OUT_OF_OFFICE,
    QuickModeCode.AWAY: QuickStatus.AWAY,
    QuickModeCode.OTHER: QuickStatus.OTHER,
}


class TwinningMode(StrEnum):
    """Twinning Setting choices (guide p.30, p.59)."""

    DISABLED = "Disabled"
    SIMPLE = "Simple"
    SCHEDULED = "Scheduled"


class TwinningStatus(StrEnum):
    """Operation status of simple twinning (guide p.30)."""

    ACTIVATED = "Activated"
    DEACTIVATED = "Deactivated"


@dataclass(frozen=True, slots=True)
class Rule:
    """One user-defined call-process rule, applied in order (guide p.27)."""

    schedule: str
    applies_to: frozenset[CallFrom]
    action: Action
    #: follow me profile, sound file, auto attendant or forward number, by action
    target: str = ""


@dataclass(frozen=True, slots=True)
class FollowMeNumber:
    """A number of a follow me profile with its ring duration in seconds (guide p.29)."""

    number: str
    ring_seconds: int


@dataclass(frozen=True, slots=True)
class FollowMeProfile:
    """A named, ordered list of follow me numbers (guide p.29)."""

    name: str
    numbers: tuple[FollowMeNumber, ...]


@dataclass(frozen=True, slots=True)
class Twinning:
    """Twinning setting (guide p.59): simple number or up to three scheduled ones."""

    mode: TwinningMode = TwinningMode.DISABLED
    status: TwinningStatus = TwinningStatus.DEACTIVATED
    number: str = ""
    #: (schedule name, number) pairs for the Scheduled mode
    scheduled: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class QuickMode:
    """The effective quick mode and when it expires (guide p.58)."""

    status: QuickStatus
    expires_us: int | None  # UTC microseconds; None means until cancelled with *720


@dataclass(frozen=True, slots=True)
class Handling:
    """Everything that decides how one extension's calls are routed (HD-1..8)."""

    number: str
    display_name: str
    dnd: bool = False
    forward_to: str = ""  # quick setting "Call forward" (HD-2); empty means OFF
    registered: bool = True  # False: "Phone not connected"
    call_waiting: bool = True
    ring_seconds: int = 20
    #: User defined call process per status; a status missing here uses the system default.
    rules: dict[HandlingStatus | QuickStatus, tuple[Rule, ...]] = field(default_factory=dict)
    follow_me: dict[str, FollowMeProfile] = field(default_factory=dict)
    quick_mode: QuickMode | None = None
    twinning: Twinning = field(default_factory=Twinning)
    block_list: frozenset[str] = frozenset()
