"""Asterisk Master.csv export and import (SIM-3: CDRs stay exportable as Asterisk's cdr_csv writes them)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from fvkit.domain.calls import TO_ASTERISK, Disposition
from fvkit.sim.run import Options, simulate
from fvkit.store.db import Store
from pipelines.asterisk import FLOW_LINE, NotMasterCsv, export_master_csv, import_master_csv

START = datetime(2026, 10, 5, 7)  # Monday 00:00 in America/Los_Angeles (PDT)
ORG: dict[str, Any] = {"seed": 5, "extensions": 12, "trunk_lines": 1, "password": "password1"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def org_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The busy store's organisation with no traffic: same seed, no days (a fresh import target)."""
    path = tmp_path_factory.mktemp("asterisk") / "org.duckdb"
    store = Store(path)
    simulate(store, START, **ORG, options=Options(days=0))
    store.close()
    return path


@pytest.fixture(scope="module")
def busy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two days of heavy traffic over one trunk line, so some calls meet congestion (SIM-4)."""
    path = tmp_path_factory.mktemp("asterisk") / "busy.duckdb"
    store = Store(path)
    simulate(store, START, **ORG, options=Options(days=2, calls_per_user_day=40))
    store.close()
    return path


@pytest.fixture
def busy(busy_file: Path) -> Iterator[Store]:
    store = Store(busy_file, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def master(busy_file: Path) -> bytes:
    """The busy store exported as Master.csv."""
    store = Store(busy_file, read_only=True)
    out = io.BytesIO()
    export_master_csv(store, out)
    store.close()
    return out.getvalue()


@pytest.fixture
def fresh(org_file: Path, tmp_path: Path) -> Iterator[Store]:
    """A store with the busy store's organisation and no calls."""
    shutil.copy(org_file, tmp_path / "fresh.duckdb")
    store = Store(tmp_path / "fresh.duckdb")
    yield store
    store.close()


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _count(store: Store, sql: str, params: list[Any] | None = None) -> int:
    return int(store.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


# --- the exact format ----------------------------------------------------------------

#: cdr columns of a hand-made call, in insertion order
_CDR = (
    "owner, is_primary, placed, uniqueid, linkedid, start_time, answer_time, end_time, duration, billsec, "
    "src, dst, from_name, to_name, direction, disposition, call_type, trunk, dnis, destination, department, "
    "account_code, dcontext, channel, dstchannel, lastapp, lastdata, amaflags, userfield"
)


def _add_call(store: Store, flow: str = "call completed, status: ANSWER", **fields: Any) -> None:
    """Insert one call (primary row and a flow line) with sensible defaults."""
    row: dict[str, Any] = {
        "owner": "7101",
        "is_primary": True,
        "placed": True,
        "answer_time": None,
        "to_name": "",
        "direction": "Internal",
        "call_type": "Voice",
        "trunk": "",
        "dnis": "",
        "destination": "",
        "department": "",
        "account_code": "",
        "dcontext": "from-internal",
        "dstchannel": "",
        "lastapp": "Dial",
        "lastdata": "",
        "amaflags": "DOCUMENTATION",
        "userfield": "",
        **fields,
    }
    row["linkedid"] = row["uniqueid"]
    names = [c.strip() for c in _CDR.split(",")]
    store.execute(f"INSERT INTO cdr ({_CDR}) VALUES ({', '.join('?' * len(names))})", [row[n] for n in names])
    store.execute("INSERT INTO flow_event VALUES (?, 1, ?, ?)", [row["uniqueid"], row["start_time"], flow])


@pytest.fixture
def known(org_file: Path, tmp_path: Path) -> Iterator[Store]:
    """Four hand-made calls in an organisation on Pacific time."""
    shutil.copy(org_file, tmp_path / "known.duckdb")
    store = Store(tmp_path / "known.duckdb")
    store.execute("UPDATE organisation SET time_zone = 'America/Los_Angeles'")
    _add_call(
        store,
        uniqueid="1791210000.901",
        start_time=datetime(2026, 10, 5, 14, 20, 0),
        end_time=datetime(2026, 10, 5, 14, 20, 25),
        duration=25,
        billsec=0,
        src="7101",
        dst="7102",
        from_name='Bob "The Builder" Smith',
        disposition="No Answer",
        channel="PJSIP/7101-00000901",
        dstchannel="PJSIP/7102",
        lastdata="PJSIP/7102,30",
        flow="call unsuccessful, status: NOANSWER",
    )
    # the callee's history row of the same call: not a second Master.csv line
    store.execute(
        f"INSERT INTO cdr ({_CDR}) SELECT '7102', false, false, * EXCLUDE (owner, is_primary, placed) "
        "FROM cdr WHERE uniqueid = '1791210000.901'"
    )
    _add_call(
        store,
        uniqueid="1791222000.902",
        start_time=datetime(2026, 10, 5, 17, 40, 0, 700_000),
        answer_time=datetime(2026, 10, 5, 17, 40, 4, 200_000),
        end_time=datetime(2026, 10, 5, 17, 41, 4, 900_000),
        duration=64,
        billsec=60,
        owner="7103",
        src="7103",
        dst="14155550100",
        from_name="Steve Rogers",
        direction="Outgoing",
        disposition="Voicemail",
        account_code="Sales",
        channel="PJSIP/7103-00000902",
        dstchannel="PJSIP/fve126",
        lastdata="PJSIP/14155550100@fve126",
        amaflags="BILLING",
        userfield="vip, callback",
    )
    _add_call(
        store,
        uniqueid="1791223000.903",
        start_time=datetime(2026, 10, 5, 17, 56, 40),
        end_time=datetime(2026, 10, 5, 17, 56, 40),
        duration=0,
        billsec=0,
        owner="7104",
        placed=False,
        src="14085550199",
        dst="7104",
        from_name="",
        direction="Incoming",
        disposition="Failed",
        dcontext="from-trunk",
        channel="PJSIP/fve126-00000903",
        flow="all lines busy on trunk:fve126, status: CONGESTION",
    )
    _add_call(
        store,
        uniqueid="1791224000.904",
        start_time=datetime(2026, 10, 5, 18, 13, 20),
        end_time=datetime(2026, 10, 5, 18, 13, 21),
        duration=1,
        billsec=0,
        src="7101",
        dst="7105",
        from_name="Kevin Fleming",
        disposition="Denied",
        channel="PJSIP/7101-00000904",
        flow="call rejected for user:<7105>, status: DENIED",
    )
    yield store
    store.close()


@pytest.mark.req("SIM-3")
def test_export_master_csv_writes_cdr_csv_lines_exactly(known: Store) -> None:
    out = io.BytesIO()
    assert export_master_csv(known, out) == 4
    assert out.getvalue().decode("utf-8").split("\n") == [
        # unanswered: the answer is an empty field without quotes; the name's quotes are doubled
        '"","7101","7102","from-internal","""Bob ""The Builder"" Smith"" <7101>","PJSIP/7101-00000901",'
        '"PJSIP/7102","Dial","PJSIP/7102,30","2026-10-05 07:20:00",,"2026-10-05 07:20:25",25,0,'
        '"NO ANSWER","DOCUMENTATION","1791210000.901",""',
        # Voicemail folds onto ANSWERED; times cut to whole seconds; a comma stays inside quotes
        '"Sales","7103","14155550100","from-internal","""Steve Rogers"" <7103>","PJSIP/7103-00000902",'
        '"PJSIP/fve126","Dial","PJSIP/14155550100@fve126","2026-10-05 10:40:00","2026-10-05 10:40:04",'
        '"2026-10-05 10:41:04",64,60,"ANSWERED","BILLING","1791222000.902","vip, callback"',
        # a Failed call whose flow says CONGESTION; an empty caller name is still quoted: "" <number>
        '"","14085550199","7104","from-trunk",""""" <14085550199>","PJSIP/fve126-00000903","","Dial","",'
        '"2026-10-05 10:56:40",,"2026-10-05 10:56:40",0,0,"CONGESTION","DOCUMENTATION","1791223000.903",""',
        # Denied folds onto FAILED
        '"","7101","7105","from-internal","""Kevin Fleming"" <7101>","PJSIP/7101-00000904","","Dial","",'
        '"2026-10-05 11:13:20",,"2026-10-05 11:13:21",1,0,"FAILED","DOCUMENTATION","1791224000.904",""',
        "",  # every line ends with a newline, the last one too
    ]


@pytest.mark.req("SIM-3")
def test_export_master_csv_utc_writes_utc_times(known: Store) -> None:
    out = io.BytesIO()
    export_master_csv(known, out, utc=True)
    first = _rows(out.getvalue())[0]
    assert first[9:12] == ["2026-10-05 14:20:00", "", "2026-10-05 14:20:25"]


@pytest.mark.req("SIM-3")
def test_export_master_csv_has_no_header_and_18_columns(busy: Store, master: bytes) -> None:
    rows = _rows(master)
    assert len(rows) == _count(busy, "SELECT * FROM calls")
    assert {len(r) for r in rows} == {18}
    assert rows[0][0] != "accountcode"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[0][9])
    starts = [r[9] for r in rows]
    assert starts == sorted(starts)  # in start order (no DST change in these two days)
    # cdr_csv quotes every string and leaves the two integers bare
    for line in master.decode("utf-8").splitlines()[:50]:
        assert re.fullmatch(r'("[^"]*(""[^"]*)*",){9}(("[^"]*")?,){3}\d+,\d+,("[^"]*(""[^"]*)*",){3}"[^"]*"', line)


