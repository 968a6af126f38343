"""Call records: the labels the call-history screen shows (guide p.12-16)."""

from __future__ import annotations

from enum import StrEnum


class Disposition(StrEnum):
    """Call status, as the Disposition filter lists it (guide p.14)."""

    ANSWERED = "Answered"
    VOICEMAIL = "Voicemail"
    NO_ANSWER = "No Answer"
    BUSY = "Busy"
    FAILED = "Failed"
    DENIED = "Denied"
    TRANSFERRED_BLIND = "Transferred - Blind"
    TRANSFERRED_ATTENDED = "Transferred - Attended"
    OTHER = "Other"


class Direction(StrEnum):
    """Call direction (guide p.14)."""

    INTERNAL = "Internal"
    OUTGOING = "Outgoing"
    INCOMING = "Incoming"


class CallType(StrEnum):
    """Call type column (guide p.13: "Call type: Voice")."""

    VOICE = "Voice"
    FAX = "Fax"


class HistoryFilter(StrEnum):
    """The first filter of the call-history list (guide p.14)."""

    ALL = "All"
    MISSED = "Missed"
    RECEIVED = "Received"
    PLACED = "Placed"


class ExtensionStatus(StrEnum):
    """Extension status in the header (guide p.10)."""

    DND = "DND"
    IN_USE = "In use"
    NOT_IN_USE = "Not in use"
    RINGING = "Ringing"


class AsteriskDisposition(StrEnum):
    """Dispositions Asterisk's cdr_csv writes to Master.csv."""

    ANSWERED = "ANSWERED"
    NO_ANSWER = "NO ANSWER"
    BUSY = "BUSY"
    FAILED = "FAILED"
    CONGESTION = "CONGESTION"


class AmaFlags(StrEnum):
    """Asterisk AMA flags."""

    OMIT = "OMIT"
    BILLING = "BILLING"
    DOCUMENTATION = "DOCUMENTATION"


#: FortiVoice's richer dispositions folded onto Asterisk's five. A transferred call
#: was answered first; voicemail answers the channel too.
TO_ASTERISK: dict[Disposition, AsteriskDisposition] = {
    Disposition.ANSWERED: AsteriskDisposition.ANSWERED,
    Disposition.VOICEMAIL: AsteriskDisposition.ANSWERED,
    Disposition.TRANSFERRED_BLIND: AsteriskDisposition.ANSWERED,
    Disposition.TRANSFERRED_ATTENDED: AsteriskDisposition.ANSWERED,
    Disposition.NO_ANSWER: AsteriskDisposition.NO_ANSWER,
    Disposition.BUSY: AsteriskDisposition.BUSY,
    Disposition.DENIED: AsteriskDisposition.FAILED,
    Disposition.FAILED: AsteriskDisposition.FAILED,
    # an auto attendant or announcement answered the call (it has an answer time): ANSWERED
    Disposition.OTHER: AsteriskDisposition.ANSWERED,
}

#: dispositions that mean the owner took the call in person (guide p.14 "Received");
#: a call to the owner with any other disposition is missed (guide p.12 "missed calls")
TAKEN: tuple[Disposition, ...] = (Disposition.ANSWERED, Disposition.TRANSFERRED_BLIND, Disposition.TRANSFERRED_ATTENDED)
