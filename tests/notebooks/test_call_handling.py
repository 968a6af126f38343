"""NB-1: the Call Handling walkthrough's settings change the next call as it claims."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fvkit.domain.handling import Action
from fvkit.portal import auth, call_handling, call_history
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD
from fvkit.store import Store
from tests.notebooks.harness import BUDGET_S, Run, run

NOW = CLASS_NOW
CALLS = [
    "call_before",
    "call_dnd",
    "call_forward",
    "call_no_answer_before",
    "call_no_answer_rule",
    "call_announcement",
    "call_out_of_office",
    "call_follow_me",
]


def printed_call(result: Run, tag: str) -> tuple[str, str, list[str]]:
    """Return the call id, disposition and flow a call cell printed."""
    first, *flow = result.text(tag).splitlines()
    found = re.fullmatch(r"call (\S+) - (.+)", first)
    assert found is not None, first
    return found[1], found[2], flow


@pytest.mark.req("NB-1")
def test_call_handling_walkthrough_changes_routing_as_it_claims(notebook_env: Path) -> None:
    result = run("05-call-handling.ipynb", notebook_env)
    assert result.seconds < BUDGET_S

    store = Store(notebook_env / "data" / "05-call-handling.duckdb")
    try:
        user = auth.sign_in(store, "7101", CLASS_PASSWORD, NOW)
        calls = {}
        for tag in CALLS:
            uniqueid, disposition, flow = printed_call(result, tag)
            # what the notebook printed is the call history's view of that call
            details = call_history.details(store, user, uniqueid)
            assert details.information["Disposition"] == disposition, tag
            assert details.flow["Description"].to_list() == flow, tag
            calls[tag] = (disposition, flow)

        # Do not disturb: the same call that was answered goes to voicemail without ringing
        assert calls["call_before"][0] == "Answered"
        assert calls["call_dnd"][0] == "Voicemail"
        assert "process call handling state:<DND> for user:<7101>" in calls["call_dnd"][1]
        assert not any(line.startswith("dial local extension") for line in calls["call_dnd"][1])
        # Call forward: answered by 7102, not by 7101's phone
        assert "call answered by number:7102" in calls["call_forward"][1]
        # a No answer rule: voicemail before, forwarded to 7102 after; then the announcement first
        assert calls["call_no_answer_before"][0] == "Voicemail"
        assert calls["call_no_answer_rule"][0] != "Voicemail"
        assert "forward call to number:7102" in calls["call_no_answer_rule"][1]
        announced = calls["call_announcement"][1]
        assert announced.index("play announcement:back_soon") < announced.index("forward call to number:7102")
        # quick mode and follow me
        assert "process call handling state:<OUTOFOFFICE> for user:<7101>" in calls["call_out_of_office"][1]
        assert "process follow me:<Cell then desk> for user:<7101>" in calls["call_follow_me"][1]

        # the settings the notebook left behind are stored
        quick = call_handling.quick_setting(store, user)
        assert (quick.dnd, quick.forward_to, quick.quick_status) == (False, "", None)
        rules = call_handling.call_process(store, user, "No answer").rules
        assert [r.action for r in rules] == [Action.PLAY_ANNOUNCEMENT, Action.FOLLOW_ME]
        assert any(f["name"] == "back_soon" for f in call_handling.sound_files(store, user))
    finally:
        store.close()

    (player,) = result.mime("sound_play", "text/html")
    assert "<audio" in str(player)
    assert result.text("bad_sound") == f"Refused: {call_handling.ONLY_WAV_OR_MP3}\n"