#: what Asterisk's cdr_csv writes for each FortiVoice disposition, stated here rather than read from
#: the mapping under test: voicemail and both transfers were answered by the PBX; denied is FAILED
ASTERISK_OF = {
    "Answered": "ANSWERED",
    "Voicemail": "ANSWERED",
    "Transferred - Blind": "ANSWERED",
    "Transferred - Attended": "ANSWERED",
    "No Answer": "NO ANSWER",
    "Busy": "BUSY",
    "Denied": "FAILED",
    "Failed": "FAILED",
    "Other": "ANSWERED",
}


def test_every_disposition_folds_onto_the_asterisk_one_stated_here() -> None:
    assert {d.value: a.value for d, a in TO_ASTERISK.items()} == ASTERISK_OF
    assert set(ASTERISK_OF) == {d.value for d in Disposition}


@pytest.mark.req("SIM-3")
def test_export_master_csv_folds_dispositions_and_marks_congestion(busy: Store, master: bytes) -> None:
    stored = {
        uid: (disposition, amaflags, account)
        for uid, disposition, amaflags, account in busy.execute(
            "SELECT uniqueid, disposition, amaflags, account_code FROM cdr WHERE is_primary"
        ).fetchall()
    }
    congested = {
        uid
        for (uid,) in busy.execute(
            "SELECT DISTINCT linkedid FROM flow_event WHERE description LIKE '%status: CONGESTION'"
        ).fetchall()
    }
    written = {r[16]: (r[14], r[15], r[0]) for r in _rows(master)}
    assert written.keys() == stored.keys()
    for uid, (disposition, amaflags, account) in stored.items():
        failed_for_want_of_lines = uid in congested and disposition == Disposition.FAILED
        expected = "CONGESTION" if failed_for_want_of_lines else ASTERISK_OF[disposition]
        assert written[uid] == (expected, amaflags, account)
    dispositions = {d for d, _, _ in written.values()}
    assert "CONGESTION" in dispositions  # one trunk line: calls met congestion (SIM-4)
    assert dispositions <= {"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"}
    assert {a for _, a, _ in written.values()} <= {"DOCUMENTATION", "BILLING", "OMIT"}


