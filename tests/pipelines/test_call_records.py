"""Call-record CSV downloads: Download > All and Download > Search Result, library and CLI."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from fvkit.domain.limits import MAX_DOWNLOAD_ROWS
from fvkit.portal.auth import PermissionDenied, User, acting_as
from fvkit.portal.call_history import count, query
from fvkit.sim.run import Options, simulate
from fvkit.store.db import Store
from pipelines.call_records import (
    FLOW_HEADER,
    HEADER,
    DownloadRefused,
    download,
    download_all,
    download_search_result,
    download_zone,
    read_call_records,
    zoned,
)
from pipelines.csv_safe import FORMULA_START, PHONE_NUMBER
from tests.conftest import private_store

START = datetime(2026, 10, 5, 7)
BOM = "\ufeff"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a database file with two days of a 12-extension organisation."""
    path = tmp_path_factory.mktemp("calls") / "small.duckdb"
    store = Store(path)
    simulate(store, START, seed=3, extensions=12, password="password1", options=Options(days=2))
    store.close()
    return path


@pytest.fixture
def store(db_file: Path, tmp_path: Path) -> Iterator[Store]:
    """Return a private copy of the small database, free to change."""
    yield from private_store(db_file, tmp_path)


@pytest.fixture(scope="module")
def big_store() -> Iterator[Store]:
    """Return a store where 7101 has more than 20,000 calls in its history.

    (7101 takes one call at a time, a second under call waiting (SIM-7): the rest of the
    calls to it reach its busy handling, so it takes many calls a day to pass 20,000.)
    """
    db = Store()
    simulate(db, START, seed=5, extensions=10, password="password1", options=Options(days=28, calls_per_user_day=1500))
    yield db
    db.close()


def _rows(data: bytes) -> list[list[str]]:
    """Return the raw CSV cells, header first, exactly as a spreadsheet receives them."""
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:])))


def _local(utc: datetime, zone: str) -> str:
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@pytest.mark.req("CH-7")
@pytest.mark.req("PIPE-2")
def test_download_all_header_and_every_call_of_the_list(store: Store) -> None:
    user = acting_as(store, "7101")
    q = query(user)
    data = download_all(store, user, q)
    rows = _rows(data)
    zone = "GMT -8:00 Pacific Time US & Canada"  # the user's Preferences label of America/Los_Angeles
    assert user.time_zone == "America/Los_Angeles"
    assert rows[0] == [
        "From (Name)",
        "From",
        "To (Name)",
        "To",
        f"Start ({zone})",
        "Duration",
        "Disposition",
        "Direction",
        "Call Type",
        f"Answer ({zone})",
        f"End ({zone})",
        "Bill Duration",
        "Dialed Number/DNIS",
        "Destination",
        "Trunk",
        "Department",
        "Unique ID",
        "Account Code",
    ]
    assert tuple(read_call_records(data).columns) == HEADER
    assert 0 < len(rows) - 1 == count(store, user, q)
    expected = store.execute(
        "SELECT uniqueid FROM cdr WHERE owner = '7101' ORDER BY start_time DESC, uniqueid DESC"
    ).fetchall()
    assert [r[16] for r in rows[1:]] == [e[0] for e in expected]


