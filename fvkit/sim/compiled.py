"""Paths laid out as numpy arrays, so calls expand into rows without a Python loop."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from fvkit.domain.calls import Disposition
from fvkit.sim.paths import DST, SRC, Offset, Path

DISPOSITIONS = tuple(Disposition)
_DISPOSITION_INDEX = {d: i for i, d in enumerate(DISPOSITIONS)}


def coefs(o: Offset | None) -> tuple[float, float, float, float]:
    # NOTE: a plain tuple, not the NamedTuple itself: numpy converts a list of those 6x slower
    return (0.0, 0.0, 0.0, 0.0) if o is None else (o.const, o.ring, o.talk, o.message)


def _split(text: str) -> tuple[str, int, str]:
    """Split a step text around its one placeholder: (prefix, 0 none/1 src/2 dst, suffix)."""
    for code, mark in ((1, SRC), (2, DST)):
        if mark in text:
            head, tail = text.split(mark, 1)
            return head, code, tail
    return text, 0, ""


@dataclass(slots=True)
class Grow:
    """A numpy array appended to row by row, with room to spare (the kernel reads a view)."""

    width: int
    fill: float
    dtype: type
    rows: int = 0
    data: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.data = np.full((64, self.width), self.fill, dtype=self.dtype)

    def append(self, row: tuple[float, ...] | tuple[int, ...]) -> None:
        """Add a row (shorter rows are padded with the fill; a longer one widens the array)."""
        if len(row) > self.width:
            wider: np.ndarray = np.full((len(self.data), len(row)), self.fill, dtype=self.dtype)
            wider[:, : self.width] = self.data
            self.data, self.width = wider, len(row)
        if self.rows == len(self.data):
            more: np.ndarray = np.full((len(self.data), self.width), self.fill, dtype=self.dtype)
            self.data = np.concatenate([self.data, more])
        self.data[self.rows, : len(row)] = row
        self.rows += 1


@dataclass(slots=True)
class PathTable:
    """Every distinct path met so far, path-level and step-level, as growable lists."""

    paths: list[Path] = field(default_factory=list)
    # per path; the busy-state kernel reads the first three (`fvkit.sim.timeline`)
    end: Grow = field(default_factory=lambda: Grow(4, 0.0, np.float64))  # offset coefficients
    disposition: Grow = field(default_factory=lambda: Grow(1, 0, np.int64))
    occupies: Grow = field(default_factory=lambda: Grow(4, -1, np.int64))  # party indexes of the users who talk
    answer: list[tuple[float, float, float, float]] = field(default_factory=list)
    has_answer: list[bool] = field(default_factory=list)
    owners: list[tuple[int, ...]] = field(default_factory=list)  # party indexes of the histories it is in
    has_media: list[tuple[bool, bool]] = field(default_factory=list)  # a voicemail left, a recording made
    #: offset coefficients of the voicemail left and of the recording's start, pause, resume, end
    media_at: list[tuple[float, ...]] = field(default_factory=list)
    step_first: list[int] = field(default_factory=list)
    step_count: list[int] = field(default_factory=list)
    destination: list[str] = field(default_factory=list)
    lastapp: list[str] = field(default_factory=list)
    lastdata: list[str] = field(default_factory=list)
    dstchannel: list[str] = field(default_factory=list)
    # per step
    step_at: list[tuple[float, float, float, float]] = field(default_factory=list)
    step_prefix: list[str] = field(default_factory=list)
    step_slot: list[int] = field(default_factory=list)
    step_suffix: list[str] = field(default_factory=list)
    # the arrays of the paths met so far (see `arrays`)
    _frozen: Frozen | None = None

    def add(self, path: Path, party_index: dict[str, int]) -> int:
        """Register a path; return its id."""
        pid = len(self.paths)
        self.paths.append(path)
        self.end.append(coefs(path.end))
        self.disposition.append((_DISPOSITION_INDEX[path.disposition],))
        self.occupies.append(tuple(party_index[n] for n in path.occupies if n in party_index))
        self.answer.append(coefs(path.answer))
        self.has_answer.append(path.answer is not None)
        self.owners.append(tuple(party_index[n] for n in path.owners))
        self.has_media.append((path.voicemail is not None, path.recording is not None))
        vm, rec = path.voicemail, path.recording
        parts = (None,) * 4 if rec is None else (rec.start, rec.pause, rec.resume, rec.end)
        self.media_at.append(tuple(x for o in (None if vm is None else vm.offset, *parts) for x in coefs(o)))
        self.step_first.append(len(self.step_at))
        self.step_count.append(len(path.steps))
        self.destination.append(path.destination)
        self.lastapp.append(path.lastapp)
        self.lastdata.append(path.lastdata)
        self.dstchannel.append(path.dstchannel)
        for step in path.steps:
            self.step_at.append(coefs(step.offset))
            head, slot, tail = _split(step.text)
            self.step_prefix.append(head)
            self.step_slot.append(slot)
            self.step_suffix.append(tail)
        return pid

    def arrays(self) -> Frozen:
        """Return numpy views of the table for vectorised expansion.

        Paths are only ever appended, so the arrays of the paths met before are kept and only
        the new paths' rows are converted and appended (a year in 31-day batches met 56k paths).
        """
        done = self._frozen
        n = len(self.paths)
        if done is not None and len(done.end) == n:
            return done
        p0 = 0 if done is None else len(done.end)
        s0 = 0 if done is None else len(done.step_at)
        grown = {"end": self.end.data[:n], "disposition": self.disposition.data[:n, 0]}  # views, not copies
        new = Frozen(
            **grown,
            answer=np.asarray(self.answer[p0:], dtype=np.float64).reshape(-1, 4),
            has_answer=np.asarray(self.has_answer[p0:], dtype=bool),
            owners=_padded(self.owners[p0:]),
            has_media=np.asarray(self.has_media[p0:], dtype=bool).reshape(-1, 2),
            media_at=np.asarray(self.media_at[p0:], dtype=np.float64).reshape(-1, 20),
            step_first=np.asarray(self.step_first[p0:], dtype=np.int64),
            step_count=np.asarray(self.step_count[p0:], dtype=np.int64),
            step_at=np.asarray(self.step_at[s0:], dtype=np.float64).reshape(-1, 4),
            step_slot=np.asarray(self.step_slot[s0:], dtype=np.int8),
            step_prefix=pa.array(self.step_prefix[s0:], type=pa.string()),
            step_suffix=pa.array(self.step_suffix[s0:], type=pa.string()),
            destination=pa.array(self.destination[p0:], type=pa.string()),
            lastapp=pa.array(self.lastapp[p0:], type=pa.string()),
            lastdata=pa.array(self.lastdata[p0:], type=pa.string()),
            dstchannel=pa.array(self.dstchannel[p0:], type=pa.string()),
        )
        if done is not None:
            new = Frozen(
                **grown,
                **{name: np.concatenate([getattr(done, name), getattr(new, name)]) for name in _NUMPY_FIELDS},
                owners=_stacked(done.owners, new.owners),
                **{name: pa.concat_arrays([getattr(done, name), getattr(new, name)]) for name in _ARROW_FIELDS},
            )
        self._frozen = new
        return new


@dataclass(frozen=True, slots=True)
class Frozen:
    """Numpy (and Arrow, for the step texts) arrays of a PathTable."""

    end: np.ndarray
    answer: np.ndarray
    has_answer: np.ndarray
    disposition: np.ndarray
    owners: np.ndarray  # (paths, width) party indexes of the histories a path is in, -1 padded
    has_media: np.ndarray  # (paths, 2): a voicemail left, a recording made
    media_at: np.ndarray  # (paths, 20): offsets of the voicemail, the recording's start, pause, resume, end
    step_first: np.ndarray
    step_count: np.ndarray
    step_at: np.ndarray
    step_slot: np.ndarray
    step_prefix: pa.Array  # each step's text before its placeholder (all of it when it has none)
    step_suffix: pa.Array
    # per path: its cdr texts
    destination: pa.Array
    lastapp: pa.Array
    lastdata: pa.Array
    dstchannel: pa.Array


_NUMPY_FIELDS = (
    "answer",
    "has_answer",
    "has_media",
    "media_at",
    "step_first",
    "step_count",
    "step_at",
    "step_slot",
)


def _stacked(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return two -1 padded grids one above the other, padded to the wider."""
    width = max(a.shape[1], b.shape[1])
    return np.concatenate([np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-1) for x in (a, b)])


