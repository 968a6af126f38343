"""NB-1: the Call History walkthrough prints what the portal services compute on its database."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from fvkit.portal import auth, block_list, call_history, contact
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from pipelines import call_records
from tests.notebooks.harness import BUDGET_S, run

NOW = CLASS_NOW
LISTED_BY = NOW + timedelta(minutes=5)  # after the notebook's first two calls, before the blocked caller's (+10 min)


@pytest.mark.req("NB-1")
def test_call_history_walkthrough_shows_the_services_results(notebook_env: Path) -> None:
    result = run("02-call-history.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    store = Store(notebook_env / "data" / "02-call-history.duckdb")
    try:
        user = auth.sign_in(store, "7101", CLASS_PASSWORD, NOW)
        # the lists were printed before the blocked caller rang again: count them as they were
        before = {"until": LISTED_BY}

        # views and filters: the pager labels printed equal the service's
        for view in ["All", "Missed", "Received", "Placed"]:
            label = call_history.list_page(store, user, call_history.query(user, view=view, **before)).label
            assert f"{view:9} {label}\n" in result.text("views")
        for direction in ["Internal", "Outgoing", "Incoming"]:
            label = call_history.list_page(store, user, call_history.query(user, direction=direction, **before)).label
            assert f"{direction:9} {label}\n" in result.text("filters")
        voicemail = call_history.list_page(store, user, call_history.query(user, disposition="Voicemail", **before))
        assert f"Voicemail {voicemail.label}\n" in result.text("filters")
        everything = call_history.query(user, **before)
        total = call_history.count(store, user, everything)
        assert total > 10
        assert f"pager: 6-10 of {total}\n" in result.text("paging")
        found = call_history.query(user, search="Rebecca", **before)
        assert f"search 'Rebecca': {call_history.list_page(store, user, found).label}" in result.text("search")

        # the call flow printed for the missed call is call_history's flow for it
        missed = re.search(r"^call (\S+)$", result.text("details"), re.M)
        assert missed is not None
        details = call_history.details(store, user, missed[1])
        assert details.information["Disposition"] == "No Answer"
        assert "From: Rebecca Hammond 7108\n" in result.text("details")
        flow_lines = [f"{r['Time']} {r['Description']}" for r in details.flow.iter_rows(named=True)]
        assert result.text("flow") == "\n".join([f"1-{len(flow_lines)} of {len(flow_lines)}", *flow_lines]) + "\n"
        assert any("enter voicemail number:7101" in line for line in flow_lines)  # the guide's p.13 shape
        assert result.mime("timeline", "application/vnd.plotly.v1+json")

        # downloads: the counts printed are the service's, the CSV head is the file's
        all_calls = call_records.download(store, user, everything, search_result=False)
        assert all_calls.records == min(total, 20_000)
        assert f"Download > All: {all_calls.records} calls, {all_calls.rows} rows\n" in result.text("download_all")
        header = ",".join(call_records.zoned(c, user.time_zone) for c in call_records.HEADER)  # times name their zone
        assert result.text("download_all").splitlines()[1] == header
        flows = call_records.download(store, user, found, search_result=True, with_flow=True)
        assert flows.rows > flows.records
        expected = f"Download > Search Result with call flow: {flows.records} calls, {flows.rows} rows"
        assert expected in result.text("download_flow")
        assert result.text("download_refused") == f"Refused: {call_records.SEARCH_FIRST}\n"

        # click to call, add to contact, block: the store holds what the notebook did
        called = re.search(r"^Called (\S+): new call (\S+)$", result.text("call"), re.M)
        assert called is not None
        assert call_history.details(store, user, called[2]).information["Start"] == "2026-11-02 09:30:00"
        assert "Rebecca Hammond" in contact.personal_list(store, user)["Display Name"].to_list()
        pest = re.search(r"^(\d+) calls again: Denied$", result.text("blocked_call"), re.M)
        assert pest is not None and block_list.is_blocked(store, user, pest[1])
        assert "Rebecca, missed" in call_history.saved_searches(store, user)
    finally:
        store.close()