@pytest.mark.req("CH-7")
def test_download_all_cells_are_the_call_details_in_the_users_zone(store: Store) -> None:
    user = acting_as(store, "7101")
    assert user.time_zone == "America/Los_Angeles"
    frame = read_call_records(download_all(store, user, query(user)))
    calls = store.arrow(
        "SELECT uniqueid, from_name, src, to_name, dst, start_time, duration, disposition, direction, call_type, "
        "answer_time, end_time, billsec, dnis, destination, trunk, department, account_code "
        "FROM cdr WHERE owner = '7101'"
    ).to_pylist()
    by_id = {c["uniqueid"]: c for c in calls}
    zone = user.time_zone
    for row in frame.iter_rows(named=True):
        c = by_id[row["Unique ID"]]
        assert row["From (Name)"] == c["from_name"] and row["From"] == c["src"]
        assert row["To (Name)"] == c["to_name"] and row["To"] == c["dst"]
        assert row["Start"] == _local(c["start_time"], zone)
        assert row["End"] == _local(c["end_time"], zone)
        assert row["Answer"] == ("" if c["answer_time"] is None else _local(c["answer_time"], zone))
        assert row["Duration"] == _hms(c["duration"]) and row["Bill Duration"] == _hms(c["billsec"])
        assert (row["Disposition"], row["Direction"], row["Call Type"]) == (
            c["disposition"],
            c["direction"],
            c["call_type"],
        )
        assert (row["Dialed Number/DNIS"], row["Destination"], row["Trunk"]) == (
            c["dnis"],
            c["destination"],
            c["trunk"],
        )
        assert (row["Department"], row["Account Code"]) == (c["department"], c["account_code"])
    assert any(r == "" for r in frame["Answer"])  # unanswered calls exist and show no answer time


@pytest.mark.req("CH-7")
def test_download_times_follow_the_users_time_zone_preference(store: Store) -> None:
    before = _rows(download_all(store, acting_as(store, "7101"), query(acting_as(store, "7101"))))
    store.execute("UPDATE preference SET time_zone = 'Asia/Tokyo' WHERE owner = '7101'")
    tokyo = acting_as(store, "7101")
    assert tokyo.time_zone == "Asia/Tokyo"
    after = _rows(download_all(store, tokyo, query(tokyo)))
    assert len(before) == len(after) > 1
    assert (before[0][4], after[0][4]) == ("Start (GMT -8:00 Pacific Time US & Canada)", "Start (GMT +9:00 Tokyo)")
    assert download_zone(download_all(store, tokyo, query(tokyo))) == "GMT +9:00 Tokyo"
    fmt = "%Y-%m-%d %H:%M:%S"
    for old, new in zip(before[1:], after[1:], strict=True):
        assert old[16] == new[16]
        # early October: Los Angeles is UTC-7 (PDT), Tokyo UTC+9
        assert datetime.strptime(new[4], fmt) - datetime.strptime(old[4], fmt) == timedelta(hours=16)
        assert datetime.strptime(new[10], fmt) - datetime.strptime(old[10], fmt) == timedelta(hours=16)
    first = store.execute(
        "SELECT start_time FROM cdr WHERE owner = '7101' ORDER BY start_time DESC, uniqueid DESC LIMIT 1"
    ).fetchone()
    assert after[1][4] == _local(first[0], "Asia/Tokyo")


@pytest.mark.req("CH-7")
@pytest.mark.parametrize(
    ("filters", "holds"),
    [
        ({"direction": "Incoming"}, lambda r: r["Direction"] == "Incoming"),
        ({"direction": "Internal"}, lambda r: r["Direction"] == "Internal"),
        ({"disposition": "Answered"}, lambda r: r["Disposition"] == "Answered"),
        ({"disposition": "No Answer"}, lambda r: r["Disposition"] == "No Answer"),
        ({"view": "Placed"}, lambda r: r["From"] == "7101"),
        (
            {"view": "Missed"},
            lambda r: (
                r["From"] != "7101"
                and r["Disposition"] not in ("Answered", "Transferred - Blind", "Transferred - Attended")
            ),
        ),
        ({"view": "Received", "direction": "Internal"}, lambda r: r["Direction"] == "Internal" and r["From"] != "7101"),
    ],
)
def test_download_all_reflects_the_filters_in_every_row(
    store: Store, filters: dict[str, str], holds: Callable[[dict[str, str]], bool]
) -> None:
    user = acting_as(store, "7101")
    q = query(user, **filters)
    frame = read_call_records(download_all(store, user, q))
    assert frame.height == count(store, user, q) > 0
    assert all(holds(r) for r in frame.iter_rows(named=True))
    everything = read_call_records(download_all(store, user, query(user)))
    assert frame.height < everything.height