def _padded(rows: list[tuple[int, ...]]) -> np.ndarray:
    """Return rows of party indexes as one array, -1 padded to the longest (1 wide at least)."""
    grid = np.full((len(rows), max(1, *(len(r) for r in rows)) if rows else 1), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        grid[i, : len(r)] = r
    return grid


_ARROW_FIELDS = ("step_prefix", "step_suffix", "destination", "lastapp", "lastdata", "dstchannel")


def seconds(coefs: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Evaluate offsets: rows of (const, ring, talk, message) against per-row draws."""
    return seconds_of(coefs[:, 0], (coefs[:, 1], coefs[:, 2], coefs[:, 3]), (draws[:, 0], draws[:, 1], draws[:, 2]))


def seconds_of(const: np.ndarray, coefs: tuple[np.ndarray, ...], draws: tuple[np.ndarray, ...]) -> np.ndarray:
    """Evaluate offsets column by column: const + ((ring + talk) + message).

    NOTE: summed in the order numpy's row sum of the three terms took before, so the same floats.
    """
    terms = [c * d for c, d in zip(coefs, draws, strict=True)]
    result: np.ndarray = const + ((terms[0] + terms[1]) + terms[2])
    return result


def seconds_in_order(c: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Evaluate offsets summed left to right, const + ring + talk + message, as `Offset.at` sums them.

    NOTE: the order media rows were timed in before they were built as columns, so the same floats.
    """
    result: np.ndarray = c[:, 0] + c[:, 1] * draws[:, 0] + c[:, 2] * draws[:, 1] + c[:, 3] * draws[:, 2]
    return result
