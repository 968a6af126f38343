"""Call History (guide p.12-16): the signed-in user's calls, filtered, searched, downloaded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go
import polars as pl
import pyarrow as pa

from fvkit.domain.calls import Direction, Disposition, HistoryFilter
from fvkit.domain.limits import HISTORY_PAGE_SIZE, MAX_DOWNLOAD_ROWS
from fvkit.domain.org import Feature, Privilege
from fvkit.domain.prefs import DEFAULT_THEME, THEME_COLORS
from fvkit.media.mail import MailSettings
from fvkit.portal.auth import PermissionDenied, User, require_owner
from fvkit.portal.display import ListPage, clamp_page, durations, local_time, local_times, real_duration, span
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import history
from fvkit.store.db import Store
from fvkit.store.history import SEARCH_FIELDS, HistoryQuery

PAGE_SIZE = HISTORY_PAGE_SIZE  # guide p.14: "1-25 of 59"
MAX_SEARCH_CHARS = 200
ANY = "--All--"  # the dropdowns' "no filter" choice (guide p.14)
_NO_FILTER = (None, "", ANY)


class BadSearch(ValueError):
    """A search or filter the list cannot apply; the message is safe to show."""


def query(
    user: User,
    *,
    view: HistoryFilter | str = HistoryFilter.ALL,
    direction: Direction | str | None = None,
    disposition: Disposition | str | None = None,
    search: str = "",
    fields: tuple[str, ...] = tuple(SEARCH_FIELDS),
    since: datetime | None = None,
    until: datetime | None = None,
) -> HistoryQuery:
    """Return the user's history query, validating every filter (CH-5, CH-6)."""
    text = search.strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise BadSearch(f"Search for at most {MAX_SEARCH_CHARS} characters.")
    if any(ord(ch) < 32 for ch in text):
        raise BadSearch("The search contains control characters.")
    unknown = [f for f in fields if f not in SEARCH_FIELDS]
    if unknown:
        raise BadSearch(f"Unknown search fields: {', '.join(unknown)}.")
    if since is not None and until is not None and since >= until:
        raise BadSearch("The time range ends before it starts.")
    try:
        return HistoryQuery(
            owner=user.number,
            view=HistoryFilter(view),
            direction=Direction(direction) if direction not in _NO_FILTER else None,
            disposition=Disposition(disposition) if disposition not in _NO_FILTER else None,
            search=text,
            fields=fields,
            since=since,
            until=until,
        )
    except ValueError as exc:
        raise BadSearch(f"Unknown filter value: {exc}.") from exc


def count(store: Store, user: User, q: HistoryQuery) -> int:
    """Return how many of the user's calls match."""
    require_owner(user, q.owner)
    return history.count(store, q)


def for_download(store: Store, user: User, q: HistoryQuery, *, with_flow: bool) -> pa.Table:
    """Return the first 20,000 matching calls (guide p.15), with one row per flow event if asked."""
    require_owner(user, q.owner)
    if with_flow:
        table = history.page_with_flow(store, q, MAX_DOWNLOAD_ROWS)
    else:
        table = history.page(store, q, MAX_DOWNLOAD_ROWS, detail=True)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    # the file shows the names the list shows (CH-2)
    return _match_contacts(store, user, frame).to_arrow()


#: the list's columns as the guide labels them (p.14), by query column
LIST_LABELS = {
    "from_name": "From (Name)",
    "src": "From",
    "to_name": "To (Name)",
    "dst": "To",
    "start_time": "Start",
    "duration": "Duration",
    "disposition": "Disposition",
    "direction": "Direction",
    "call_type": "Call Type",
}


def list_page(store: Store, user: User, q: HistoryQuery, page: int = 1, size: int = PAGE_SIZE) -> ListPage:
    """Return page `page` (from 1) of the user's calls, newest first (CH-1, CH-2)."""
    require_owner(user, q.owner)
    total = history.count(store, q)
    page = clamp_page(page, size, total)
    frame = pl.from_arrow(history.page(store, q, size, (page - 1) * size))
    assert isinstance(frame, pl.DataFrame)
    frame = _match_contacts(store, user, frame)
    shown = local_times(durations(frame, ["duration"]), ["start_time"], user.time_zone)
    shown = shown.select("uniqueid", *[pl.col(c).alias(label) for c, label in LIST_LABELS.items()])
    return ListPage(shown, *span(page, size, total, shown.height), total)


def _match_contacts(store: Store, user: User, frame: pl.DataFrame) -> pl.DataFrame:
    """Show a caller's personal-contact name when the administrator enabled it (CH-2, guide p.12)."""
    if frame.is_empty() or not user.extension.can(Privilege.MATCH_PERSONAL_CONTACT):
        return frame
    names = history.personal_names(store, user.number, frame["src"].unique().to_list())
    if not names:
        return frame
    matched = frame["src"].replace_strict(names, default=None)
    return frame.with_columns(pl.coalesce(matched, pl.col("from_name")).alias("from_name"))


@dataclass(frozen=True, slots=True)
class CallDetails:
    """The call-details view (CH-4, guide p.13): three sections."""

    uniqueid: str
    information: dict[str, str]
    detail: dict[str, str]
    flow: pl.DataFrame  # Time, Description


