"""The Reports page in AppTest (ANL-3): tables, a chart and a CSV download for the analyst only."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fvkit.domain.reports import Report
from fvkit.store import Store
from fvkit.store import reports as queries
from tests.conftest import SEED_PASSWORD
from tests.dashboards.apptest import APP, open_page


def _page_links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


@pytest.mark.req("ANL-3")
def test_reports_page_shows_the_extension_summary_of_the_last_week(db: Path) -> None:
    at = open_page("reports", "7101")
    assert not at.error
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["extension", "name", "department", "calls_in"]
    assert at.date_input(key="rp_from").value <= at.date_input(key="rp_to").value
    assert len(at.get("plotly_chart")) == 1
    assert "fvkit report extension-summary --from" in at.caption[0].value


@pytest.mark.req("ANL-3")
@pytest.mark.parametrize("report", list(Report))
def test_reports_page_runs_every_report(db: Path, report: Report) -> None:
    at = open_page("reports", "7101")
    at.segmented_control(key="rp_report").set_value(report).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    first, last = at.date_input(key="rp_from").value, at.date_input(key="rp_to").value
    st.cache_resource.clear()  # the portal's handle on the file
    store = Store(db, read_only=True)
    try:
        expected = queries.run(store, report, first, last)
    finally:
        store.close()
    assert list(table.columns) == expected.columns
    assert len(table) == expected.height


@pytest.mark.req("ANL-3")
def test_reports_page_is_not_in_a_non_analysts_menu(db: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input("7102")
    at.text_input(key="signin_password").input(SEED_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert "Call History" in _page_links(at)
    assert "Reports" not in _page_links(at)
    assert "Reports" in _page_links(open_page("home", "7101"))
