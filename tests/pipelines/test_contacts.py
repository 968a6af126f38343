"""Contacts CSV import and export (CT-6, CT-7, PIPE-1) and bad input that must change nothing (PIPE-4)."""

from __future__ import annotations

import codecs
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from fvkit.portal.auth import PermissionDenied, User, acting_as
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from fvkit.store.contacts import list_contacts
from pipelines.contacts import ImportRefused, export_contacts, import_contacts
from pipelines.contacts_csv import MAX_IMPORT_BYTES, read_csv, suggest_mapping

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
HEADER = "Display name,Main number,Mobile number,Home number,Email,Description,Favorite"


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a small simulated organisation once; tests work on copies."""
    path = tmp_path_factory.mktemp("contacts") / "seed.duckdb"
    store = Store(path)
    simulate(store, datetime(2026, 10, 5, 7), seed=1, extensions=12, password="password1", options=Options(days=1))
    store.close()
    return path


@pytest.fixture
def db_file(seeded_db: Path, tmp_path: Path) -> Path:
    """Return a fresh copy of the seeded database file."""
    path = tmp_path / "fvkit.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


@pytest.fixture
def store(db_file: Path) -> Iterator[Store]:
    db = Store(db_file)
    yield db
    db.close()


@pytest.fixture
def user(store: Store) -> User:
    """Return the Premium user 7101, who may use Contact."""
    return acting_as(store, "7101")


def _people(store: Store, user: User) -> list[dict[str, Any]]:
    """Return the user's contacts without their ids, in list order."""
    return [{k: v for k, v in r.items() if k != "id"} for r in list_contacts(store, user.number).to_pylist()]


def _by_name(store: Store, user: User) -> dict[str, dict[str, Any]]:
    return {r["display_name"]: r for r in _people(store, user)}


def _contact(name: str, main: str, **more: Any) -> dict[str, Any]:
    row = {"display_name": name, "main_number": main, "mobile_number": "", "home_number": ""}
    row |= {"email": "", "description": "", "favorite": False}
    return row | more


# ---- layouts people bring (CT-6) -------------------------------------------------------------


LAYOUTS = {
    "google_contacts.csv": (
        "Google Contacts",
        "4 of 5 imported",
        ["line 6: no main number"],  # line 2's address spans two lines
        [
            _contact(
                "Ada Lovelace",
                "+14085550102",
                mobile_number="+14085550101",
                home_number="+14085550103",
                email="ada.lovelace@example.com",
                description='Met at "PyCon", 2024',
            ),
            _contact("Grace Brewster Hopper", "+16505550111"),  # mobile only: it becomes the main number
            _contact("Acme Plumbing", "+12125550121", email="office@acme-plumbing.example"),  # fax last
            _contact("Zoë Ångström", "+442079460958"),
        ],
    ),
    "google_legacy.csv": (
        "Google Contacts (legacy)",
        "3 of 3 imported",
        [],
        [
            _contact("Katherine Johnson", "+17575550132", mobile_number="+17575550131", email="kjohnson@example.net"),
            _contact("Dorothy Vaughan", "+17575550141", description="Prefers calls\nafter 6 pm"),
            _contact("Mary Jackson", "7105"),
        ],
    ),
    "outlook.csv": (  # Windows-1252, every field quoted, as Outlook writes it
        "Outlook",
        "3 of 3 imported",
        [],
        [
            _contact(
                "José Núñez",
                "+13055550151",
                mobile_number="+13055550152",
                home_number="+13055550153",
                email="jose.nunez@example.com",
                description="Supplier – pays in €",
            ),
            _contact("Li Wei", "+8613910998888"),  # email 'li.wei@example' dropped with a note
            _contact("City Taxi", "+14155550161"),
        ],
    ),
    "fvkit_export.csv": (
        "fvkit export",
        "3 of 3 imported",
        [],
        [
            _contact(
                "Doe, Jane",
                "+14085550171",
                mobile_number="+14085550172",
                email="jane.doe@example.com",
                description='Says "hi"',
                favorite=True,
            ),
            _contact("Front desk", "7101", description='=HYPERLINK("http://example.com")'),
            _contact("@Ops team", "+14085550173", description="two\nlines"),
        ],
    ),
    "plain.csv": (
        "plain headers",
        "3 of 3 imported",
        [],
        [
            _contact("Alan Turing", "7102", email="alan@example.org"),
            _contact("Joan Clarke", "+14085550181", mobile_number="+14085550182", email="joan.clarke@example.org"),
            _contact("Tommy Flowers", "+14085550183"),
        ],
    ),
    "semicolon.csv": (
        "plain headers",
        "2 of 2 imported",
        [],
        [
            _contact(
                "Müller, Anna",
                "+4930901820",
                mobile_number="+4915123456789",
                email="anna@example.de",
                description="Rechnung: 12,50 €; bezahlt",
            ),
            _contact("Beck, Jonas", "+49891234567"),
        ],
    ),
}


