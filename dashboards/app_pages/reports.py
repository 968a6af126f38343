"""Reports (beyond the guide, ANL-3): organisation-wide tables, charts and CSV downloads, for analysts."""

from __future__ import annotations

import streamlit as st

from dashboards.markdown import plain
from dashboards.session import require_user, store, today
from dashboards.toolbar import page_toolbar
from fvkit.domain.screens import Screen
from fvkit.portal import reports
from pipelines.reports import file_name, report_csv

page_toolbar(Screen.REPORTS)
user = require_user()

choice = st.segmented_control(
    "Report",
    list(reports.Report),
    format_func=lambda r: reports.TITLES[r],
    default=reports.Report.EXTENSION_SUMMARY,
    key="rp_report",
)
report = reports.Report(choice or reports.Report.EXTENSION_SUMMARY)
default = reports.default_period(store(), user, today(user))
left, right = st.columns(2)
first = left.date_input("From", value=default.first, key="rp_from")
last = right.date_input("To", value=default.last, key="rp_to")
try:
    result = reports.run(store(), user, report, first, last)  # type: ignore[arg-type]
except ValueError as exc:
    st.error(plain(exc))
    st.stop()

st.plotly_chart(reports.figure(result), key="rp_chart")
st.dataframe(result.rows.to_pandas(), hide_index=True, key="rp_table")
st.download_button(
    "Download CSV",
    report_csv(result.rows),
    file_name=file_name(report.value, f"{result.period.first}", f"{result.period.last}"),
    mime="text/csv",
    key="rp_download",
)
st.caption(
    f"{result.rows.height:,} rows. Days and hours are the organisation's; calls from {result.period.first} to "
    f"{result.period.last}. The same report runs from the command line: "
    f"`fvkit report {report.value} --from {result.period.first} --to {result.period.last}`."
)