# --- round trip ------------------------------------------------------------------------

_COMPARED = 'uniqueid, src, dst, start, answer, "end", duration, billsec, account_code, from_name, direction'


def _folded(store: Store) -> dict[str, tuple[str, str]]:
    """Each call's disposition folded onto Asterisk's five, and its AMA flags."""
    return {
        uid: (ASTERISK_OF[d], ama)
        for uid, d, ama in store.execute("SELECT uniqueid, disposition, amaflags FROM cdr WHERE is_primary").fetchall()
    }


@pytest.mark.req("SIM-3")
def test_import_master_csv_round_trip_matches_the_calls(busy: Store, master: bytes, fresh: Store) -> None:
    result = import_master_csv(fresh, master)

    total = _count(busy, "SELECT * FROM calls")
    assert (result.imported, result.skipped, result.bad) == (total, 0, ())
    assert busy.arrow(f"SELECT {_COMPARED} FROM calls ORDER BY uniqueid") == fresh.arrow(
        f"SELECT {_COMPARED} FROM calls ORDER BY uniqueid"
    )
    assert _folded(fresh) == _folded(busy)
    # BILLING on outgoing calls, with the caller's department as account code
    assert _count(fresh, "SELECT * FROM cdr WHERE amaflags = 'BILLING' AND account_code <> ''") > 0