@pytest.mark.req("CH-7")
@pytest.mark.req("PIPE-2")
@pytest.mark.slow
def test_download_all_is_the_newest_20000_calls_in_list_order(big_store: Store) -> None:
    user = acting_as(big_store, "7101")
    q = query(user)
    total = count(big_store, user, q)
    assert total > MAX_DOWNLOAD_ROWS
    result = download(big_store, user, q, search_result=False)
    assert result.records == result.rows == MAX_DOWNLOAD_ROWS
    frame = read_call_records(result.data)
    assert frame.height == MAX_DOWNLOAD_ROWS
    ids = big_store.arrow(
        "SELECT uniqueid, start_time FROM cdr WHERE owner = '7101' ORDER BY start_time DESC, uniqueid DESC"
    )
    newest = ids.column("uniqueid").to_pylist()[:MAX_DOWNLOAD_ROWS]
    assert frame["Unique ID"].to_list() == newest
    # the oldest call written is no older than any call left out
    oldest_written = ids.column("start_time")[MAX_DOWNLOAD_ROWS - 1].as_py()
    assert max(ids.column("start_time").to_pylist()[MAX_DOWNLOAD_ROWS:]) <= oldest_written
    assert frame["Start"].to_list() == sorted(frame["Start"].to_list(), reverse=True)


@pytest.mark.req("CH-8")
@pytest.mark.req("PIPE-2")
@pytest.mark.slow
def test_download_search_result_with_flow_caps_at_20000_calls(big_store: Store) -> None:
    user = acting_as(big_store, "7101")
    q = query(user, search="1")
    assert count(big_store, user, q) > MAX_DOWNLOAD_ROWS
    result = download(big_store, user, q, search_result=True, with_flow=True)
    assert result.records == MAX_DOWNLOAD_ROWS < result.rows
    frame = read_call_records(result.data)
    assert frame["Unique ID"].n_unique() == MAX_DOWNLOAD_ROWS
    plain = read_call_records(download_search_result(big_store, user, q, with_flow=False))
    assert frame["Unique ID"].unique(maintain_order=True).to_list() == plain["Unique ID"].to_list()


@pytest.mark.req("CH-8")
@pytest.mark.req("PIPE-2")
def test_download_search_result_with_flow_round_trips_every_event_in_order(store: Store) -> None:
    user = acting_as(store, "7101")
    q = query(user, search="1")
    result = download(store, user, q, search_result=True, with_flow=True)
    flow = read_call_records(result.data)
    assert tuple(flow.columns) == FLOW_HEADER
    plain = read_call_records(download_search_result(store, user, q, with_flow=False))
    assert result.records == plain.height == count(store, user, q) > 0
    # calls appear in the list's order, each as one consecutive block of its events
    blocks = flow.select("Unique ID").with_columns(block=pl.col("Unique ID").rle_id())
    assert blocks["block"].n_unique() == plain.height
    assert flow["Unique ID"].unique(maintain_order=True).to_list() == plain["Unique ID"].to_list()
    # each flow row carries its call's columns unchanged
    assert flow.select(HEADER).unique(maintain_order=True).equals(plain)
    events = store.arrow(
        "SELECT c.uniqueid, f.seq, f.time, f.description FROM cdr c JOIN flow_event f USING (linkedid) "
        "WHERE c.owner = '7101' ORDER BY c.uniqueid, f.seq"
    ).to_pylist()
    expected: dict[str, list[tuple[str, str, str]]] = {}
    for e in events:
        expected.setdefault(e["uniqueid"], []).append(
            (str(e["seq"]), _local(e["time"], user.time_zone), e["description"])
        )
    got: dict[str, list[tuple[str, str, str]]] = {}
    for r in flow.iter_rows(named=True):
        got.setdefault(r["Unique ID"], []).append((r["Flow Step"], r["Flow Time"], r["Flow Description"]))
    assert got == {uid: expected[uid] for uid in plain["Unique ID"]}
    assert any('"' in d for d in flow["Flow Description"])  # callee id "Name" <7101> survived


@pytest.mark.req("CH-8")
def test_download_search_result_needs_a_search_string(store: Store) -> None:
    user = acting_as(store, "7101")
    for with_flow in (False, True):
        with pytest.raises(DownloadRefused, match="Enter a search string first"):
            download_search_result(store, user, query(user, search="   "), with_flow=with_flow)