def details(store: Store, user: User, uniqueid: str) -> CallDetails:
    """Return one of the user's calls as the details view shows it."""
    row = history.call(store, user.number, uniqueid)
    if row is None:
        raise PermissionDenied(f"Call {uniqueid} is not in the call history of {user.number}.")
    tz = user.time_zone
    information = {
        "From": f"{row['from_name']} {row['src']}".strip(),
        "To": f"{row['to_name']} {row['dst']}".strip(),
        "Start": local_time(row["start_time"], tz),
        "Real duration": real_duration(row["duration"]),
        "Disposition": row["disposition"],
    }
    detail = {
        "Answer": local_time(row["answer_time"], tz),
        "End": local_time(row["end_time"], tz),
        "Source": row["src"],
        "Dialed number/DNIS": row["dnis"],
        "Destination": row["destination"],
        "Trunk": row["trunk"],
        "Bill duration": real_duration(row["billsec"]),
        "Direction": row["direction"],
        "Department": row["department"],
        "Unique ID": row["uniqueid"],
        "Call type": row["call_type"],
        "Account code": row["account_code"],
    }
    flow = pl.from_arrow(history.flow(store, user.number, row["linkedid"]))
    assert isinstance(flow, pl.DataFrame)
    flow = local_times(flow, ["time"], tz).select(
        pl.col("time").str.slice(11).alias("Time"), pl.col("description").alias("Description")
    )
    return CallDetails(uniqueid, information, detail, flow)


def counterpart(store: Store, user: User, uniqueid: str) -> tuple[str, str]:
    """Return the number and name of whoever the user talked to on that call."""
    row = history.call(store, user.number, uniqueid)
    if row is None:
        raise PermissionDenied(f"Call {uniqueid} is not in the call history of {user.number}.")
    if row["placed"]:
        return str(row["dst"]), str(row["to_name"])
    return str(row["src"]), str(row["from_name"])


def other_party(store: Store, user: User, uniqueid: str) -> str:
    """Return the number to call back."""
    return counterpart(store, user, uniqueid)[0]


def may_dial(user: User) -> bool:
    """Return whether the user has "Contacts and Click to dial" (Standard or Premium, guide p.56).

    Without it the page offers neither Call nor Add to Contact (issue 11 item 16).
    """
    return user.extension.has(Feature.CONTACTS)


def dial(
    store: Store,
    user: User,
    number: str,
    now: datetime,
    behaviour: Behaviour | None = None,
    mail: MailSettings | None = None,
) -> str:
    """Place a call from the user's extension (click to dial, CH-3); return the new call's id.

    Needs "Contacts and Click to dial" (Standard or Premium, guide p.56). The callee's voicemail
    and missed-call emails go out as their notification options ask (`mail`, else FVKIT_SMTP_*).
    """
    if not may_dial(user):
        raise PermissionDenied("Click to dial needs the Standard or Premium access level.")
    return place_call(store, user.number, number, now, behaviour=behaviour, mail=mail or MailSettings.from_env())


def flow_timeline(details: CallDetails) -> go.Figure:
    """Return the call flow as a timeline: one marker per event, in order (beyond the guide)."""
    flow = details.flow
    fig = go.Figure(
        go.Scatter(
            x=flow["Time"].to_list(),
            y=list(range(flow.height, 0, -1)),
            mode="markers+text",
            text=flow["Description"].to_list(),
            textposition="middle right",
            marker={"size": 10, "color": THEME_COLORS[DEFAULT_THEME]},
            hovertemplate="%{x}<br>%{text}<extra></extra>",
        )
    )
    fig.update_layout(
        height=60 + 34 * flow.height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"visible": False},
        xaxis={"title": "time", "type": "category"},
        showlegend=False,
    )
    return fig


MAX_SAVED_NAME = 60
MAX_SAVED_SEARCHES = 50


def saved_searches(store: Store, user: User) -> dict[str, HistoryQuery]:
    """Return the user's saved searches by name, as queries ready to run (beyond the guide)."""
    saved = {}
    for name, spec in history.saved_searches(store, user.number).items():
        try:
            fields = json.loads(spec)
            saved[name] = query(
                user,
                view=fields.get("view", HistoryFilter.ALL),
                direction=fields.get("direction"),
                disposition=fields.get("disposition"),
                search=str(fields.get("search", "")),
                fields=tuple(fields.get("fields", SEARCH_FIELDS)),
            )
        except (ValueError, TypeError, AttributeError):
            continue  # a spec from an older version that no longer applies: not offered
    return saved


def save_search(store: Store, user: User, name: str, q: HistoryQuery) -> None:
    """Save the current filters and search under a name (the time range is not kept)."""
    require_owner(user, q.owner)
    label = name.strip()
    if not label or len(label) > MAX_SAVED_NAME or any(ord(ch) < 32 for ch in label):
        raise BadSearch(f"Name the search with 1 to {MAX_SAVED_NAME} printable characters.")
    current = history.saved_searches(store, user.number)
    if label not in current and len(current) >= MAX_SAVED_SEARCHES:
        raise BadSearch(f"You can keep {MAX_SAVED_SEARCHES} saved searches; delete one first.")
    spec = {
        "view": q.view.value,
        "direction": q.direction.value if q.direction else None,
        "disposition": q.disposition.value if q.disposition else None,
        "search": q.search,
        "fields": list(q.fields),
    }
    history.save_search(store, user.number, label, json.dumps(spec))


def delete_search(store: Store, user: User, name: str) -> None:
    """Forget one of the user's saved searches."""
    history.delete_search(store, user.number, name)