@pytest.mark.req("SIM-3")
def test_import_master_csv_shows_calls_in_their_extensions_history(master: bytes, fresh: Store) -> None:
    import_master_csv(fresh, master)

    # one primary row per call, owned by the caller when it is an extension, else the callee
    assert (
        _count(fresh, "SELECT uniqueid FROM cdr GROUP BY uniqueid HAVING count(*) FILTER (WHERE is_primary) <> 1") == 0
    )
    missing = """
        SELECT c.uniqueid, e.number FROM calls c JOIN extensions e ON e.number IN (c.src, c.dst)
        ANTI JOIN call_history h ON h.uniqueid = c.uniqueid AND h.owner = e.number
    """
    assert _count(fresh, missing) == 0
    placed = "SELECT * FROM call_history WHERE placed AND owner <> src"
    assert _count(fresh, placed) == 0
    history = _count(fresh, "SELECT * FROM call_history WHERE owner = '7101'")
    assert history == _count(fresh, "SELECT * FROM calls WHERE '7101' IN (src, dst)") > 0


@pytest.mark.req("SIM-3")
def test_import_master_csv_gives_every_call_a_flow_line(master: bytes, fresh: Store) -> None:
    import_master_csv(fresh, master)

    assert _count(fresh, "SELECT * FROM calls ANTI JOIN call_flow USING (linkedid)") == 0
    rows = fresh.execute(
        "SELECT f.description, c.lastapp, c.lastdata, f.time = c.start_time, f.seq "
        "FROM flow_event f JOIN cdr c ON c.linkedid = f.linkedid AND c.is_primary"
    ).fetchall()
    assert rows
    for description, lastapp, lastdata, at_start, seq in rows:
        assert description == FLOW_LINE.format(lastapp, lastdata)
        assert at_start and seq == 1
    assert rows[0][0].startswith("imported from Asterisk Master.csv: lastapp:")


@pytest.mark.req("SIM-3")
def test_import_master_csv_twice_skips_what_is_there(master: bytes, fresh: Store) -> None:
    first = import_master_csv(fresh, master)
    before = _count(fresh, "SELECT * FROM cdr"), _count(fresh, "SELECT * FROM flow_event")

    again = import_master_csv(fresh, master)

    assert (again.imported, again.skipped) == (0, first.imported)
    assert (_count(fresh, "SELECT * FROM cdr"), _count(fresh, "SELECT * FROM flow_event")) == before


@pytest.mark.req("SIM-3")
def test_import_master_csv_reads_the_quoted_name_back(known: Store, fresh: Store) -> None:
    out = io.BytesIO()
    export_master_csv(known, out)

    result = import_master_csv(fresh, out.getvalue())

    assert result.imported == 4
    names = dict(fresh.execute("SELECT uniqueid, from_name FROM calls").fetchall())
    assert names["1791210000.901"] == 'Bob "The Builder" Smith'
    assert names["1791223000.903"] == ""
    got = dict(fresh.execute("SELECT uniqueid, disposition FROM calls").fetchall())
    assert got == {
        "1791210000.901": "No Answer",
        "1791222000.902": "Answered",
        "1791223000.903": "Failed",  # CONGESTION
        "1791224000.904": "Failed",
    }
    userfield = fresh.execute("SELECT userfield FROM cdr WHERE uniqueid = '1791222000.902'").fetchall()
    assert userfield == [("vip, callback",)]


