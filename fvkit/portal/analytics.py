"""Analytics (beyond the guide): the signed-in user's own calls in figures and charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import plotly.graph_objects as go
import polars as pl

from fvkit.domain.analytics import DEFAULT_PERIOD, MAX_FLOW_STEPS, PERIODS, WEEKDAYS, Kpis
from fvkit.domain.clock import local_date, local_midnight
from fvkit.domain.prefs import THEME_COLORS, Theme
from fvkit.portal.auth import User
from fvkit.store import analytics as queries
from fvkit.store.db import Store

__all__ = ["DEFAULT_PERIOD", "PERIODS", "Kpis", "Report", "kpis", "report", "window"]

_MARGIN = {"l": 10, "r": 10, "t": 30, "b": 10}
OUTCOME_COLOURS = {
    "Answered": THEME_COLORS[Theme.GREEN],
    "Voicemail": THEME_COLORS[Theme.BLUE],
    "No Answer": THEME_COLORS[Theme.RED],
    "Busy": THEME_COLORS[Theme.ORANGE],
}


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
    """Return the user's analytics for a period ending now (only the user's own calls)."""
    since, until = window(user, now, period)
    return Report(
        since=since,
        until=until,
        kpis=queries.kpis(store, user.number, since, until),
        daily=pl.DataFrame(queries.daily(store, user.number, user.time_zone, since, until)),
        heatmap=pl.DataFrame(queries.hour_by_weekday(store, user.number, user.time_zone, since, until)),
        dispositions=pl.DataFrame(queries.dispositions(store, user.number, since, until)),
        flow=pl.DataFrame(queries.flow_links(store, user.number, since, until, MAX_FLOW_STEPS)),
    )


def trend_figure(daily: pl.DataFrame) -> go.Figure:
    """Return calls, answered and missed per day as lines."""
    fig = go.Figure(
        [
            go.Scatter(x=daily["day"].to_list(), y=daily[c].to_list(), name=c.title(), mode="lines+markers")
            for c in ("calls", "answered", "missed")
        ]
    )
    fig.update_layout(title="Calls per day", margin=_MARGIN, height=320, hovermode="x unified")
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
    fig.update_layout(title="When your calls happen", margin=_MARGIN, height=300, yaxis={"autorange": "reversed"})
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
        )
    )
    fig.update_layout(title="Dispositions", margin=_MARGIN, height=300, yaxis={"autorange": "reversed"})
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
            node={"label": labels, "color": colours, "pad": 12},
            link={
                "source": [nodes[k] for k in zip(flow["pos"], flow["source"], strict=True)],
                "target": [nodes[k] for k in zip(flow["target_pos"], flow["target"], strict=True)],
                "value": flow["calls"].to_list(),
            },
        )
    )
    fig.update_layout(title="How your calls flowed", margin=_MARGIN, height=460)
    return fig
