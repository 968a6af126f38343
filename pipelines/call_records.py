"""Download call records as CSV: Download > All and Download > Search Result (CH-7, CH-8, PIPE-2).

Both write at most the first 20,000 calls of the list (guide p.15), newest first as the list
shows them, through `pipelines.csv_safe.frame_csv` (UTF-8 with a BOM; no cell can run as
a formula). Download > All is the filtered list without call flow: the guide offers it only
"when With call flow is set to OFF". Download > Search Result needs a search string and may
include the call flow.

Columns carry the portal's labels in the list's order, then the call-details fields
(guide p.13-14)::

    From (Name), From, To (Name), To, Start, Duration, Disposition, Direction, Call Type,
    Answer, End, Bill Duration, Dialed Number/DNIS, Destination, Trunk, Department,
    Unique ID, Account Code

Times are in the user's time zone as "YYYY-MM-DD HH:MM:SS", and every time column's label
names that zone as the user's Preferences do, e.g. "Start (GMT -8:00 Pacific Time US & Canada)"
(an IANA name for a zone the list does not offer). Durations are "HH:MM:SS" as the list shows
them ("00:00:34"); a call never answered has an empty Answer. Read every column as text
(`pl.read_csv(path, infer_schema=False)`, `pd.read_csv(path, dtype=str, keep_default_na=False)`):
Unique IDs are strings ("1709577474.580" is not "1709577474.58") and numbers keep their form.

With call flow the file is "long": one row per flow event, each carrying all of its call's
columns above, then three more::

    ..., Account Code, Flow Step, Flow Time, Flow Description

A call's events are consecutive rows in step order (1, 2, ...), calls newest first. Every
row stands alone, so a spreadsheet can filter or sort it without losing which call an
event belongs to, and Flow Step restores the order after a sort (several events share a
second). `read_call_records` reads either layout back, telling them apart by the header.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from fvkit.domain.prefs import TIME_ZONES
from fvkit.portal.auth import User
from fvkit.portal.call_history import LIST_LABELS, for_download
from fvkit.portal.display import durations, local_times
from fvkit.store.db import Store
from fvkit.store.history import HistoryQuery
from pipelines.csv_safe import FORMULA_START, PHONE_NUMBER, QUOTE, frame_csv

#: store column -> the portal's label, in the list's order, then the call details (guide p.13-14)
CALL_COLUMNS: dict[str, str] = {
    **LIST_LABELS,
    "answer_time": "Answer",
    "end_time": "End",
    "billsec": "Bill Duration",
    "dnis": "Dialed Number/DNIS",
    "destination": "Destination",
    "trunk": "Trunk",
    "department": "Department",
    "uniqueid": "Unique ID",
    "account_code": "Account Code",
}
#: the call-flow columns a Search Result download with call flow adds (guide p.13 "Time, Description")
FLOW_COLUMNS: dict[str, str] = {
    "flow_seq": "Flow Step",
    "flow_time": "Flow Time",
    "flow_description": "Flow Description",
}
HEADER = tuple(CALL_COLUMNS.values())
FLOW_HEADER = HEADER + tuple(FLOW_COLUMNS.values())
_TIMES = ("start_time", "answer_time", "end_time", "flow_time")
#: the labels of the time columns, which carry the zone: "Start (GMT -8:00 Pacific Time US & Canada)"
TIME_LABELS = ("Start", "Answer", "End", "Flow Time")
_DURATIONS = ("duration", "billsec")
SEARCH_FIRST = "Enter a search string first"


class DownloadRefused(ValueError):
    """The portal does not offer this download; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class Download:
    """A call-record CSV and what it holds."""

    data: bytes
    records: int  # calls written, at most 20,000
    rows: int  # CSV rows below the header: one per call, or one per flow event


def zone_label(time_zone: str) -> str:
    """How a download names the zone of its times: the Preferences label, else the IANA name."""
    return TIME_ZONES.get(time_zone, time_zone)


def zoned(label: str, time_zone: str) -> str:
    """A column label, with the zone for the time columns: "Start (GMT -8:00 Pacific Time US & Canada)"."""
    return f"{label} ({zone_label(time_zone)})" if label in TIME_LABELS else label