def _reshaped(data: bytes, width: int) -> bytes:
    """The file with only the first `width` columns, written the way csv's QUOTE_ALL does."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows(r[:width] for r in _rows(data))
    return out.getvalue().encode("utf-8")


@pytest.mark.req("SIM-3")
def test_import_master_csv_without_uniqueid_makes_stable_ones(busy: Store, master: bytes, fresh: Store) -> None:
    short = _reshaped(master, 16)

    first = import_master_csv(fresh, short)
    again = import_master_csv(fresh, short)

    total = _count(busy, "SELECT * FROM calls")
    assert (first.imported, first.bad) == (total, ())
    assert (again.imported, again.skipped) == (0, total)
    rows = fresh.execute("SELECT uniqueid, epoch(start)::BIGINT, linkedid FROM calls").fetchall()
    for uniqueid, start, linkedid in rows:
        assert re.fullmatch(rf"{start}\.\d+", uniqueid) and linkedid == uniqueid
    compared = 'src, dst, start, answer, "end", duration, billsec'
    assert busy.arrow(f"SELECT {compared} FROM calls ORDER BY ALL") == fresh.arrow(
        f"SELECT {compared} FROM calls ORDER BY ALL"
    )


@pytest.mark.req("SIM-3")
def test_import_master_csv_with_17_columns_keeps_uniqueids(busy: Store, master: bytes, fresh: Store) -> None:
    result = import_master_csv(fresh, _reshaped(master, 17))

    assert result.imported == _count(busy, "SELECT * FROM calls")
    assert busy.arrow("SELECT uniqueid FROM calls ORDER BY 1") == fresh.arrow("SELECT uniqueid FROM calls ORDER BY 1")


@pytest.mark.req("SIM-3")
def test_import_master_csv_utc_round_trip(busy: Store, fresh: Store) -> None:
    out = io.BytesIO()
    export_master_csv(busy, out, utc=True)

    import_master_csv(fresh, out.getvalue(), utc=True)

    compared = 'uniqueid, start, answer, "end"'
    assert busy.arrow(f"SELECT {compared} FROM calls ORDER BY 1") == fresh.arrow(
        f"SELECT {compared} FROM calls ORDER BY 1"
    )


# --- bad input -------------------------------------------------------------------------


def _with_bad_lines(master: bytes, good: int) -> tuple[bytes, dict[int, str]]:
    """The first `good` lines of the file with three bad ones put in; returns the bad lines' numbers."""
    lines = master.decode("utf-8").splitlines()[:good]
    fields = _rows(lines[6].encode())[0]
    bad_date = ",".join(['"x"'] * 9 + ['"05/10/2026 07:20"', "", '"2026-10-05 07:20:25"', "25", "0"] + ['"x"'] * 4)
    fraction = lines[6].replace(f",{fields[12]},{fields[13]},", f",{fields[12]}.5,{fields[13]},", 1)
    lines.insert(2, '"just","three","columns"')
    lines.insert(10, bad_date)
    lines.insert(20, fraction)
    expected = {
        3: "expected 16, 17 or 18 columns, found 3",
        11: 'start "05/10/2026 07:20" is not a YYYY-MM-DD HH:MM:SS time in America/Los_Angeles',
        21: f'duration "{fields[12]}.5" is not a whole number of seconds',
    }
    return ("\n".join(lines) + "\n").encode("utf-8"), expected


@pytest.mark.req("SIM-3")
def test_import_master_csv_lists_bad_rows_and_imports_the_rest(master: bytes, fresh: Store) -> None:
    data, expected = _with_bad_lines(master, 40)

    result = import_master_csv(fresh, data)

    assert (result.imported, result.skipped) == (40, 0)
    assert {b.line: b.reason for b in result.bad} == expected
    assert _count(fresh, "SELECT * FROM calls") == 40


@pytest.mark.req("SIM-3")
def test_import_master_csv_refuses_a_file_that_is_not_master_csv(fresh: Store, master: bytes) -> None:
    contacts = b"Display Name,Main Number,Email\nAlice Ng,14155550100,alice@example.com\n"
    with pytest.raises(
        NotMasterCsv, match=r"not an Asterisk Master\.csv: 2 of 2 rows are bad, no good row; nothing imported"
    ):
        import_master_csv(fresh, contacts)

    mostly_bad, _ = _with_bad_lines(master, 20)  # 3 bad of 23: more than 10%
    with pytest.raises(
        NotMasterCsv, match=r"3 of 23 rows are bad, more than 10%; nothing imported\. First: line 3: expected"
    ):
        import_master_csv(fresh, mostly_bad)
    with pytest.raises(NotMasterCsv, match="holds no rows"):
        import_master_csv(fresh, b"")

    assert _count(fresh, "SELECT * FROM cdr") == _count(fresh, "SELECT * FROM flow_event") == 0


