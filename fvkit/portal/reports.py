"""Reports (beyond the guide, ANL-3): organisation-wide reports for analysts and administrators.

Only users with the Organisation reports privilege may run them (`require_screen`); everyone
else's menu lacks the screen, and its address answers "Page not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go
import polars as pl

from fvkit.domain.prefs import DEFAULT_THEME, THEME_COLORS, Theme
from fvkit.domain.reports import TITLES, Period, Report
from fvkit.domain.screens import Screen
from fvkit.portal.auth import User, require_screen
from fvkit.store import reports as queries
from fvkit.store.db import Store

__all__ = ["DEFAULT_DAYS", "TITLES", "Report", "Result", "default_period", "figure", "run"]

#: the period the screen opens on: the last week of calls
DEFAULT_DAYS = 7
_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


@dataclass(frozen=True, slots=True)
class Result:
    """One report's rows for a period (local call dates, inclusive)."""

    report: Report
    period: Period
    rows: pl.DataFrame


def default_period(store: Store, user: User, today: date) -> Period:
    """The last week of the calls on record (the week to `today` when there are none)."""
    require_screen(user, Screen.REPORTS)
    lo, hi = store.execute(queries.DATA_RANGE).fetchall()[0]
    last = hi or today
    first = max(lo or last, last - timedelta(days=DEFAULT_DAYS - 1))
    return Period(first, last)


def run(store: Store, user: User, report: Report, first: date, last: date) -> Result:
    """Run a report over the organisation's calls of first..last (its local days)."""
    require_screen(user, Screen.REPORTS)
    period = Period(first, last)
    return Result(report, period, queries.run(store, report, period.first, period.last))


def figure(result: Result) -> go.Figure:
    """The report's chart."""
    rows = result.rows
    fig = go.Figure()
    if result.report is Report.EXTENSION_SUMMARY:
        top = rows.sort("calls_in", descending=True).head(20)
        for column, colour in (("answered", THEME_COLORS[DEFAULT_THEME]), ("missed", THEME_COLORS[Theme.RED])):
            fig.add_bar(x=top["extension"].to_list(), y=top[column].to_list(), name=column.title(), marker_color=colour)
        fig.update_layout(barmode="stack", title="Received calls of the 20 busiest extensions")
    elif result.report is Report.HOURLY:
        hours = rows.filter(pl.col("dimension") == "hour")
        fig.add_bar(x=hours["label"].to_list(), y=hours["calls"].to_list(), name="This period")
        fig.add_bar(x=hours["label"].to_list(), y=hours["compare_calls"].to_list(), name="Period before")
        fig.update_layout(barmode="group", title="Calls by hour of the day (organisation time)")
    elif result.report is Report.CONCURRENCY:
        x = rows["interval_start"].to_list()
        fig.add_scatter(x=x, y=rows["peak_calls"].to_list(), name="Peak calls", mode="lines")
        fig.add_scatter(x=x, y=rows["peak_trunk_calls"].to_list(), name="Peak trunk lines used", mode="lines")
        if rows.height:
            fig.add_hline(y=rows["trunk_lines"][0], line_dash="dash", annotation_text="Trunk lines")
        fig.update_layout(title="Concurrent calls per hour")
    else:
        top = rows.head(20)
        fig.add_bar(x=top["number"].to_list(), y=top["missed_calls"].to_list(), name="Missed", marker_color="#c62828")
        fig.add_bar(x=top["number"].to_list(), y=top["calls"].to_list(), name="All calls", marker_color="#90a4ae")
        fig.update_layout(barmode="group", title="Outside callers with the most missed calls")
    fig.update_layout(margin=_MARGIN, height=360, legend={"orientation": "h"})
    return fig