@pytest.mark.req("CT-6")
@pytest.mark.req("PIPE-1")
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_import_recognises_each_layout_without_mapping(store: Store, user: User, name: str) -> None:
    layout, message, skipped, expected = LAYOUTS[name]
    report = import_contacts(store, user, (DATA / name).read_bytes())
    assert (report.layout, report.message, [str(s) for s in report.skipped]) == (layout, message, skipped)
    assert sorted(_people(store, user), key=str) == sorted(expected, key=str)


@pytest.mark.req("CT-6")
def test_import_notes_values_it_dropped(store: Store, user: User) -> None:
    report = import_contacts(store, user, (DATA / "outlook.csv").read_bytes())
    assert report.notes == ["line 3: email 'li.wei@example' dropped: not an email address"]
    data = b"Name,Phone,Mobile,Email\nBo,4085550100,n/a,bo@example.com\n"
    report = import_contacts(store, user, data)
    assert report.message == "1 of 1 imported"
    assert report.notes == ["line 2: mobile number 'n/a' dropped: not a phone number"]
    assert _people(store, user) == [_contact("Bo", "+14085550100", email="bo@example.com")]


@pytest.mark.req("CT-6")
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-8", b""),
        ("cp1252", b""),
    ],
)
def test_import_reads_the_encodings_people_save_in(store: Store, user: User, encoding: str, bom: bytes) -> None:
    text = "Name\tPhone\tNotes\r\nRenée Café\t(408) 555-0190\tpaid 5 €\r\n"  # Outlook's "Unicode text" is tabbed
    assert import_contacts(store, user, bom + text.encode(encoding)).message == "1 of 1 imported"
    assert _people(store, user) == [_contact("Renée Café", "+14085550190", description="paid 5 €")]


@pytest.mark.req("CT-6")
def test_import_quotes_newlines_and_ragged_rows(store: Store, user: User) -> None:
    data = (
        b"Name,Phone,Notes,Email\r\n"
        b'"Hale, ""Nat""",4085550100,"first\nsecond, third"\r\n'  # short row: no email cell
        b"Ivy,4085550101,,ivy@example.com,extra,cells\r\n"  # long row
        b"\r\n"  # a blank line is not a row
        b"Jon,,,\r\n"  # line 6: the quoted newline made line 3 part of line 2
        b"Kay,abc\r\n"
    )
    report = import_contacts(store, user, data)
    assert report.message == "2 of 4 imported"
    assert [str(s) for s in report.skipped] == [
        "line 6: no main number",
        "line 7: main number 'abc' is not a phone number",
    ]
    assert _people(store, user) == [
        _contact('Hale, "Nat"', "+14085550100", description="first\nsecond, third"),
        _contact("Ivy", "+14085550101", email="ivy@example.com"),
    ]


@pytest.mark.req("CT-6")
def test_import_normalises_numbers_in_the_given_region(store: Store, user: User) -> None:
    data = b"Name,Phone,Home\nDesk,7101,\nLondon,020 7946 0958,+1 (408) 555-0100\nShort,1,\n"
    report = import_contacts(store, user, data, region="GB")
    assert [str(s) for s in report.skipped] == ["line 4: main number '1' is not a phone number"]
    assert _by_name(store, user)["London"]["main_number"] == "+442079460958"
    assert _by_name(store, user)["London"]["home_number"] == "+14085550100"
    assert _by_name(store, user)["Desk"]["main_number"] == "7101"  # an extension stays as typed