def _formatted(frame: pl.DataFrame, columns: dict[str, str], time_zone: str) -> pl.DataFrame:
    """Return the columns as the portal shows them (times local, durations HH:MM:SS), labelled."""
    shown = local_times(frame.select(list(columns)), [c for c in columns if c in _TIMES], time_zone)
    shown = durations(shown, [c for c in columns if c in _DURATIONS])
    return shown.select(pl.col(name).alias(zoned(label, time_zone)) for name, label in columns.items())


def _frame(table: pa.Table, time_zone: str, *, with_flow: bool) -> pl.DataFrame:
    """Return the store's rows with labelled, formatted columns in download order."""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if not with_flow:
        return _formatted(frame, CALL_COLUMNS, time_zone)
    # NOTE: a call's columns repeat on each of its ~9 flow rows; format them once per call
    # (the rows of one call are consecutive) and spread them out by the call's index.
    call = frame.select(pl.struct("start_time", "uniqueid").rle_id()).to_series()
    first = frame.filter(call.is_first_distinct())
    calls = _formatted(first, CALL_COLUMNS, time_zone).select(pl.all().gather(call))
    return pl.concat([calls, _formatted(frame, FLOW_COLUMNS, time_zone)], how="horizontal")


def download(store: Store, user: User, q: HistoryQuery, *, search_result: bool, with_flow: bool = False) -> Download:
    """Return Download > Search Result (`search_result`) or Download > All as CSV.

    Raises:
        DownloadRefused: Search Result without a search string, or All with call flow.
        PermissionDenied: the query is not on the user's own history.
    """
    if search_result and not q.search:
        raise DownloadRefused(SEARCH_FIRST)
    if with_flow and not search_result:
        # guide p.15: Download > All "is available when With call flow is set to OFF"
        raise DownloadRefused(f"Call flow comes only with a search result: {SEARCH_FIRST.lower()}")
    table = for_download(store, user, q, with_flow=with_flow)
    frame = _frame(table, user.time_zone, with_flow=with_flow)
    records = frame.get_column(CALL_COLUMNS["uniqueid"]).n_unique() if with_flow else frame.height
    return Download(frame_csv(frame), records, frame.height)


def download_all(store: Store, user: User, q: HistoryQuery) -> bytes:
    """Return Download > All: the first 20,000 calls of the filtered list, without call flow (CH-7)."""
    return download(store, user, q, search_result=False).data


def download_search_result(store: Store, user: User, q: HistoryQuery, *, with_flow: bool) -> bytes:
    """Return Download > Search Result: the first 20,000 found calls, with call flow if asked (CH-8)."""
    return download(store, user, q, search_result=True, with_flow=with_flow).data


def read_call_records(data: bytes) -> pl.DataFrame:
    """Read a call-record CSV of either layout back, every cell as written before escaping.

    All columns are strings (an unanswered call's Answer is ""), in the file's order, labelled
    without the zone ("Start"); `download_zone` tells which zone the times are in.

    Raises:
        ValueError: the header is neither layout's.
    """
    frame = pl.read_csv(io.BytesIO(data), infer_schema=False).fill_null("")
    frame = frame.rename({c: _unzoned(c) for c in frame.columns})
    if tuple(frame.columns) not in (HEADER, FLOW_HEADER):
        raise ValueError(f"not a call-record download: header {frame.columns[:4]}...")
    # the inverse of csv_safe.safe_frame, vectorised (csv_safe.restore_cell for one cell)
    rest = {name: pl.col(name).str.slice(1) for name in frame.columns}
    return frame.with_columns(
        pl.when(
            pl.col(name).str.starts_with(QUOTE)
            & rest[name].str.contains(FORMULA_START)
            & ~rest[name].str.contains(PHONE_NUMBER)
        )
        .then(rest[name])
        .otherwise(pl.col(name))
        .alias(name)
        for name in frame.columns
    )


def _unzoned(label: str) -> str:
    for plain in TIME_LABELS:
        if label.startswith(f"{plain} (") and label.endswith(")"):
            return plain
    return label


def download_zone(data: bytes) -> str:
    """The zone label a call-record CSV's times are in, read from its Start column's label."""
    header = pl.read_csv(io.BytesIO(data), n_rows=0, infer_schema=False).columns
    start = next((c for c in header if c.startswith("Start (") and c.endswith(")")), None)
    if start is None:
        raise ValueError("not a call-record download with zoned times (no 'Start (zone)' column)")
    return start.removeprefix("Start (").removesuffix(")")
