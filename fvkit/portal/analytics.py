"""Analytics (beyond the guide): the signed-in user's own calls in figures and charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import plotly.graph_objects as go
import polars as pl

from fvkit.domain.analytics import DEFAULT_PERIOD, MAX_FLOW_STEPS, PERIODS, WEEKDAYS, Kpis
from fvkit.domain.clock import local_date, local_midnight
from fvkit.portal.auth import User
from fvkit.store import analytics as queries
from fvkit.store.db import Store

__all__ = ["DEFAULT_PERIOD", "PERIODS", "Kpis", "Report", "kpis", "report", "window"]

_MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}
#: one distinct colour per disposition (colour-blind safe Okabe-Ito order, then greys)
OUTCOME_COLOURS = {
    "Answered": "#009e73",
    "Voicemail": "#0072b2",
    "No Answer": "#d55e00",
    "Busy": "#e69f00",
    "Failed": "#cc79a7",
    "Denied": "#000000",
    "Transferred - Blind": "#56b4e9",
    "Transferred - Attended": "#f0e442",
    "Other": "#999999",
}
_FONT = {"family": "sans-serif", "size": 13, "color": "#212121"}


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the Analytics screen shows for one user and period."""

    since: datetime  # naive UTC, inclusive: local midnight of the period's first day
    until: datetime  # naive UTC, exclusive: now
    kpis: Kpis
    daily: pl.DataFrame  # day, calls, answered, missed: every local day of the period
    heatmap: pl.DataFrame  # weekday (1 = Monday), hour, calls: all 168 cells
    dispositions: pl.DataFrame  # disposition, calls
    flow: pl.DataFrame  # pos, source, target_pos, target, calls (target_pos -1: the outcome)


def window(user: User, now: datetime, period: str = DEFAULT_PERIOD) -> tuple[datetime, datetime]:
    """Return [since, until) in naive UTC: from local midnight `days - 1` days ago until `now`.

    "Last 7 days" is today and the six days before it, as the user's clock reads them.
    """
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}; choose one of {', '.join(PERIODS)}.")
    first = local_date(now, user.time_zone) - timedelta(days=PERIODS[period] - 1)
    return local_midnight(first, user.time_zone), now


def kpis(store: Store, user: User, since: datetime | None = None, until: datetime | None = None) -> Kpis:
    """Return the headline figures of the user's own calls, all of them unless a period is given."""
    return queries.kpis(store, user.number, since or datetime.min, until or datetime.max)


def report(store: Store, user: User, now: datetime, period: str = DEFAULT_PERIOD) -> Report:
    """Return the user's analytics for a period ending now (only the user's own calls).

    Kept until the next write or the next minute (the page asks on every click): the calls a
    period ending now holds change only by a write, or by the clock passing calls already stored
    with a later start - at most a minute late.
    """
    since, until = window(user, now, period)
    key = ("analytics_report", user.number, user.time_zone, period, since, until.replace(second=0, microsecond=0))
    return store.memo(key, lambda: _report(store, user, since, until))


def _report(store: Store, user: User, since: datetime, until: datetime) -> Report:
    return Report(
        since=since,
        until=until,
        kpis=queries.kpis(store, user.number, since, until),
        daily=pl.DataFrame(queries.daily(store, user.number, user.time_zone, since, until)),
        heatmap=pl.DataFrame(queries.hour_by_weekday(store, user.number, user.time_zone, since, until)),
        dispositions=pl.DataFrame(queries.dispositions(store, user.number, since, until)),
        flow=pl.DataFrame(queries.flow_links(store, user.number, since, until, MAX_FLOW_STEPS)),
    )


def from_first_call(daily: pl.DataFrame) -> pl.DataFrame:
    """Return the days from the first one with a call on: a 90-day view of 20 days of data starts at the data."""
    with_calls = daily.filter(pl.col("calls") > 0)
    if with_calls.is_empty():
        return daily
    return daily.filter(pl.col("day") >= with_calls["day"].min())


