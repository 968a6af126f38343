"""Analyst schema v2 (ANL-1): each new column against the call flow it summarises, on exact-flow calls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from fvkit.sim.engine import Parties
from fvkit.sim.live import Behaviour, place_call
from fvkit.sim.routing import Kind, Transfer
from fvkit.sim.run import Router
from fvkit.sim.traffic import Draws
from fvkit.store import Store
from fvkit.store.call_handling import set_dnd
from fvkit.store.preferences import save_display

NOW = datetime(2026, 10, 7, 17, 0)  # a Wednesday, 10:00 in the organisation (Los Angeles)
V2 = (
    "caller_type, answered_by, ring_seconds, reached_voicemail, left_message, transferred_by, transferred_to, "
    "final_department"
)
SALES = ("7102", "7104", "7106")  # the seeded organisation's Sales users, in transfer order


@pytest.fixture
def store(seeded_store: Store) -> Store:
    return seeded_store


def _v2(store: Store, uid: str) -> dict[str, Any]:
    cur = store.cursor()
    cur.execute(f"SELECT {V2}, department FROM calls WHERE uniqueid = ?", [uid])
    names = [d[0] for d in cur.description or []]
    rows = cur.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def _flow(store: Store, uid: str) -> list[tuple[datetime, str]]:
    rows = store.execute("SELECT time, description FROM call_flow WHERE linkedid = ? ORDER BY seq", [uid]).fetchall()
    return [(r[0], r[1]) for r in rows]


def _start(store: Store, uid: str) -> datetime:
    return store.execute("SELECT start FROM calls WHERE uniqueid = ?", [uid]).fetchall()[0][0]  # type: ignore[no-any-return]


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Let a test force what place_call leaves to the engine: a transfer, an office-peer caller."""
    force: dict[str, Any] = {}
    original = Router.write

    def write(self: Router, store: Store, times: np.ndarray, d: Draws, who: Parties, *args: Any, **kw: Any) -> Any:
        if "transfer" in force:
            d.transfer[:] = force["transfer"]
        if "peer" in force:
            d.kind[:] = Kind.PEER
            who.src[:] = force["peer"]
        return original(self, store, times, d, who, *args, **kw)

    monkeypatch.setattr(Router, "write", write)
    yield force


@pytest.mark.req("ANL-1")
def test_calls_v2_dnd_goes_to_voicemail_without_a_message(store: Store) -> None:
    set_dnd(store, "7102", True)
    uid = place_call(store, "7101", "7102", NOW, behaviour=Behaviour(answers=True, leaves_message=False))
    flow = [d for _, d in _flow(store, uid)]
    assert "process call handling state:<DND> for user:<7102>" in flow
    assert flow[-1] == "no message left to voicemail account 7102@system <7102>"
    assert _v2(store, uid) == {
        "caller_type": "Internal",
        "answered_by": "",
        "ring_seconds": None,
        "reached_voicemail": True,
        "left_message": False,
        "transferred_by": "",
        "transferred_to": "",
        "final_department": "Sales",  # the callee's: the caller 7101 is in Engineering
        "department": "Engineering",
    }


@pytest.mark.req("ANL-1")
def test_calls_v2_voicemail_with_and_without_a_message(store: Store) -> None:
    silent = place_call(store, "7101", "7103", NOW, behaviour=Behaviour(answers=False, leaves_message=False))
    spoken = place_call(store, "7105", "7103", NOW, behaviour=Behaviour(answers=False, leaves_message=True))
    assert any(d.startswith("enter voicemail number:7103") for _, d in _flow(store, silent))
    assert _flow(store, spoken)[-1][1].startswith("voicemail message left to voicemail account 7103@system")
    got = [_v2(store, u) for u in (silent, spoken)]
    assert [(g["reached_voicemail"], g["left_message"], g["answered_by"], g["ring_seconds"]) for g in got] == [
        (True, False, "", None),
        (True, True, "", None),
    ]
    assert store.execute("SELECT disposition FROM calls WHERE uniqueid = ?", [spoken]).fetchall() == [("Voicemail",)]


@pytest.mark.req("ANL-1")
def test_calls_v2_attended_transfer_names_who_answered_transferred_and_took_it(
    store: Store, forced: dict[str, Any]
) -> None:
    forced["transfer"] = Transfer.ATTENDED
    uid = place_call(store, "14155550123", "14085382071", NOW, behaviour=Behaviour(answers=True))  # 7102's DID
    flow = _flow(store, uid)
    transfer = next(d for _, d in flow if d.startswith("attended transfer to extension:"))
    match = re.fullmatch(r"attended transfer to extension:(\d+) by user:<(\d+)>", transfer)
    assert match is not None
    first_answer = next(t for t, d in flow if d.startswith("call answered by PJSIP/"))
    v2 = _v2(store, uid)
    assert (v2["answered_by"], v2["transferred_by"], v2["transferred_to"]) == ("7102", "7102", match.group(1))
    assert match.group(1) in SALES and match.group(2) == "7102"
    assert v2["caller_type"] == "External"
    assert v2["ring_seconds"] == int((first_answer - _start(store, uid)).total_seconds())
    assert v2["final_department"] == "Sales"
    assert (v2["reached_voicemail"], v2["left_message"]) == (False, False)


