"""A routed call as a path: call-flow steps whose times are linear in per-call draws.

The routing engine decides *what happens* to a call; the per-call random quantities
(how long the phone rang before someone answered, how long they talked, how long the
message was) only scale *when* it happens. So a path is computed once per distinct
situation and applied to every call in it, and the bulk writer expands paths into
rows with numpy instead of a Python loop per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from fvkit.domain.calls import Disposition

# Placeholders a step text may hold, filled per call: the caller's and the dialled number.
SRC = "{src}"
DST = "{dst}"


class Offset(NamedTuple):
    """Seconds after the call's start: const + ring*r + talk*t + message*m.

    NOTE: a NamedTuple, not a frozen dataclass: routing builds ~10 offsets and steps per new
    path, and a frozen dataclass's __init__ costs several times a tuple's.
    """

    const: float = 0.0
    ring: float = 0.0
    talk: float = 0.0
    message: float = 0.0

    def plus(self, const: float = 0.0, ring: float = 0.0, talk: float = 0.0, message: float = 0.0) -> Offset:
        """Return this offset moved on by the given amounts."""
        return Offset(self.const + const, self.ring + ring, self.talk + talk, self.message + message)

    def at(self, ring: float, talk: float, message: float) -> float:
        """Return the offset in seconds for one call's draws."""
        return self.const + self.ring * ring + self.talk * talk + self.message * message


class Step(NamedTuple):
    """One call-flow line: its time and its text (guide p.13 wording)."""

    offset: Offset
    text: str


@dataclass(frozen=True, slots=True)
class VoicemailLeft:
    """A message the caller left: whose box and when recording began."""

    owner: str
    offset: Offset


@dataclass(frozen=True, slots=True)
class Recorded:
    """A personal recording (*30 ... *31 pause ... *30 resume ... hang-up)."""

    owner: str
    start: Offset
    pause: Offset
    resume: Offset
    end: Offset


@dataclass(slots=True)
class Path:
    """What happened to a call, independent of its exact durations."""

    steps: list[Step] = field(default_factory=list)
    disposition: Disposition = Disposition.OTHER
    answer: Offset | None = None
    end: Offset = field(default_factory=Offset)
    destination: str = ""
    lastapp: str = "Dial"
    lastdata: str = ""
    dstchannel: str = ""
    #: extensions (besides an internal caller) whose history shows the call
    owners: tuple[str, ...] = ()
    #: users who talk on this call: each is busy with it until it ends (SIM-7)
    occupies: tuple[str, ...] = ()
    voicemail: VoicemailLeft | None = None
    recording: Recorded | None = None

    def texts(self) -> list[str]:
        """Return the step texts in order."""
        return [s.text for s in self.steps]


@dataclass(slots=True)
class PathBuilder:
    """Accumulates steps while the router walks a call's handling."""

    now: Offset = field(default_factory=Offset)
    path: Path = field(default_factory=Path)
    #: (user, status) pairs whose user-defined process already ran; a second visit
    #: takes the system default
    visited: set[tuple[str, str]] = field(default_factory=set)

    def emit(self, text: str) -> None:
        """Add a call-flow line at the current offset."""
        self.path.steps.append(Step(self.now, text))

    def wait(self, const: float = 0.0, ring: float = 0.0, talk: float = 0.0, message: float = 0.0) -> None:
        """Let time pass."""
        self.now = self.now.plus(const, ring, talk, message)

    def answered(self) -> None:
        """Mark the moment the call was answered (once)."""
        if self.path.answer is None:
            self.path.answer = self.now

    def finish(self, disposition: Disposition, text: str) -> Path:
        """End the call with a last flow line and its disposition."""
        self.emit(text)
        self.path.disposition = disposition
        self.path.end = self.now
        return self.path
