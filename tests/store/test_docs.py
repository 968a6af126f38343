"""Docs that run (ANL-1, NB-2): every SQL and Python snippet of docs/SCHEMA.md and the README, executed
against a simulated store and compared with an independent computation in plain Python."""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from fvkit.portal.auth import acting_as
from fvkit.portal.call_history import query
from fvkit.store import Store
from pipelines.call_records import download_all

ROOT = Path(__file__).resolve().parents[2]
DB_IN_DOCS = "data/fvkit.duckdb"
ANSWERED = ("Answered", "Transferred - Blind", "Transferred - Attended")
MISSED = ("Voicemail", "No Answer", "Busy", "Failed", "Denied", "Other")


def _blocks(path: Path) -> list[tuple[str, str]]:
    """Every fenced block of a Markdown file with its language, in order."""
    text = path.read_text(encoding="utf-8")
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, flags=re.M | re.S)]


@pytest.fixture(scope="module")
def db(seeded_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("docs") / "fvkit.duckdb"
    shutil.copyfile(seeded_path, copy)
    return copy


def _all(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _local(utc: datetime, zone: str) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _busy_hour(con: duckdb.DuckDBPyConnection, got: list[tuple[Any, ...]]) -> None:
    zone = con.sql("SELECT time_zone FROM organisation_info").fetchall()[0][0]
    calls = _all(con, "SELECT start, billsec, duration FROM calls")
    per: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for c in calls:
        row = per[_local(c["start"], zone).hour]
        row[0] += 1
        row[1] += c["billsec"]
        row[2] += c["duration"]
    top = sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0]))[:5]
    assert [g[:2] for g in got] == [(h, v[0]) for h, v in top]
    for g, (_, v) in zip(got, top, strict=True):
        assert g[2] == pytest.approx(round(v[1] / 3600, 1), abs=0.051)
        assert g[3] == pytest.approx(round(v[2] / 3600, 1), abs=0.051)
        assert g[3] >= g[2]  # a call's line time includes its talk time


def _answer_rate(con: duckdb.DuckDBPyConnection, got: list[tuple[Any, ...]]) -> None:
    calls = _all(con, "SELECT direction, disposition, billsec, answer FROM calls WHERE call_type = 'Voice'")
    expected = []
    for direction in sorted({c["direction"] for c in calls}):
        mine = [c for c in calls if c["direction"] == direction]
        talked = [c["billsec"] for c in mine if c["answer"] is not None]
        rate = sum(c["disposition"] in ANSWERED for c in mine) / len(mine)
        expected.append((direction, len(mine), rate, sum(talked) / len(talked)))
    assert [g[:2] for g in got] == [e[:2] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[2] == pytest.approx(e[2], abs=0.0006)
        assert g[3] == pytest.approx(e[3], abs=0.051)


def _one_flow(con: duckdb.DuckDBPyConnection, got: list[tuple[Any, ...]]) -> None:
    flow = con.sql("SELECT seq, description FROM flow_event WHERE linkedid = $uid ORDER BY seq", params=_UID).fetchall()
    assert [(g[5], g[7]) for g in got] == flow
    assert len(flow) > 2


def _missed(con: duckdb.DuckDBPyConnection, got: list[tuple[Any, ...]]) -> None:
    users = {
        n: d for n, d, t in con.sql("SELECT number, department, ext_type FROM extensions").fetchall() if t == "User"
    }
    rows = con.sql("SELECT owner, placed, disposition FROM call_history").fetchall()
    counted = Counter(users[o] for o, placed, d in rows if not placed and d in MISSED and o in users)
    assert dict(got) == dict(counted)
    assert [g[1] for g in got] == sorted(counted.values(), reverse=True)


_UID: dict[str, str] = {}
SQL_CHECKS: list[Callable[[duckdb.DuckDBPyConnection, list[tuple[Any, ...]]], None]] = [
    _busy_hour,
    _answer_rate,
    _one_flow,
    _missed,
]


@pytest.mark.req("NB-2")
@pytest.mark.req("ANL-1")
def test_schema_md_sql_snippets_give_what_python_computes(db: Path) -> None:
    sql = [code for lang, code in _blocks(ROOT / "docs" / "SCHEMA.md") if lang == "sql"]
    assert len(sql) == len(SQL_CHECKS), "a new SQL snippet in docs/SCHEMA.md needs its check here"
    con = duckdb.connect(str(db), read_only=True)
    uid = con.sql("SELECT uniqueid FROM calls ORDER BY duration DESC, uniqueid LIMIT 1").fetchall()[0][0]
    _UID["uid"] = uid
    for code, check in zip(sql, SQL_CHECKS, strict=True):
        check(con, con.sql(code.replace("'1613165266.327'", f"'{uid}'")).fetchall())
    con.close()


@pytest.mark.req("NB-2")
@pytest.mark.req("ANL-1")
def test_schema_md_python_snippets_give_what_python_computes(db: Path) -> None:
    python = [code for lang, code in _blocks(ROOT / "docs" / "SCHEMA.md") if lang == "python"]
    assert len(python) == 2, "a new Python snippet in docs/SCHEMA.md needs its check here"
    first: dict[str, Any] = {}
    exec(python[0].replace(DB_IN_DOCS, str(db)), first)  # noqa: S102  # the docs' own snippet
    second: dict[str, Any] = {}
    exec(python[1].replace(DB_IN_DOCS, str(db)), second)  # noqa: S102
    first["con"].close()
    con = second["con"]
    calls = _all(con, "SELECT start, direction, disposition FROM calls")
    assert first["rows"] == [(len(calls),)]
    zone = con.sql("SELECT time_zone FROM organisation_info").fetchall()[0][0]
    by_day: dict[tuple[Any, str], list[int]] = defaultdict(lambda: [0, 0])
    for c in calls:
        cell = by_day[(_local(c["start"], zone).date(), c["direction"])]  # the LOCAL date, not the UTC one
        cell[0] += 1
        cell[1] += c["disposition"] == "Answered"
    per_day = second["per_day"]
    assert per_day.select("day", "direction", "calls").rows() == [(d, r, v[0]) for (d, r), v in sorted(by_day.items())]
    assert per_day["answered"].to_list() == pytest.approx([v[1] / v[0] for _, v in sorted(by_day.items())])
    longest = second["longest"]
    durations = sorted((d for o, d in con.sql("SELECT owner, duration FROM call_history").fetchall() if o == "7101"))
    assert longest["duration"].to_list() == durations[::-1][:10]
    con.close()


@pytest.mark.req("CH-7")
def test_readme_python_snippets_read_a_download_with_text_columns(seeded_path: Path, tmp_path: Path) -> None:
    python = [code for lang, code in _blocks(ROOT / "README.md") if lang == "python"]
    assert len(python) == 1, "a new Python snippet in README.md needs its check here"
    copy = tmp_path / "db.duckdb"
    shutil.copyfile(seeded_path, copy)
    store = Store(copy)
    user = acting_as(store, "7101")
    path = tmp_path / "calls.csv"
    path.write_bytes(download_all(store, user, query(user)))
    ids = sorted(r[0] for r in store.execute("SELECT uniqueid FROM cdr WHERE owner = '7101'").fetchall())
    store.close()
    import pandas as pd
    import polars as pl

    scope: dict[str, Any] = {"pd": pd, "pl": pl, "path": path}
    exec(python[0], scope)  # noqa: S102  # the README's own lines
    for frame in (scope["calls_pl"], pl.from_pandas(scope["calls_pd"])):
        assert all(t == pl.String for t in frame.schema.values())
        assert sorted(frame["Unique ID"].to_list()) == ids