def trend_figure(daily: pl.DataFrame) -> go.Figure:
    """Return calls, answered and missed per day as lines; the last day (today) is marked as partial."""
    fig = go.Figure(
        [
            go.Scatter(
                x=daily["day"].to_list(),
                y=daily[c].to_list(),
                name=c.title(),
                mode="lines+markers",
                line={"color": colour},
            )
            for c, colour in (("calls", "#424242"), ("answered", "#009e73"), ("missed", "#d55e00"))
        ]
    )
    fig.update_layout(
        title="Calls per day",
        margin=_MARGIN,
        height=320,
        hovermode="x unified",
        font=_FONT,
        xaxis_title="Day",
        yaxis_title="Calls",
    )
    if daily.height:
        today = datetime.combine(daily["day"][-1], datetime.min.time())
        fig.add_vrect(
            x0=today - timedelta(hours=12),
            x1=today + timedelta(hours=12),
            fillcolor="#bdbdbd",
            opacity=0.3,
            line_width=0,
            annotation_text="today, so far",
            annotation_position="top left",
        )
    return fig


def heatmap_figure(heatmap: pl.DataFrame) -> go.Figure:
    """Return calls by hour of day (columns) and weekday (rows)."""
    grid = [heatmap.filter(pl.col("weekday") == d).sort("hour")["calls"].to_list() for d in range(1, 8)]
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=[f"{h:02d}" for h in range(24)],
            y=list(WEEKDAYS),
            colorscale="Greens",
            hovertemplate="%{y} %{x}:00<br>%{z} calls<extra></extra>",
        )
    )
    fig.update_layout(
        title="When your calls happen",
        margin=_MARGIN,
        height=300,
        font=_FONT,
        xaxis_title="Hour of day",
        yaxis={"autorange": "reversed", "title": "Weekday"},
    )
    return fig


def dispositions_figure(dispositions: pl.DataFrame) -> go.Figure:
    """Return calls per disposition as horizontal bars."""
    labels = dispositions["disposition"].to_list()
    fig = go.Figure(
        go.Bar(
            x=dispositions["calls"].to_list(),
            y=labels,
            orientation="h",
            marker={"color": [OUTCOME_COLOURS.get(d, "#757575") for d in labels]},
            text=[f"{c:,}" for c in dispositions["calls"].to_list()],  # small counts readable beside big ones
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_layout(
        title="Dispositions",
        margin={**_MARGIN, "r": 50},
        height=300,
        font=_FONT,
        xaxis={"type": "log", "title": "Calls (log scale)", "showticklabels": False},
        yaxis={"autorange": "reversed", "title": ""},
    )
    return fig


def sankey_figure(flow: pl.DataFrame) -> go.Figure:
    """Return the call-flow paths as a Sankey: direction, then flow steps, then the outcome."""
    nodes: dict[tuple[int, str], int] = {}
    for pos, label in [
        *zip(flow["pos"], flow["source"], strict=True),
        *zip(flow["target_pos"], flow["target"], strict=True),
    ]:
        nodes.setdefault((pos, label), len(nodes))
    labels = [label for _pos, label in nodes]
    colours = [OUTCOME_COLOURS.get(label, "#90a4ae") if pos == -1 else "#78909c" for pos, label in nodes]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": labels, "color": colours, "pad": 14, "thickness": 14, "line": {"width": 0}},
            textfont={"size": 13, "color": "#212121", "family": "sans-serif"},
            link={
                "source": [nodes[k] for k in zip(flow["pos"], flow["source"], strict=True)],
                "target": [nodes[k] for k in zip(flow["target_pos"], flow["target"], strict=True)],
                "value": flow["calls"].to_list(),
            },
        )
    )
    fig.update_layout(title="How your calls flowed", margin=_MARGIN, height=460, font=_FONT)
    return fig
