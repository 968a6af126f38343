"""Contact use cases: the three lists, personal contacts, speed dials, the block list (CT-1..CT-10)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta

import polars as pl
import pytest

from fvkit.domain.contacts import SPEED_DIAL_KEYS, Category, SortBy
from fvkit.domain.numbers import digits
from fvkit.domain.org import Privilege
from fvkit.portal import auth, block_list, call_history, contact, speed_dial
from fvkit.portal.auth import PermissionDenied, User
from fvkit.sim.live import Behaviour, place_call
from fvkit.store import Store
from fvkit.store.history import personal_names
from pipelines import contacts as contacts_csv
from tests.conftest import SEED_PASSWORD

NOW = datetime(2026, 10, 6, 17, 30)
BARE_CALLER = "16135550142"  # an outside caller as a CDR records it


@pytest.fixture
def db(seeded_store: Store) -> Store:
    return seeded_store


@pytest.fixture
def user_of(db: Store) -> Callable[[str], User]:
    """Sign an extension of the seeded organisation in (7101: Premium, every privilege)."""

    def sign(number: str) -> User:
        return auth.sign_in(db, number, SEED_PASSWORD, NOW)

    return sign


@pytest.fixture
def me(user_of: Callable[[str], User]) -> User:
    return user_of("7101")


def _names(frame: pl.DataFrame) -> list[str]:
    return frame["Display Name"].to_list()


def _disposition(db: Store, uniqueid: str, owner: str) -> tuple[str, list[str]]:
    row = db.execute(
        "SELECT disposition, linkedid FROM call_history WHERE uniqueid = ? AND owner = ?", [uniqueid, owner]
    ).fetchone()
    flow = [
        r[0]
        for r in db.execute("SELECT description FROM call_flow WHERE linkedid = ? ORDER BY seq", [row[1]]).fetchall()
    ]
    return row[0], flow


# --- CT-1 the three lists ------------------------------------------------------------------------


@pytest.mark.req("CT-1")
@pytest.mark.req("AUTH-5")
def test_personal_list_holds_exactly_the_users_own_contacts(db: Store, me: User) -> None:
    own = db.execute("SELECT display_name FROM contact WHERE owner = '7101'").fetchall()
    shown = contact.personal_list(db, me)
    assert sorted(_names(shown)) == sorted(r[0] for r in own)
    assert shown.columns == ["id", *contact.PERSONAL_LABELS.values()]


@pytest.mark.req("CT-1")
def test_business_contacts_and_directory_show_the_administrators_lists(db: Store, me: User) -> None:
    business = contact.business_list(db, me)
    assert business.columns == list(contact.BUSINESS_LABELS.values())
    assert business.height == db.execute("SELECT count(*) FROM business_contact").fetchone()[0]
    directory = contact.directory_list(db, me)
    assert directory.columns == ["Extension Number", "Display Name", "Location", "Type"]
    first = db.execute(
        "SELECT number, display_name, location, ext_type FROM extension ORDER BY number LIMIT 1"
    ).fetchone()
    assert directory.row(0) == first
    assert directory.height == db.execute("SELECT count(*) FROM extension").fetchone()[0]
    assert {"User", "Group", "Fax"} <= set(directory["Type"])


@pytest.mark.req("CT-1")
@pytest.mark.req("AUTH-4")
def test_a_basic_user_has_no_contact_lists(db: Store, user_of: Callable[[str], User]) -> None:
    db.execute("UPDATE extension SET access_level = 'Basic' WHERE number = '7105'")
    basic = user_of("7105")
    before = db.execute("SELECT count(*) FROM contact WHERE owner = '7105'").fetchone()
    for use in (
        lambda: contact.personal_list(db, basic),
        lambda: contact.business_list(db, basic),
        lambda: contact.directory_list(db, basic),
        lambda: contact.add_contact(db, basic, "Ada", "4085550100"),
        lambda: speed_dial.speed_dials(db, basic),
        lambda: call_history.dial(db, basic, "7101", NOW),
    ):
        with pytest.raises(PermissionDenied):
            use()
    assert db.execute("SELECT count(*) FROM contact WHERE owner = '7105'").fetchone() == before


# --- CT-2 sort and category ----------------------------------------------------------------------


@pytest.mark.req("CT-2")
def test_sort_by_display_name_ignores_case_and_by_main_number_puts_extensions_first(db: Store, me: User) -> None:
    contact.add_contact(db, me, "aaron lower", "+44 20 7946 0018")
    contact.add_contact(db, me, "Zoe Desk", "7102")
    by_name = _names(contact.personal_list(db, me, sort_by=SortBy.DISPLAY_NAME))
    assert by_name == sorted(by_name, key=str.casefold)
    assert by_name[0] == "aaron lower"
    by_number = contact.personal_list(db, me, sort_by="Main number")
    keys = [(len(digits(n)), digits(n)) for n in by_number["Main Number"]]
    assert keys == sorted(keys)
    assert by_number["Display Name"][0] == "Zoe Desk"


@pytest.mark.req("CT-2")
def test_categories_show_favorites_or_speed_dials_only(db: Store, me: User) -> None:
    ids = list(contact.personal_list(db, me)["id"])
    first = contact.add_contact(db, me, "Favorite Fay", "4085550111", favorite=True)
    speed_dial.add_speed_dial(db, me, ids[0], 5)
    assert _names(contact.personal_list(db, me, category=Category.FAVORITE)) == ["Favorite Fay"]
    speed = contact.personal_list(db, me, category="Speed Dial")
    assert list(speed["id"]) == [ids[0]]
    assert list(speed["Speed Dial"]) == ["5"]
    assert len(contact.personal_list(db, me, category=Category.ALL)) == len(ids) + 1
    assert first in list(contact.personal_list(db, me)["id"])
    with pytest.raises(contact.BadContact, match="Unknown sort or category"):
        contact.personal_list(db, me, category="Enemies")


# --- CT-3 call ------------------------------------------------------------------------------------


@pytest.mark.req("CT-3")
def test_calling_a_contacts_number_places_the_call_from_the_users_extension(db: Store, me: User) -> None:
    new = contact.add_contact(db, me, "Colleague", "7102")
    number = contact.get_contact(db, me, new).main_number
    uid = call_history.dial(db, me, number, NOW, behaviour=Behaviour(answers=True, talk_seconds=12))
    row = db.execute("SELECT src, dst, direction, disposition FROM calls WHERE uniqueid = ?", [uid]).fetchone()
    assert row == ("7101", "7102", "Internal", "Answered")
    outside = db.execute("SELECT main_number FROM contact WHERE owner = '7101' ORDER BY id LIMIT 1").fetchone()[0]
    uid = call_history.dial(db, me, outside, NOW + timedelta(minutes=1), behaviour=Behaviour(answers=True))
    row = db.execute("SELECT src, dst, direction FROM calls WHERE uniqueid = ?", [uid]).fetchone()
    assert row == ("7101", digits(outside), "Outgoing")


# --- CT-4 add, CH-9 add from the call history -------------------------------------------------------


@pytest.mark.req("CT-4")
def test_add_contact_stores_every_field_with_numbers_normalised(db: Store, me: User) -> None:
    new = contact.add_contact(
        db,
        me,
        "  Ada Lovelace ",
        "(408) 555-0100",
        mobile_number="+44 7911 123456",
        home_number="7102",
        email="ada@example.com",
        description="Met at PyCon",
    )
    assert contact.get_contact(db, me, new) == contact.Contact(
        new, "Ada Lovelace", "+14085550100", "+447911123456", "7102", "ada@example.com", "Met at PyCon", False
    )
    assert "Ada Lovelace" in _names(contact.personal_list(db, me))


@pytest.mark.req("CT-4")
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"display_name": "No Number", "main_number": "  "}, "Main Number is mandatory"),
        ({"display_name": "Bad", "main_number": "call me maybe"}, "Main Number: 'call me maybe' is not a phone number"),
        (
            {"display_name": "Bad", "main_number": "4085550100", "mobile_number": "555-CALL"},
            "Mobile Number: '555-CALL'",
        ),
        ({"display_name": "Bad", "main_number": "4085550100", "email": "ada(at)example"}, "Email: 'ada(at)example'"),
        ({"display_name": "x" * 1025, "main_number": "4085550100"}, "Display Name: at most 1,024 characters"),
        ({"display_name": "Line\nbreak", "main_number": "4085550100"}, "Display Name contains control characters"),
        ({"display_name": "Long", "main_number": "4" * 41}, "Main Number: at most 40 characters"),
        ({"display_name": "Bad", "main_number": "4085550100", "region": "Atlantis"}, "Unknown region"),
    ],
)
def test_add_contact_refuses_bad_input_and_saves_nothing(
    db: Store, me: User, fields: dict[str, str], message: str
) -> None:
    before = contact.contact_count(db, me)
    with pytest.raises(contact.BadContact, match=re.escape(message)):
        contact.add_contact(db, me, **fields)  # type: ignore[arg-type]
    assert contact.contact_count(db, me) == before


@pytest.mark.req("CT-4")
def test_add_contact_names_every_problem_at_once(db: Store, me: User) -> None:
    with pytest.raises(contact.BadContact) as err:
        contact.add_contact(db, me, "Two Problems", "", email="nope")
    assert str(err.value) == "Main Number is mandatory. Email: 'nope' is not an email address."


@pytest.mark.req("CT-4")
@pytest.mark.req("CH-9")
def test_add_contact_refuses_a_duplicate_display_name_or_an_unnamed_duplicate(db: Store, me: User) -> None:
    contact.add_contact(db, me, "Grace Hopper", "4085550100")
    with pytest.raises(contact.DuplicateEntry, match="already have a contact named 'Grace Hopper'"):
        contact.add_contact(db, me, "grace hopper", "4085550199")
    contact.add_contact(db, me, "", "4085550123")
    with pytest.raises(contact.DuplicateEntry, match="without a name for"):
        contact.add_contact(db, me, "", "+1 408 555 0123")
    # the same number under another name is allowed: colleagues share an office line
    contact.add_contact(db, me, "Office Line", "4085550100")


@pytest.mark.req("CH-9")
@pytest.mark.req("CH-2")
def test_add_contact_from_a_callers_bare_cdr_digits_then_history_shows_the_name(db: Store, me: User) -> None:
    src = db.execute(
        "SELECT src FROM call_history WHERE owner = '7101' AND direction = 'Incoming' AND length(src) = 11 LIMIT 1"
    ).fetchone()[0]
    new = contact.add_contact(db, me, "Caller From History", src)
    assert contact.get_contact(db, me, new).main_number == "+" + src
    assert personal_names(db, "7101", [src]) == {src: "Caller From History"}
    # a bare international number (country code first, no "+") is read as a CDR writes it
    uk = contact.add_contact(db, me, "London Caller", "442079460018")
    assert contact.get_contact(db, me, uk).main_number == "+442079460018"


# --- CT-5 edit and delete -----------------------------------------------------------------------------


@pytest.mark.req("CT-5")
def test_edit_contact_saves_the_changes_and_its_speed_dial_follows_the_number(db: Store, me: User) -> None:
    new = contact.add_contact(db, me, "Alan Turing", "4085550100", mobile_number="4085550101")
    speed_dial.add_speed_dial(db, me, new, 7)
    speed_dial.add_speed_dial(db, me, new, 8, "+14085550101")
    saved = contact.edit_contact(db, me, new, "Alan M. Turing", "4085550177", email="alan@example.org")
    assert saved == contact.Contact(new, "Alan M. Turing", "+14085550177", "", "", "alan@example.org", "", False)
    dials = {d.keypad: d.number for d in speed_dial.speed_dials(db, me) if d.contact_id == new}
    assert dials == {7: "+14085550177"}  # the mobile number is gone, and its key with it


@pytest.mark.req("CT-5")
def test_edit_contact_refuses_bad_input_or_a_taken_name_and_changes_nothing(db: Store, me: User) -> None:
    taken = contact.add_contact(db, me, "Taken Name", "4085550100")
    new = contact.add_contact(db, me, "Mine", "4085550111")
    before = contact.get_contact(db, me, new)
    with pytest.raises(contact.BadContact, match="Main Number is mandatory"):
        contact.edit_contact(db, me, new, "Mine", "")
    with pytest.raises(contact.DuplicateEntry, match="'Taken Name'"):
        contact.edit_contact(db, me, new, "TAKEN NAME", "4085550111")
    assert contact.get_contact(db, me, new) == before
    # keeping its own name is not a duplicate
    assert contact.edit_contact(db, me, taken, "Taken Name", "4085550122").main_number == "+14085550122"


@pytest.mark.req("CT-5")
@pytest.mark.req("CT-9")
def test_delete_contacts_removes_them_and_their_speed_dials(db: Store, me: User) -> None:
    a = contact.add_contact(db, me, "Delete A", "4085550100")
    b = contact.add_contact(db, me, "Delete B", "4085550101")
    speed_dial.add_speed_dial(db, me, a, 9)
    before = contact.contact_count(db, me)
    assert contact.delete_contacts(db, me, [a, b, a]) == 2
    assert contact.contact_count(db, me) == before - 2
    assert 9 in speed_dial.free_keys(db, me)
    with pytest.raises(PermissionDenied):
        contact.get_contact(db, me, a)


# --- AUTH-5 two users ---------------------------------------------------------------------------------


@pytest.mark.req("AUTH-5")
@pytest.mark.req("CT-5")
@pytest.mark.req("CT-10")
def test_a_user_can_neither_see_nor_change_another_users_contacts_or_block_list(
    db: Store, me: User, user_of: Callable[[str], User]
) -> None:
    other = user_of("7102")
    theirs = list(contact.personal_list(db, other)["id"])
    mine = list(contact.personal_list(db, me)["id"])
    assert theirs
    assert not set(theirs) & set(mine)
    snapshot = db.execute("SELECT * FROM contact WHERE owner = '7102' ORDER BY id").fetchall()
    attempts: list[Callable[[], object]] = [
        lambda: contact.get_contact(db, me, theirs[0]),
        lambda: contact.edit_contact(db, me, theirs[0], "Hijacked", "4085550100"),
        lambda: contact.delete_contacts(db, me, [mine[0], theirs[0]]),
        lambda: contact.toggle_favorite(db, me, [theirs[0]]),
        lambda: speed_dial.add_speed_dial(db, me, theirs[0], 9),
        lambda: block_list.block_contact(db, me, theirs[0]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert db.execute("SELECT * FROM contact WHERE owner = '7102' ORDER BY id").fetchall() == snapshot
    assert contact.get_contact(db, me, mine[0])  # the all-or-nothing delete kept my own contact too

    their_blocks = list(block_list.entries(db, other)["id"])
    assert their_blocks
    assert not set(their_blocks) & set(block_list.entries(db, me)["id"])
    with pytest.raises(PermissionDenied):
        block_list.unblock(db, me, their_blocks)
    assert list(block_list.entries(db, other)["id"]) == their_blocks


# --- CT-6 import, CT-7 export ------------------------------------------------------------------------


@pytest.mark.req("CT-6")
def test_import_with_the_dialogs_mapping_reports_n_of_m_and_replaces_the_list(db: Store, me: User) -> None:
    data = b"Who,Office,Cell,Notes\nAda,408 555 0100,,first\nNo Number,,,skipped\nBob,7102,650 555 0101,\n"
    preview = contacts_csv.import_preview(data)
    assert preview.columns == ["1: Who", "2: Office", "3: Cell", "4: Notes"]
    report = contacts_csv.import_contacts(
        db, me, data, mapping={"Display name": 1, "Main number": 2, "Mobile number": 3, "Description": 4}
    )
    assert report.message == "2 of 3 imported"
    assert [str(s) for s in report.skipped] == ["line 3: no main number"]
    shown = contact.personal_list(db, me)
    assert _names(shown) == ["Ada", "Bob"]
    assert list(shown["Mobile Number"]) == ["", "+16505550101"]


@pytest.mark.req("CT-6")
def test_import_preview_prefills_the_mapping_from_the_first_line(db: Store) -> None:
    preview = contacts_csv.import_preview(b"Name,Phone,Mobile,Email\nAda,4085550100,,ada@example.com\n")
    assert preview.rows == 1
    assert preview.suggested == {
        contacts_csv.Field.MAIN: 2,
        contacts_csv.Field.NAME: 1,
        contacts_csv.Field.MOBILE: 3,
        contacts_csv.Field.HOME: None,
        contacts_csv.Field.EMAIL: 4,
        contacts_csv.Field.DESCRIPTION: None,
    }
    google = contacts_csv.import_preview(
        b"First Name,Last Name,Phone 1 - Label,Phone 1 - Value\nAda,Lovelace,Mobile,+1 408 555 0101\n"
    )
    assert google.layout == "Google Contacts"
    assert google.derived[contacts_csv.Field.NAME] == "1: First Name + 2: Last Name"
    assert google.derived[contacts_csv.Field.MAIN] == "the phone columns, by their labels"


@pytest.mark.req("CT-7")
@pytest.mark.req("CT-4")
def test_export_holds_a_contact_added_in_the_portal(db: Store, me: User) -> None:
    contact.add_contact(db, me, "Exported Ed", "4085550100", email="ed@example.com")
    rows = list(csv.reader(io.StringIO(contacts_csv.export_contacts(db, me).decode("utf-8-sig"))))
    assert rows[0] == list(contacts_csv.EXPORT_HEADER)
    assert ["Exported Ed", "+14085550100", "", "", "ed@example.com", "", "No"] in rows
    assert len(rows) == 1 + contact.contact_count(db, me)


# --- CT-8 favorite ------------------------------------------------------------------------------------


@pytest.mark.req("CT-8")
def test_the_star_turns_favorites_on_and_off(db: Store, me: User) -> None:
    a = contact.add_contact(db, me, "Star A", "4085550100", favorite=True)
    b = contact.add_contact(db, me, "Star B", "4085550101")
    assert contact.toggle_favorite(db, me, [a, b]) is True  # mixed: all on
    assert set(_names(contact.personal_list(db, me, category=Category.FAVORITE))) >= {"Star A", "Star B"}
    assert contact.toggle_favorite(db, me, [a, b]) is False  # all on: all off
    assert not {"Star A", "Star B"} & set(_names(contact.personal_list(db, me, category=Category.FAVORITE)))
    shown = contact.personal_list(db, me)
    assert shown.filter(shown["id"] == a)["★"].to_list() == [""]
    contact.toggle_favorite(db, me, [a])
    shown = contact.personal_list(db, me)
    assert shown.filter(shown["id"] == a)["★"].to_list() == ["★"]
    with pytest.raises(contact.BadContact, match="Select a contact"):
        contact.toggle_favorite(db, me, [])


# --- CT-9 speed dial ----------------------------------------------------------------------------------


@pytest.mark.req("CT-9")
def test_speed_dial_puts_one_number_on_a_key_and_refuses_a_taken_key(db: Store, me: User) -> None:
    a = contact.add_contact(db, me, "Key Holder", "4085550100", mobile_number="4085550101")
    b = contact.add_contact(db, me, "Latecomer", "4085550199")
    dial = speed_dial.add_speed_dial(db, me, a, 2)
    assert dial == speed_dial.SpeedDial(2, "+14085550100", a, "Key Holder")
    assert dial.label == "2 - Key Holder (+14085550100)"
    with pytest.raises(contact.DuplicateEntry, match=r"Key 2 is already used by Key Holder \(\+14085550100\)"):
        speed_dial.add_speed_dial(db, me, b, 2)
    with pytest.raises(contact.DuplicateEntry, match="already on key 2"):
        speed_dial.add_speed_dial(db, me, a, 3)
    assert speed_dial.add_speed_dial(db, me, a, 3, "+14085550101").number == "+14085550101"
    assert 2 not in speed_dial.free_keys(db, me)
    speed = contact.personal_list(db, me, category=Category.SPEED_DIAL)
    assert speed.filter(pl.col("id") == a)["Speed Dial"].to_list() == ["2, 3"]


@pytest.mark.req("CT-9")
@pytest.mark.parametrize("keypad", [0, 10, -1])
def test_speed_dial_keys_are_1_to_9(db: Store, me: User, keypad: int) -> None:
    a = contact.add_contact(db, me, "Any Key", "4085550100")
    assert SPEED_DIAL_KEYS == (1, 2, 3, 4, 5, 6, 7, 8, 9)
    with pytest.raises(contact.BadContact, match="from 1 to 9"):
        speed_dial.add_speed_dial(db, me, a, keypad)


@pytest.mark.req("CT-9")
def test_speed_dial_takes_only_the_contacts_own_numbers_and_removes(db: Store, me: User) -> None:
    a = contact.add_contact(db, me, "Own Numbers", "4085550100")
    with pytest.raises(contact.BadContact, match="is not a number of Own Numbers"):
        speed_dial.add_speed_dial(db, me, a, 6, "+19005550100")
    speed_dial.add_speed_dial(db, me, a, 6)
    speed_dial.remove_speed_dial(db, me, 6)
    assert 6 in speed_dial.free_keys(db, me)
    assert a not in list(contact.personal_list(db, me, category=Category.SPEED_DIAL)["id"])
    with pytest.raises(contact.BadContact, match="Key 6 holds no speed dial"):
        speed_dial.remove_speed_dial(db, me, 6)


# --- CT-10 block list, CH-10 block from the call history -----------------------------------------


@pytest.mark.req("CT-10")
@pytest.mark.req("HD-9")
def test_a_number_blocked_in_the_portal_is_denied_on_its_next_call_and_rings_again_once_removed(
    db: Store, me: User
) -> None:
    entry = block_list.block_number(db, me, "+1 (613) 555-0142", "Spam", "robocalls")
    shown = block_list.entries(db, me)
    assert shown.filter(shown["id"] == entry).row(0) == (entry, "+16135550142", "Spam", "robocalls")
    assert block_list.is_blocked(db, me, BARE_CALLER)
    uid = place_call(db, BARE_CALLER, "7101", NOW)
    disposition, flow = _disposition(db, uid, "7101")
    assert disposition == "Denied"
    assert f"caller number:{BARE_CALLER} found in personal block list of user:<7101>" in flow

    assert block_list.unblock(db, me, [entry]) == 1
    assert not block_list.is_blocked(db, me, BARE_CALLER)
    uid = place_call(db, BARE_CALLER, "7101", NOW + timedelta(minutes=5), behaviour=Behaviour(answers=True))
    disposition, flow = _disposition(db, uid, "7101")
    assert disposition != "Denied"
    assert not [line for line in flow if "block list" in line]


@pytest.mark.req("CH-10")
@pytest.mark.req("HD-9")
def test_blocking_a_caller_from_the_call_history_denies_their_next_call(db: Store, me: User) -> None:
    caller = db.execute(
        "SELECT src FROM call_history WHERE owner = '7101' AND direction = 'Incoming' AND disposition <> 'Denied' "
        "AND length(src) = 11 LIMIT 1"
    ).fetchone()[0]
    block_list.block_number(db, me, caller, description="from Call History")
    with pytest.raises(contact.DuplicateEntry, match="already on your block list"):
        block_list.block_number(db, me, "+" + caller)
    uid = place_call(db, caller, "7101", NOW)
    assert _disposition(db, uid, "7101")[0] == "Denied"


@pytest.mark.req("CT-10")
def test_blocking_a_contacts_number_takes_its_name_and_an_optional_description(db: Store, me: User) -> None:
    a = contact.add_contact(db, me, "Pushy Salesman", "4085550100", mobile_number="4085550101")
    entry = block_list.block_contact(db, me, a, "+14085550101", "calls at dinner")
    shown = block_list.entries(db, me)
    assert shown.filter(shown["id"] == entry).row(0) == (entry, "+14085550101", "Pushy Salesman", "calls at dinner")
    with pytest.raises(contact.BadContact, match="is not a number of Pushy Salesman"):
        block_list.block_contact(db, me, a, "+14085550199")
    uid = place_call(db, "14085550101", "7101", NOW)
    assert _disposition(db, uid, "7101")[0] == "Denied"


@pytest.mark.req("CT-10")
@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "Number is mandatory"),
        ("not a number", "is not a phone number"),
        ("7101", "cannot block your own extension"),
    ],
)
def test_block_number_refuses_bad_input_and_saves_nothing(db: Store, me: User, number: str, message: str) -> None:
    before = block_list.entries(db, me).height
    with pytest.raises(contact.BadContact, match=message):
        block_list.block_number(db, me, number)
    assert block_list.entries(db, me).height == before


@pytest.mark.req("CT-10")
@pytest.mark.req("CH-10")
@pytest.mark.req("AUTH-4")
def test_the_block_list_needs_the_block_list_privilege(db: Store, user_of: Callable[[str], User]) -> None:
    without = user_of("7103")  # Premium, but the administrator did not enable the block list
    assert not without.extension.can(Privilege.BLOCK_LIST)
    for use in (
        lambda: block_list.entries(db, without),
        lambda: block_list.block_number(db, without, "4085550100"),
        lambda: block_list.unblock(db, without, []),
    ):
        with pytest.raises(PermissionDenied, match="Block list privilege"):
            use()
    assert db.execute("SELECT count(*) FROM block_entry WHERE owner = '7103'").fetchone() == (0,)
