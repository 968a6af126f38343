"""Call History use cases (CH-1..6): what the list shows, for whom, filtered and searched."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from fvkit.domain.calls import Disposition
from fvkit.portal import call_history as ch
from fvkit.portal import preferences
from fvkit.portal.auth import PermissionDenied, User, acting_as
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import Store
from pipelines.call_records import download_all, read_call_records

NOW = datetime(2026, 10, 6, 17, 30)


def _user(store: Store, number: str = "7101") -> User:
    return acting_as(store, number)


def _all_rows(store: Store, user: User, q: object) -> pl.DataFrame:
    assert isinstance(q, ch.HistoryQuery)
    page = ch.list_page(store, user, q, 1, size=10_000)
    return page.rows


@pytest.mark.req("CH-1")
def test_list_page_shows_the_guides_columns_newest_first_with_the_pager(seeded_store: Store) -> None:
    user = _user(seeded_store)
    page = ch.list_page(seeded_store, user, ch.query(user), 1, size=5)
    assert page.rows.columns == ["uniqueid", *ch.LIST_LABELS.values()]
    total = seeded_store.execute("SELECT count(*) FROM call_history WHERE owner = '7101'").fetchone()[0]
    assert page.total == total > 5
    assert page.label == f"1-5 of {total}"
    assert ch.list_page(seeded_store, user, ch.query(user), 2, size=5).label == f"6-10 of {total}"
    starts = page.rows["Start"].to_list()
    assert starts == sorted(starts, reverse=True)
    assert all(len(d) == 8 and d[2] == ":" for d in page.rows["Duration"])  # HH:MM:SS
    last = ch.list_page(seeded_store, user, ch.query(user), 10_000, size=5)  # past the end: the last page
    assert last.last == total and last.label.endswith(f"of {total}")


@pytest.mark.req("CH-1")
@pytest.mark.req("PREF-5")
def test_start_times_follow_the_users_time_zone(seeded_store: Store) -> None:
    user = _user(seeded_store)
    la = ch.list_page(seeded_store, user, ch.query(user), 1).rows["Start"][0]
    seeded_store.execute("UPDATE preference SET time_zone = 'Asia/Tokyo' WHERE owner = '7101'")
    tokyo = ch.list_page(seeded_store, _user(seeded_store), ch.query(user), 1).rows["Start"][0]
    shift = datetime.fromisoformat(tokyo) - datetime.fromisoformat(la)
    assert shift.total_seconds() / 3600 in (16, 17)  # Tokyo is 16 or 17 hours ahead of Los Angeles


@pytest.mark.req("CH-6")
@pytest.mark.parametrize(
    ("view", "placed", "taken"), [("Placed", True, None), ("Received", False, True), ("Missed", False, False)]
)
def test_the_all_missed_received_placed_filter(
    seeded_store: Store, view: str, placed: bool, taken: bool | None
) -> None:
    # the seeded day need not hold a call 7101 missed: add one (nobody answers, no message)
    missed = Behaviour(answers=False, leaves_message=False)
    place_call(seeded_store, "7102", "7101", datetime(2026, 10, 5, 20), behaviour=missed)
    user = _user(seeded_store)
    rows = _all_rows(seeded_store, user, ch.query(user, view=view))
    assert rows.height > 0
    ids = rows["uniqueid"].to_list()
    got = seeded_store.execute(
        "SELECT placed, disposition FROM call_history WHERE owner = '7101' AND uniqueid IN (SELECT unnest(?))", [ids]
    ).fetchall()
    assert {p for p, _ in got} == {placed}
    person_took = {d in ("Answered", "Transferred - Blind", "Transferred - Attended") for _, d in got}
    if taken is not None:
        assert person_took == {taken}


@pytest.mark.req("CH-6")
def test_direction_and_disposition_filters_hold_for_every_row(seeded_store: Store) -> None:
    user = _user(seeded_store)
    rows = _all_rows(seeded_store, user, ch.query(user, direction="Incoming", disposition="Answered"))
    assert rows.height > 0
    assert set(rows["Direction"]) == {"Incoming"} and set(rows["Disposition"]) == {"Answered"}
    everything = _all_rows(seeded_store, user, ch.query(user, direction=ch.ANY, disposition=ch.ANY))
    assert everything.height > rows.height


@pytest.mark.req("CH-5")
def test_search_finds_by_name_or_number_and_quotes_are_harmless(seeded_store: Store) -> None:
    user = _user(seeded_store)
    name = seeded_store.execute(
        "SELECT from_name FROM call_history WHERE owner = '7101' AND from_name <> '' AND NOT placed LIMIT 1"
    ).fetchone()[0]
    found = _all_rows(seeded_store, user, ch.query(user, search=name.split()[0].lower()))
    assert found.height > 0 and all(name.split()[0].lower() in " ".join(r).lower() for r in found.rows())
    by_to_only = _all_rows(seeded_store, user, ch.query(user, search=name, fields=("To (Name)",)))
    assert name not in by_to_only["From (Name)"].to_list() or by_to_only.height == 0
    # % _ and \\ are taken literally: a name with an underscore may match "_", nothing has "%"
    for hostile in ("'\"%_;--", "%", "100%", "\\", "' OR 1=1 --"):
        assert _all_rows(seeded_store, user, ch.query(user, search=hostile)).height == 0
    assert seeded_store.execute("SELECT count(*) FROM cdr").fetchone()[0] > 0


@pytest.mark.req("CH-5")
def test_bad_searches_are_refused_with_a_reason(seeded_store: Store) -> None:
    user = _user(seeded_store)
    with pytest.raises(ch.BadSearch, match="at most 200"):
        ch.query(user, search="x" * 201)
    with pytest.raises(ch.BadSearch, match="control characters"):
        ch.query(user, search="a\x00b")
    with pytest.raises(ch.BadSearch, match="Unknown filter"):
        ch.query(user, direction="Sideways")
    with pytest.raises(ch.BadSearch, match="ends before"):
        ch.query(user, since=NOW, until=NOW)


@pytest.mark.req("CH-5")
def test_a_time_range_limits_the_list(seeded_store: Store) -> None:
    user = _user(seeded_store)
    first = seeded_store.execute("SELECT min(start) FROM call_history WHERE owner = '7101'").fetchone()[0]
    early = _all_rows(seeded_store, user, ch.query(user, until=first.replace(second=first.second + 1)))
    assert early.height >= 1
    assert early.height < _all_rows(seeded_store, user, ch.query(user)).height


@pytest.mark.req("CH-2")
def test_match_personal_contact_shows_the_contacts_name_in_list_and_download(seeded_store: Store) -> None:
    user = _user(seeded_store)
    uid = ch.dial(seeded_store, _user(seeded_store, "7102"), "7101", NOW, Behaviour(answers=True))
    caller = seeded_store.execute("SELECT src FROM calls WHERE uniqueid = ?", [uid]).fetchone()[0]
    seeded_store.execute(
        "INSERT INTO contact (id, owner, display_name, main_number) VALUES (99001, '7101', 'Best Colleague', ?)",
        [caller],
    )
    rows = ch.list_page(seeded_store, user, ch.query(user), 1).rows
    assert rows.filter(pl.col("uniqueid") == uid)["From (Name)"].to_list() == ["Best Colleague"]
    csv = read_call_records(download_all(seeded_store, user, ch.query(user)))
    assert csv.filter(pl.col("Unique ID") == uid)["From (Name)"].to_list() == ["Best Colleague"]
    # without the privilege the stored caller ID shows
    plain = User(user.extension.__class__(**{**_fields(user), "privileges": frozenset()}), user.time_zone)
    rows = ch.list_page(seeded_store, plain, ch.query(plain), 1).rows
    assert rows.filter(pl.col("uniqueid") == uid)["From (Name)"].to_list() != ["Best Colleague"]


def _fields(user: User) -> dict[str, object]:
    ext = user.extension
    return {name: getattr(ext, name) for name in ext.__slots__}  # type: ignore[attr-defined]


@pytest.mark.req("CH-4")
def test_details_show_the_three_sections_in_the_guides_wording(seeded_store: Store) -> None:
    user = _user(seeded_store)
    uid = ch.dial(seeded_store, user, "7102", NOW, Behaviour(answers=False, leaves_message=False))
    d = ch.details(seeded_store, user, uid)
    assert list(d.information) == ["From", "To", "Start", "Real duration", "Disposition"]
    assert d.information["Disposition"] == Disposition.NO_ANSWER
    assert d.information["Real duration"].endswith("seconds)")
    assert list(d.detail) == [
        "Answer",
        "End",
        "Source",
        "Dialed number/DNIS",
        "Destination",
        "Trunk",
        "Bill duration",
        "Direction",
        "Department",
        "Unique ID",
        "Call type",
        "Account code",
    ]
    assert d.detail["Unique ID"] == uid and d.detail["Bill duration"] == "00:00:00 (0 seconds)"
    assert d.flow.columns == ["Time", "Description"]
    assert d.flow["Description"][0] == "dial local number:7102, device:PJSIP/7102"
    assert d.flow["Description"][-1] == "no message left to voicemail account 7102@system <7102>"


@pytest.mark.req("AUTH-5")
@pytest.mark.req("CH-4")
def test_a_user_cannot_open_another_users_call(seeded_store: Store) -> None:
    uid = ch.dial(seeded_store, _user(seeded_store, "7101"), "14085550100", NOW)
    other = _user(seeded_store, "7102")
    with pytest.raises(PermissionDenied):
        ch.details(seeded_store, other, uid)
    with pytest.raises(PermissionDenied):
        ch.list_page(seeded_store, other, ch.query(_user(seeded_store, "7101")), 1)
    assert uid not in _all_rows(seeded_store, other, ch.query(other))["uniqueid"].to_list()


@pytest.mark.req("CH-3")
def test_call_back_dials_the_other_party_and_the_call_shows_at_once(seeded_store: Store) -> None:
    user = _user(seeded_store)
    received = seeded_store.execute(
        "SELECT uniqueid, src FROM call_history WHERE owner = '7101' AND NOT placed AND direction = 'Incoming' LIMIT 1"
    ).fetchone()
    number = ch.other_party(seeded_store, user, received[0])
    assert number == received[1]
    new = ch.dial(seeded_store, user, number, NOW)
    top = ch.list_page(seeded_store, user, ch.query(user, view="Placed"), 1).rows
    assert top["uniqueid"][0] == new and top["To"][0] == number


@pytest.mark.req("CH-3")
@pytest.mark.req("AUTH-4")
def test_basic_users_cannot_click_to_dial(seeded_store: Store) -> None:
    seeded_store.execute("UPDATE extension SET access_level = 'Basic' WHERE number = '7103'")
    before = seeded_store.execute("SELECT count(*) FROM cdr").fetchone()
    with pytest.raises(PermissionDenied, match="Standard or Premium"):
        ch.dial(seeded_store, _user(seeded_store, "7103"), "7101", NOW)
    assert seeded_store.execute("SELECT count(*) FROM cdr").fetchone() == before


@pytest.mark.req("CH-3")
@pytest.mark.req("PREF-9")
@pytest.mark.req("NOTIF-1")
def test_a_click_to_dial_that_ends_in_voicemail_emails_the_callee(seeded_store: Store, private_outbox: Path) -> None:
    callee = _user(seeded_store, "7102")
    preferences.save_notifications(seeded_store, callee, "Simple", True, "callee@example.com")
    ch.dial(seeded_store, _user(seeded_store), "7102", NOW, behaviour=Behaviour(answers=False, leaves_message=True))
    sent = {
        str(m["Subject"]): m
        for m in (
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in private_outbox.glob("*.eml")
        )
    }
    caller = _user(seeded_store).extension.display_name
    assert set(sent) == {f"New voicemail from {caller}", f"Missed call from {caller}"}
    assert all(str(m["To"]) == "callee@example.com" for m in sent.values())