@pytest.mark.req("CT-6")
def test_import_collapses_exact_duplicates_only(store: Store, user: User) -> None:
    data = b"Name,Phone\nAl,4085550100\nBea,4085550100\nAl,(408) 555-0100\n"
    report = import_contacts(store, user, data)
    assert report.message == "2 of 3 imported"  # Bea shares Al's office line: kept
    assert [str(s) for s in report.skipped] == ["line 4: duplicate of line 2"]
    again = import_contacts(store, user, data, delete_existing=False)
    assert again.message == "0 of 3 imported"
    assert {s.reason for s in again.skipped} == {"duplicate of an existing contact"}
    assert len(_people(store, user)) == 2


@pytest.mark.req("CT-6")
def test_import_switches_delete_existing_and_first_line(store: Store, user: User) -> None:
    old = _people(store, user)
    assert old, "the simulator gives 7101 contacts"
    store.execute("DELETE FROM speed_dial WHERE owner = '7101'")
    store.execute(
        "INSERT INTO speed_dial SELECT owner, 8, main_number, id FROM contact WHERE owner = '7101' ORDER BY id LIMIT 1"
    )
    store.execute("INSERT INTO speed_dial VALUES ('7101', 9, '+14085550199', NULL)")  # a bare number
    data = b"Zed,4085550100\nYul,4085550101\n"
    report = import_contacts(store, user, data, delete_existing=False, skip_first_line=False)
    assert report.message == "2 of 2 imported"
    assert report.layout == "guessed from the cells"
    assert len(_people(store, user)) == len(old) + 2
    assert (
        import_contacts(store, user, data).message == "1 of 1 imported"
    )  # defaults: first line skipped, list replaced
    assert _people(store, user) == [_contact("Yul", "+14085550101")]
    # the deleted contacts' speed dials went with them; the bare number's stays
    assert store.execute("SELECT keypad FROM speed_dial WHERE owner = '7101'").fetchall() == [(9,)]


@pytest.mark.req("CT-6")
def test_import_takes_the_users_mapping_by_header_or_column_number(store: Store, user: User) -> None:
    data = b"Who,Desk,Portable,Remark\nMo,4085550100,4085550101,VIP\n"
    assert suggest_mapping(read_csv(data).header).layout == "unrecognised"
    report = import_contacts(
        store, user, data, mapping={"main": "Desk", "name": 1, "mobile number": "3", "description": "remark"}
    )
    assert report.layout == "custom"
    assert _people(store, user) == [_contact("Mo", "+14085550100", mobile_number="+14085550101", description="VIP")]


@pytest.mark.req("CT-7")
@pytest.mark.req("CT-6")
def test_export_then_import_gives_the_same_contacts(store: Store, user: User) -> None:
    tricky = (
        "Name,Phone,Mobile,Email,Notes\n"
        '"Smith, ""Jo""",+1 408 555 0100,,jo@example.com,"line one\nline two"\n'
        "Žofie Dvořáková,+420 601 123 456,7102,,=1+2\n"
        '"-Minus",+1 408 555 0101,,,"@SUM(A1)"\n'
        "'Quoted,+1 408 555 0102,,,\t tab first\n"
    )
    import_contacts(store, user, tricky.encode())
    store.execute("UPDATE contact SET favorite = true WHERE owner = '7101' AND display_name = 'Žofie Dvořáková'")
    before = _people(store, user)
    data = export_contacts(store, user)
    assert data.startswith(codecs.BOM_UTF8 + HEADER.encode() + b"\n")
    assert b"'=1+2" in data and b"'@SUM(A1)" in data and b"'-Minus" in data  # escaped for spreadsheets
    report = import_contacts(store, user, data)
    assert (report.message, report.layout, report.skipped, report.notes) == ("4 of 4 imported", "fvkit export", [], [])
    assert _people(store, user) == before
    assert before[-1] == _contact(
        "Žofie Dvořáková", "+420601123456", mobile_number="7102", description="=1+2", favorite=True
    )


@pytest.mark.req("CT-7")
def test_export_escapes_formula_cells_and_keeps_phone_numbers(store: Store, user: User) -> None:
    import_contacts(store, user, b'Name,Phone,Notes\n=HYPERLINK("http://x"),+1 408 555 0100,+1 call me\n')
    assert _people(store, user)[0]["display_name"] == '=HYPERLINK("http://x")'  # stored as text
    lines = export_contacts(store, user).decode("utf-8-sig").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",+14085550100,"","","",\'+1 call me,No'