@pytest.mark.req("CH-7")
def test_download_all_never_has_call_flow(store: Store) -> None:
    user = acting_as(store, "7101")
    with pytest.raises(DownloadRefused, match="search string"):
        download(store, user, query(user), search_result=False, with_flow=True)
    assert tuple(read_call_records(download_all(store, user, query(user, search="1"))).columns) == HEADER


@pytest.mark.req("PIPE-2")
def test_download_escapes_formulas_but_keeps_phone_numbers(store: Store) -> None:
    uid = store.execute(
        "SELECT uniqueid FROM cdr WHERE owner = '7101' ORDER BY start_time DESC, uniqueid DESC LIMIT 1"
    ).fetchone()[0]
    store.execute(
        "UPDATE cdr SET from_name = ?, src = ?, to_name = ? WHERE owner = '7101' AND uniqueid = ?",
        ['=HYPERLINK("http://x")', "+1 408 555 0100", "@SUM(A1:A9)", uid],
    )
    user = acting_as(store, "7101")
    data = download_search_result(store, user, query(user, search="HYPERLINK"), with_flow=True)
    rows = _rows(data)
    assert len(rows) > 1
    for row in rows[1:]:
        assert row[0] == '\'=HYPERLINK("http://x")'
        assert row[1] == "+1 408 555 0100"
        assert row[2] == "'@SUM(A1:A9)"
    assert b"+1 408 555 0100," in data
    back = read_call_records(data)
    assert set(back["From (Name)"]) == {'=HYPERLINK("http://x")'}
    assert set(back["To (Name)"]) == {"@SUM(A1:A9)"}
    # no cell of a whole download starts like a formula unless it is a phone number
    for row in _rows(download_all(store, user, query(user)))[1:]:
        for cell in row:
            assert not re.match(FORMULA_START, cell) or re.match(PHONE_NUMBER, cell), cell


@pytest.mark.req("CH-8")
def test_download_search_full_of_quotes_is_taken_literally(store: Store) -> None:
    user = acting_as(store, "7101")
    tricky = "'\"%_;--"
    header = [zoned(c, user.time_zone) for c in FLOW_HEADER]
    assert _rows(download_search_result(store, user, query(user, search=tricky), with_flow=True)) == [header]
    assert len(_rows(download_search_result(store, user, query(user, search="%"), with_flow=False))) == 1
    uid = store.execute("SELECT uniqueid FROM cdr WHERE owner = '7101' ORDER BY start_time LIMIT 1").fetchone()[0]
    store.execute("UPDATE cdr SET from_name = ? WHERE owner = '7101' AND uniqueid = ?", [f"O'Hara {tricky} Ltd", uid])
    found = read_call_records(download_search_result(store, user, query(user, search=tricky), with_flow=True))
    assert set(found["Unique ID"]) == {uid}
    assert set(found["From (Name)"]) == {f"O'Hara {tricky} Ltd"}


@pytest.mark.req("AUTH-5")
def test_download_of_another_users_history_is_denied(store: Store) -> None:
    me, other = acting_as(store, "7101"), acting_as(store, "7102")
    with pytest.raises(PermissionDenied):
        download_all(store, me, query(other))
    with pytest.raises(PermissionDenied):
        download_search_result(store, me, query(other, search="1"), with_flow=True)


def test_read_call_records_refuses_other_files() -> None:
    with pytest.raises(ValueError, match="not a call-record download"):
        read_call_records(b"a,b\n1,2\n")


# --- CLI ----------------------------------------------------------------------------


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "fvkit.cli", "calls", "download", *map(str, args)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def db_copy(db_file: Path, tmp_path: Path) -> Path:
    """Return a copy of the small database file for one CLI run."""
    return Path(shutil.copy(db_file, tmp_path / "cli.duckdb"))


def _user(path: Path, number: str) -> tuple[Store, User]:
    store = Store(path, read_only=True)
    return store, acting_as(store, number)


