"""Call History (guide p.12-16): the signed-in user's calls, filtered, searched, downloaded."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from fvkit.domain.calls import Direction, Disposition, HistoryFilter
from fvkit.domain.limits import MAX_DOWNLOAD_ROWS
from fvkit.portal.auth import User, require_owner
from fvkit.store import history
from fvkit.store.db import Store
from fvkit.store.history import SEARCH_FIELDS, HistoryQuery

MAX_SEARCH_CHARS = 200


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
            direction=Direction(direction) if direction not in (None, "", "All") else None,
            disposition=Disposition(disposition) if disposition not in (None, "", "All") else None,
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
        return history.page_with_flow(store, q, MAX_DOWNLOAD_ROWS)
    return history.page(store, q, MAX_DOWNLOAD_ROWS, detail=True)