@pytest.mark.req("CT-6")
def test_import_10k_rows_under_two_seconds(store: Store, user: User) -> None:
    rows = [f"Person {i},+1 408 {200 + i // 10_000:03d} {i % 10_000:04d},,p{i}@example.com" for i in range(10_000)]
    data = ("Name,Phone,Mobile,Email\n" + "\n".join(rows)).encode()
    began = time.perf_counter()
    report = import_contacts(store, user, data)
    elapsed = time.perf_counter() - began
    assert report.message == "10000 of 10000 imported"
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert len(_people(store, user)) == 10_000


# ---- bad input changes nothing (PIPE-4) ---------------------------------------------------------


def _random_bytes(n: int) -> bytes:
    return random.Random(4).randbytes(n)


BAD = {
    "empty": (b"", "empty"),
    "blank lines": (b"\r\n \r\n,,\r\n", "empty"),
    "BOM only": (codecs.BOM_UTF8, "empty"),
    "header only": (b"Name,Phone,Email\r\n", "no contacts"),
    "binary garbage": (_random_bytes(4096), "binary"),
    "binary without NUL": (bytes(b for b in _random_bytes(8192) if b)[:4096], "binary|encoding"),
    "xlsx": (b"PK\x03\x04" + _random_bytes(512), "Excel workbook"),
    "undecodable": (b"Name,Phone\nA\x81\x8d\x90,4085550100\n", "encoding"),
    "broken UTF-16": (codecs.BOM_UTF16_LE + "Name,Phone\n".encode("utf-16-le") + b"\x00\xdc", "UTF-16"),
    "no main number column": (b"Name,Email\nAl,al@example.com\n", "Main number"),
    "unclosed quote": (b'Name,Phone\n"Al,4085550100\nBo,4085550101\n', "line 2: a quoted field is not closed"),
    "too many rows": (b"Name,Phone\n" + b"A,4085550100\n" * 100_001, "100,000 rows"),
}


@pytest.mark.req("PIPE-4")
@pytest.mark.parametrize("case", sorted(BAD))
def test_import_refuses_bad_input_and_changes_nothing(store: Store, user: User, case: str) -> None:
    data, reason = BAD[case]
    before = _people(store, user)
    with pytest.raises(ImportRefused, match=reason):
        import_contacts(store, user, data)
    assert _people(store, user) == before


@pytest.mark.req("PIPE-4")
def test_import_refuses_an_unknown_mapping_column_or_region(store: Store, user: User) -> None:
    before = _people(store, user)
    with pytest.raises(ImportRefused, match="No column 'Fax'"):
        import_contacts(store, user, b"Name,Phone\nAl,4085550100\n", mapping={"main": "Fax"})
    with pytest.raises(ImportRefused, match="No column 9"):
        import_contacts(store, user, b"Name,Phone\nAl,4085550100\n", mapping={"main": 9})
    with pytest.raises(ImportRefused, match="Unknown field"):
        import_contacts(store, user, b"Name,Phone\nAl,4085550100\n", mapping={"pager": 2})
    with pytest.raises(ImportRefused, match="Unknown region 'Narnia'"):
        import_contacts(store, user, b"Name,Phone\nAl,4085550100\n", region="Narnia")
    assert _people(store, user) == before


@pytest.mark.req("PIPE-4")
def test_import_with_no_valid_row_keeps_the_old_list(store: Store, user: User) -> None:
    before = _people(store, user)
    report = import_contacts(store, user, b"Name,Phone\nAl,abc\nBo,\n")  # delete_existing is ON
    assert report.message == "0 of 2 imported"
    assert [str(s) for s in report.skipped] == [
        "line 2: main number 'abc' is not a phone number",
        "line 3: no main number",
    ]
    assert _people(store, user) == before