@pytest.mark.req("PIPE-2")
@pytest.mark.req("CH-7")
def test_cli_download_all_writes_the_list(db_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = _cli("--db", db_copy, "--ext", "7101", "-o", out)
    assert result.returncode == 0, result.stderr
    store, user = _user(db_copy, "7101")
    expected = download_all(store, user, query(user))
    n = count(store, user, query(user))
    store.close()
    assert result.stdout.strip() == f"{n} records written to {out}"
    assert out.read_bytes() == expected


@pytest.mark.req("PIPE-2")
@pytest.mark.req("CH-8")
def test_cli_download_search_result_with_call_flow(db_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "flow.csv"
    result = _cli(
        "--db", db_copy, "--ext", "7101", "-o", out, "--search", "1", "--direction", "Incoming", "--with-call-flow"
    )
    assert result.returncode == 0, result.stderr
    frame = read_call_records(out.read_bytes())
    assert tuple(frame.columns) == FLOW_HEADER
    assert set(frame["Direction"]) == {"Incoming"}
    assert result.stdout.strip() == f"{frame['Unique ID'].n_unique()} records written to {out}"


@pytest.mark.req("PIPE-2")
def test_cli_download_view_filter(db_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "placed.csv"
    result = _cli("--db", db_copy, "--ext", "7101", "-o", out, "--view", "Placed", "--disposition", "No Answer")
    assert result.returncode == 0, result.stderr
    frame = read_call_records(out.read_bytes())
    assert frame.height > 0 and set(frame["Disposition"]) == {"No Answer"}
    assert set(frame["From"]) == {"7101"}
    assert result.stdout.strip() == f"{frame.height} records written to {out}"


@pytest.mark.req("PIPE-2")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--with-call-flow"], "search string"),
        (["--direction", "Sideways"], "Sideways"),
        (["--disposition", "Maybe"], "Maybe"),
        (["--view", "Sometimes"], "Sometimes"),
        (["--search", "x" * 201], "at most 200"),
    ],
)
def test_cli_download_refuses_in_one_line(db_copy: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "refused.csv"
    result = _cli("--db", db_copy, "--ext", "7101", "-o", out, *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not out.exists()


def test_cli_download_unknown_extension_or_database(db_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = _cli("--db", db_copy, "--ext", "9999", "-o", out)
    assert result.returncode != 0 and result.stderr.strip() == "Error: no extension 9999"
    missing = tmp_path / "none.duckdb"
    result = _cli("--db", missing, "--ext", "7101", "-o", out)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert not missing.exists()


@pytest.mark.req("CH-7")
def test_download_loads_in_pandas_and_polars_with_the_documented_lines(store: Store, tmp_path: Path) -> None:
    """The README's lines read a download with text columns: Unique IDs and numbers unchanged."""
    import pandas as pd

    user = acting_as(store, "7101")
    store.execute(
        "UPDATE cdr SET uniqueid = '1790877192.580', src = '0014155550100' "
        "WHERE owner = '7101' AND uniqueid = (SELECT max(uniqueid) FROM cdr WHERE owner = '7101')"
    )
    path = tmp_path / "calls.csv"
    path.write_bytes(download_all(store, user, query(user)))
    expected = store.execute("SELECT uniqueid, src FROM cdr WHERE owner = '7101'").fetchall()
    # the README's lines, verbatim
    calls_pd = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    calls_pl = pl.read_csv(path, infer_schema=False)
    for frame in (calls_pl, pl.from_pandas(calls_pd)):
        assert frame.schema["Unique ID"] == pl.String
        assert sorted(zip(frame["Unique ID"], frame["From"], strict=True)) == sorted(expected)
        assert "1790877192.580" in frame["Unique ID"].to_list()
        assert "0014155550100" in frame["From"].to_list()
        assert frame.columns[4] == "Start (GMT -8:00 Pacific Time US & Canada)"
        assert frame["Answer (GMT -8:00 Pacific Time US & Canada)"].to_list().count("") > 0
    # pandas's defaults would have lost both
    default = pd.read_csv(path, encoding="utf-8-sig")
    assert default["Unique ID"].dtype != object or "1790877192.580" not in set(default["Unique ID"])
