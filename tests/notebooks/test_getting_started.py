"""01-getting-started: the simulation's Summary, the views' counts and the file agree."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.notebooks.harness import BUDGET_S, run

VIEWS = ("extensions", "calls", "call_history", "call_flow", "voicemails", "recordings", "faxes")
#: the Summary's field for each view that holds exactly what the run added
SUMMARY_FIELD = {
    "calls": "calls",
    "call_flow": "flow_events",
    "voicemails": "voicemails",
    "recordings": "recordings",
    "faxes": "faxes",
}


@pytest.mark.req("NB-2")
def test_getting_started_counts_match_the_summary_and_the_file(notebook_env: Path) -> None:
    result = run("01-getting-started.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    summary_text = result.text("summary")
    assert summary_text.startswith("Summary(")
    summary = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", summary_text)}
    assert "organisation_created=True" in summary_text
    printed = {k: int(v) for k, v in re.findall(r"^(\w+): (\d+)$", result.text("counts"), re.M)}
    assert set(printed) == set(VIEWS)

    path = notebook_env / "data" / "01-getting-started.duckdb"
    con = duckdb.connect(str(path), read_only=True)
    queried = {view: con.sql(f"SELECT count(*) FROM {view}").fetchall()[0][0] for view in VIEWS}
    internal_answered = con.sql(
        "SELECT count(*) FROM calls WHERE direction = 'Internal' AND disposition = 'Answered'"
    ).fetchall()[0][0]
    users = con.sql("SELECT count(*) FROM extensions WHERE list_contains(privileges, 'User portal')").fetchall()
    con.close()

    assert printed == queried
    for view, field in SUMMARY_FIELD.items():
        assert printed[view] == summary[field], view
    assert queried["calls"] > 100 and queried["extensions"] == 20
    assert queried["call_history"] > queried["calls"]  # calls between extensions show twice

    # the example internal call shows once placed and once received
    assert internal_answered > 0
    history = result.text("history")
    assert history.count("Internal") == 2 and "true" in history and "false" in history

    organisation = result.text("organisation")
    assert "America/Los_Angeles" in organisation and "trunk_lines" in organisation

    portal = result.text("portal")
    assert f"fvkit serve --db {path.resolve()}" in portal
    assert f"{users[0][0]} extensions may sign in" in portal