@pytest.mark.req("PIPE-4")
def test_import_refuses_a_50_mb_file_fast(store: Store, user: User, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    row = b"Some Person,+1 408 555 0100,,someone@example.com,a description\n"
    with path.open("wb") as out:
        out.write(b"Name,Phone,Mobile,Email,Notes\n")
        for _ in range(50 * 1024 * 1024 // len(row) + 1):
            out.write(row)
    data = path.read_bytes()
    assert len(data) > 50 * 1024 * 1024
    before = _people(store, user)
    began = time.perf_counter()
    with pytest.raises(ImportRefused, match="larger than 10 MB"):
        import_contacts(store, user, data)
    assert time.perf_counter() - began < 0.1
    assert _people(store, user) == before
    assert MAX_IMPORT_BYTES == 10 * 1024 * 1024


@pytest.mark.req("PIPE-4")
def test_store_failure_mid_write_leaves_old_contacts(store: Store, user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _people(store, user)
    dials = store.execute("SELECT count(*) FROM speed_dial WHERE owner = '7101'").fetchone()[0]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "append", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        import_contacts(store, user, (DATA / "plain.csv").read_bytes(), delete_existing=True)
    monkeypatch.undo()
    assert before and _people(store, user) == before
    assert store.execute("SELECT count(*) FROM speed_dial WHERE owner = '7101'").fetchone()[0] == dials
    assert import_contacts(store, user, (DATA / "plain.csv").read_bytes()).imported == 3  # the store still works


@pytest.mark.req("PIPE-4")
@pytest.mark.req("CT-6")
def test_basic_user_may_not_import_or_export(store: Store) -> None:
    number = store.execute(
        "SELECT number FROM extension WHERE access_level = 'Basic' AND ext_type = 'User'"
    ).fetchone()[0]
    basic = acting_as(store, number)
    everyone = store.execute("SELECT count(*), sum(hash(display_name, main_number)) FROM contact").fetchone()
    with pytest.raises(PermissionDenied):
        import_contacts(store, basic, (DATA / "plain.csv").read_bytes())
    with pytest.raises(PermissionDenied):
        import_contacts(store, basic, b"")  # refused for the privilege before the file is read
    with pytest.raises(PermissionDenied):
        export_contacts(store, basic)
    assert store.execute("SELECT count(*), sum(hash(display_name, main_number)) FROM contact").fetchone() == everyone


# ---- the command line (PIPE-1) ------------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fvkit.cli", "contacts", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.req("PIPE-1")
@pytest.mark.req("CT-6")
@pytest.mark.req("CT-7")
def test_cli_import_then_export(db_file: Path, tmp_path: Path) -> None:
    result = _cli("import", "--db", db_file, "--ext", "7101", DATA / "google_contacts.csv")
    assert (result.returncode, result.stdout) == (0, "4 of 5 imported\nline 6: no main number\n"), result.stderr
    out = tmp_path / "out.csv"
    result = _cli("export", "--db", db_file, "--ext", "7101", "-o", out)
    assert (result.returncode, result.stdout) == (0, f"4 contacts written to {out}\n"), result.stderr
    text = out.read_bytes().decode("utf-8-sig")
    assert text.startswith(HEADER + "\n") and "Zoë Ångström,+442079460958" in text


@pytest.mark.req("PIPE-1")
def test_cli_import_with_map_and_switches(db_file: Path, tmp_path: Path) -> None:
    store = Store(db_file)
    before = len(_people(store, acting_as(store, "7101")))
    store.close()
    path = tmp_path / "bare.csv"
    path.write_text("4085550100;Ann;x\nnope;Ben;y\n", encoding="utf-8")
    args = ["--keep-existing", "--include-first-line", "--map", "main=1", "--map", "name=2", "--map", "description=3"]
    result = _cli("import", "--db", db_file, "--ext", "7101", *args, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1 of 2 imported\nline 2: main number 'nope' is not a phone number\n"
    store = Store(db_file)
    people = _by_name(store, acting_as(store, "7101"))
    store.close()
    assert len(people) == before + 1 and people["Ann"]["description"] == "x"
    result = _cli("import", "--db", db_file, "--ext", "7101", "--map", "pager=1", path)
    assert result.returncode == 2 and "--map" in result.stderr


@pytest.mark.req("PIPE-1")
@pytest.mark.req("PIPE-4")
def test_cli_import_refuses_in_one_line(db_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # 50 MB of NULs, sparse: written in no time
    for path, reason in ((empty, "The file is empty."), (huge, "larger than 10 MB")):
        result = _cli("import", "--db", db_file, "--ext", "7101", path)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
    result = _cli("import", "--db", db_file, "--ext", "9999", DATA / "plain.csv")
    assert (result.returncode, result.stderr) == (1, f"Error: no extension 9999 in {db_file}\n")
    store = Store(db_file)  # hold the file as the portal would
    try:
        result = _cli("import", "--db", db_file, "--ext", "7101", DATA / "plain.csv")
    finally:
        store.close()
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "in use" in result.stderr