@pytest.mark.req("SIM-3")
def test_import_master_csv_rejects_calls_of_no_extension(master: bytes, fresh: Store) -> None:
    lines = master.decode("utf-8").splitlines()[:30]
    fields = _rows(lines[0].encode())[0]
    stranger = lines[0].replace(f'"{fields[1]}","{fields[2]}"', '"5550001","5550002"', 1)
    data = ("\n".join([*lines, stranger]) + "\n").encode()

    result = import_master_csv(fresh, data)

    assert [(b.line, b.reason) for b in result.bad] == [
        (31, "neither src 5550001 nor dst 5550002 is an extension of this organisation")
    ]
    assert result.imported == 30


# --- command line ----------------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "fvkit.cli", "cdr", *map(str, args)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.req("SIM-3")
def test_cli_export_and_import_asterisk(busy_file: Path, org_file: Path, master: bytes, tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    shutil.copy(busy_file, db)
    target = tmp_path / "fresh.duckdb"
    shutil.copy(org_file, target)
    csv_file = tmp_path / "Master.csv"

    done = _cli("export-asterisk", "--db", db, "-o", csv_file)
    assert done.returncode == 0, done.stderr
    assert csv_file.read_bytes() == master
    calls = len(master.splitlines())
    assert done.stdout == f"{calls} calls written to {csv_file}\n"

    data, expected = _with_bad_lines(master, 40)
    some = tmp_path / "some.csv"
    some.write_bytes(data)
    done = _cli("import-asterisk", "--db", target, some)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "40 calls imported, 0 skipped (already present), 3 bad rows",
        *(f"line {line}: {reason}" for line, reason in expected.items()),
    ]

    done = _cli("import-asterisk", "--db", target, csv_file)
    assert done.stdout.splitlines() == [f"{calls - 40} calls imported, 40 skipped (already present), 0 bad rows"]


@pytest.mark.req("SIM-3")
def test_cli_import_asterisk_refuses_in_one_line(org_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh.duckdb"
    shutil.copy(org_file, target)
    other = tmp_path / "contacts.csv"
    other.write_text("Display Name,Main Number\nAlice Ng,14155550100\n", encoding="utf-8")

    done = _cli("import-asterisk", "--db", target, other)

    assert done.returncode != 0
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(
        "Error: not an Asterisk Master.csv: 2 of 2 rows are bad, no good row; nothing imported"
    )


@pytest.mark.req("SIM-3")
def test_export_master_csv_writes_attendant_answered_calls_as_answered(busy: Store, master: bytes) -> None:
    other = {uid for (uid,) in busy.execute("SELECT uniqueid FROM calls WHERE disposition = 'Other'").fetchall()}
    assert other  # announcements and auto attendants answered some calls
    rows = _rows(master)
    assert {r[14] for r in rows if r[16] in other} == {"ANSWERED"}
    assert all(r[10] != "" for r in rows if r[16] in other)  # they carry the attendant's answer time
    assert [r for r in rows if r[14] in ("FAILED", "CONGESTION") and r[10] != ""] == []


def _foreign(master: bytes, rows: int = 20) -> bytes:
    """The first rows of a Master.csv as another organisation's: its extensions renumbered 81xx."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in _rows(master)[:rows]:
        row[1], row[2] = (re.sub(r"^7(\d{3})$", r"8\1", v) for v in (row[1], row[2]))
        if not (row[1].startswith("8") or row[2].startswith("8")):
            row[1] = "8101"
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


@pytest.mark.req("SIM-3")
def test_import_master_csv_of_another_organisation_says_so(master: bytes, fresh: Store) -> None:
    with pytest.raises(NotMasterCsv) as refused:
        import_master_csv(fresh, _foreign(master))
    message = str(refused.value)
    assert message.startswith("the calls are another organisation's: 20 of 20 rows have no extension of this one")
    assert re.search(r"\(first, line 1: src \d+, dst \d+\); nothing imported$", message), message
    assert "not an Asterisk Master.csv" not in message
    assert _count(fresh, "SELECT * FROM calls") == 0


@pytest.mark.req("SIM-3")
def test_cli_import_asterisk_of_another_organisation_in_one_line(org_file: Path, master: bytes, tmp_path: Path) -> None:
    target = tmp_path / "fresh.duckdb"
    shutil.copy(org_file, target)
    foreign = tmp_path / "Master.csv"
    foreign.write_bytes(_foreign(master))

    done = _cli("import-asterisk", "--db", target, foreign)

    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("Error: the calls are another organisation's: 20 of 20 rows")
