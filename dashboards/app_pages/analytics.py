"""Analytics (beyond the guide): the signed-in user's own calls - figures, trend, heatmap, outcomes, paths."""

from __future__ import annotations

import streamlit as st

from dashboards.session import now, require_user, store
from dashboards.toolbar import page_toolbar
from fvkit.domain.screens import Screen
from fvkit.portal import analytics
from fvkit.portal.display import hms

page_toolbar(Screen.ANALYTICS)
user = require_user()

period = st.segmented_control("Period", list(analytics.PERIODS), default=analytics.DEFAULT_PERIOD, key="an_period")
report = analytics.report(store(), user, now(), period or analytics.DEFAULT_PERIOD)
k = report.kpis

with st.container(horizontal=True, key="an_kpis"):
    st.metric(
        "Calls", f"{k.calls:,}", help=f"{k.received:,} received, {k.placed:,} placed", border=True, width="content"
    )
    st.metric("Received", f"{k.received:,}", help="Calls to you; Answered + Missed", border=True, width="content")
    st.metric("Answered", f"{k.received - k.missed:,}", help="Received calls that were answered", border=True)
    st.metric("Missed", f"{k.missed:,}", help="Received and not answered", border=True, width="content")
    st.metric("Answer rate", f"{k.answer_rate:.1%}", help="Answered / Received", border=True, width="content")
    st.metric("Voicemails", f"{k.voicemails:,}", help="Messages left in your boxes", border=True, width="content")
    st.metric("Average talk time", hms(round(k.average_talk_s)), help="Billed seconds of answered calls", border=True)

if not k.calls:
    st.info("No calls in this period. Choose a longer period, or come back after some calls.")
    st.stop()

st.plotly_chart(analytics.trend_figure(analytics.from_first_call(report.daily)), key="an_trend")
left, right = st.columns(2)
left.plotly_chart(analytics.dispositions_figure(report.dispositions), key="an_dispositions")
right.plotly_chart(analytics.heatmap_figure(report.heatmap), key="an_heatmap")
st.plotly_chart(analytics.sankey_figure(report.flow), key="an_sankey")  # full width: room for its labels
st.caption(
    "Only your own calls, in your time zone. The paths start with the direction, follow the call-flow steps "
    "(as Call History > Details lists them) and end with the disposition."
)