@pytest.mark.req("ANL-1")
def test_calls_v2_ring_group_answered_by_its_member(store: Store) -> None:
    uid = place_call(store, "7101", "6001", NOW, behaviour=Behaviour(answers=True))
    flow = _flow(store, uid)
    assert flow[0][1].startswith("dial ring group:6001, members:")
    answered = [(t, d) for t, d in flow if d.startswith("call answered by PJSIP/")]
    assert len(answered) == 1
    member = answered[0][1].removeprefix("call answered by PJSIP/")
    v2 = _v2(store, uid)
    assert v2["answered_by"] == member
    assert member in SALES
    assert v2["ring_seconds"] == int((answered[0][0] - _start(store, uid)).total_seconds()) > 0
    assert v2["final_department"] == "Sales"


@pytest.mark.req("ANL-1")
def test_calls_v2_main_number_ends_at_the_operator_not_nowhere(store: Store) -> None:
    uid = place_call(store, "14155550199", "14153017963", NOW, behaviour=Behaviour(answers=True))  # the AA's DID
    flow = [d for _, d in _flow(store, uid)]
    assert flow[1] == "enter auto attendant:auto_attendant_default"
    assert "auto attendant transfer to extension:7101" in flow
    assert "call answered by PJSIP/7101" in flow
    v2 = _v2(store, uid)
    assert v2["department"] == ""  # the number dialled is the auto attendant's, which has none
    assert (v2["answered_by"], v2["final_department"], v2["caller_type"]) == ("7101", "Engineering", "External")
    assert v2["ring_seconds"] is not None and v2["ring_seconds"] >= 0


@pytest.mark.req("ANL-1")
def test_calls_v2_office_peer_caller(store: Store, forced: dict[str, Any]) -> None:
    forced["peer"] = "8507"
    uid = place_call(store, "14155550123", "7104", NOW, behaviour=Behaviour(answers=True))
    row = store.execute("SELECT src, direction, caller_type FROM calls WHERE uniqueid = ?", [uid]).fetchall()
    assert row == [("8507", "Incoming", "Office peer")]


@pytest.mark.req("ANL-1")
def test_calls_v2_outgoing_answered_outside_has_ring_time_but_no_extension(store: Store) -> None:
    uid = place_call(store, "7104", "14085550100", NOW, behaviour=Behaviour(answers=True))
    flow = _flow(store, uid)
    answered = next(t for t, d in flow if d == "call answered by number:14085550100")
    v2 = _v2(store, uid)
    assert (v2["caller_type"], v2["answered_by"], v2["final_department"]) == ("Internal", "", "Sales")
    assert v2["ring_seconds"] == int((answered - _start(store, uid)).total_seconds())


@pytest.mark.req("ANL-1")
def test_calls_local_time_is_the_organisations_and_history_the_owners(store: Store) -> None:
    save_display(store, "7102", "English", "English", "Default", "Europe/Paris")
    late = datetime(2026, 10, 8, 6, 30)  # 23:30 on the 7th in Los Angeles, 08:30 on the 8th in Paris
    uid = place_call(store, "7101", "7102", late, behaviour=Behaviour(answers=True))
    calls = store.execute("SELECT start, start_local, local_date FROM calls WHERE uniqueid = ?", [uid]).fetchall()
    start = calls[0][0]
    la = start.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("America/Los_Angeles")).replace(tzinfo=None)
    assert calls == [(start, la, date(2026, 10, 7))]
    history = store.execute(
        "SELECT owner, start_local, local_date, time_zone FROM call_history WHERE uniqueid = ? ORDER BY owner", [uid]
    ).fetchall()
    paris = start.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    assert history == [
        ("7101", la, date(2026, 10, 7), "America/Los_Angeles"),
        ("7102", paris, date(2026, 10, 8), "Europe/Paris"),
    ]


@pytest.mark.req("ANL-1")
def test_call_summary_written_batch_by_batch_equals_a_full_recompute(store: Store) -> None:
    place_call(store, "7101", "7102", NOW, behaviour=Behaviour(answers=True))
    total = store.execute("SELECT count(*) FROM cdr WHERE is_primary").fetchall()[0][0]
    assert store.execute("SELECT count(*), count(DISTINCT linkedid) FROM call_summary").fetchall() == [(total, total)]
    diff = store.execute(
        "SELECT count(*) FROM ((SELECT * FROM call_summary EXCEPT ALL SELECT * FROM call_summary_source) "
        "UNION ALL (SELECT * FROM call_summary_source EXCEPT ALL SELECT * FROM call_summary))"
    ).fetchall()
    assert diff == [(0,)]
