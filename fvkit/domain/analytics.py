"""The Analytics screen's vocabulary: its figures, and the steps a call-flow line counts as."""

from __future__ import annotations

from dataclasses import dataclass

from fvkit.domain.handling import FLOW_STATE

#: The periods the screen offers, in days back from today.
PERIODS: dict[str, int] = {"Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90}
DEFAULT_PERIOD = "Last 30 days"
MAX_FLOW_STEPS = 5  # a Sankey deeper than this stops being readable

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: Call-flow lines (guide p.13) by how they start, and the step each is drawn as. Lines that are
#: not listed (answers, hang-ups, recording controls) add nothing to a path: the outcome node and
#: the step before it say it. Order matters: the first matching prefix wins.
FLOW_STEPS: tuple[tuple[str, str], ...] = (
    *((f"process call handling state:<{token}>", f"Handling: {status}") for status, token in FLOW_STATE.items()),
    ("enter auto attendant", "Auto attendant"),
    ("caller hung up in auto attendant", "Hung up in auto attendant"),
    ("play announcement", "Announcement"),
    ("dial ring group", "Ring group"),
    ("caller number:", "Block list"),
    ("call forward enabled", "Forward"),
    ("forward call to number", "Forward"),
    ("dial local extension", "Ring extension"),
    ("dial twinning number", "Twinning"),
    ("process follow me", "Follow me"),
    ("dial follow me number", "Follow me"),
    ("enter voicemail", "Voicemail"),
    ("voicemail message left", "Message left"),
    ("no message left", "No message left"),
    ("enter conference bridge", "Conference"),
    ("receive fax", "Fax"),
    ("send fax", "Fax"),
    ("blind transfer", "Blind transfer"),
    ("attended transfer", "Attended transfer"),
)


@dataclass(frozen=True, slots=True)
class Kpis:
    """The headline figures of one user's calls in a period."""

    calls: int  # every call in the user's history, placed and received
    placed: int
    received: int
    answered: int  # answered or transferred, whichever side placed it
    missed: int  # received and not answered (the Missed filter of Call History)
    voicemails: int  # messages left in the user's boxes
    average_talk_s: float  # mean billed seconds of the answered calls

    @property
    def answer_rate(self) -> float:
        """Return the share of received calls that were answered (0 with none received)."""
        return (self.received - self.missed) / self.received if self.received else 0.0
