"""The DuckDB store: migrations, the analyst schema as documented, transactions, locking."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pytest

from fvkit.store.db import MIGRATIONS, Store, StoreLocked
from fvkit.store.secrets import hash_secret, verify_secret

REPO = Path(__file__).resolve().parents[2]
SCHEMA_MD = REPO / "docs" / "SCHEMA.md"

#: The analyst views, column by column, in order, with their DuckDB types (docs/SCHEMA.md).
_TIME = "TIMESTAMP"
_CALL = [
    ("uniqueid", "VARCHAR"),
    ("linkedid", "VARCHAR"),
    ("start", _TIME),
    ("answer", _TIME),
    ("end", _TIME),
    ("duration", "INTEGER"),
    ("billsec", "INTEGER"),
    ("src", "VARCHAR"),
    ("dst", "VARCHAR"),
    ("from_name", "VARCHAR"),
    ("to_name", "VARCHAR"),
    ("direction", "VARCHAR"),
    ("disposition", "VARCHAR"),
    ("call_type", "VARCHAR"),
    ("trunk", "VARCHAR"),
    ("dnis", "VARCHAR"),
    ("destination", "VARCHAR"),
    ("department", "VARCHAR"),
    ("account_code", "VARCHAR"),
    ("caller_type", "VARCHAR"),
    ("answered_by", "VARCHAR"),
    ("ring_seconds", "INTEGER"),
    ("reached_voicemail", "BOOLEAN"),
    ("left_message", "BOOLEAN"),
    ("transferred_by", "VARCHAR"),
    ("transferred_to", "VARCHAR"),
    ("final_department", "VARCHAR"),
    ("start_local", _TIME),
    ("local_date", "DATE"),
]
VIEWS: dict[str, list[tuple[str, str]]] = {
    "calls": _CALL,
    "call_history": [("owner", "VARCHAR"), ("placed", "BOOLEAN"), *_CALL, ("time_zone", "VARCHAR")],
    "call_flow": [
        ("linkedid", "VARCHAR"),
        ("seq", "SMALLINT"),
        ("time", _TIME),
        ("description", "VARCHAR"),
    ],
    "voicemails": [
        ("id", "BIGINT"),
        ("owner", "VARCHAR"),
        ("linkedid", "VARCHAR"),
        ("caller", "VARCHAR"),
        ("caller_name", "VARCHAR"),
        ("received", _TIME),
        ("duration", "INTEGER"),
        ("urgent", "BOOLEAN"),
        ("is_new", "BOOLEAN"),
        ("forwarded_from", "VARCHAR"),
    ],
    "recordings": [
        ("id", "BIGINT"),
        ("owner", "VARCHAR"),
        ("linkedid", "VARCHAR"),
        ("peer", "VARCHAR"),
        ("peer_name", "VARCHAR"),
        ("started", _TIME),
        ("duration", "INTEGER"),
        ("paused", "VARCHAR"),
        ("forwarded_from", "VARCHAR"),
    ],
    "faxes": [
        ("id", "BIGINT"),
        ("owner", "VARCHAR"),
        ("box", "VARCHAR"),
        ("linkedid", "VARCHAR"),
        ("remote_number", "VARCHAR"),
        ("remote_name", "VARCHAR"),
        ("time", _TIME),
        ("pages", "INTEGER"),
        ("status", "VARCHAR"),
    ],
    "extensions": [
        ("number", "VARCHAR"),
        ("display_name", "VARCHAR"),
        ("ext_type", "VARCHAR"),
        ("department", "VARCHAR"),
        ("location", "VARCHAR"),
        ("email", "VARCHAR"),
        ("access_level", "VARCHAR"),
        ("privileges", "VARCHAR[]"),
        ("did", "VARCHAR"),
    ],
    "organisation_info": [
        ("name", "VARCHAR"),
        ("domain", "VARCHAR"),
        ("time_zone", "VARCHAR"),
        ("operator", "VARCHAR"),
        ("trunk_lines", "INTEGER"),
    ],
}


def _migration_files() -> list[tuple[int, str]]:
    names = sorted(p.name for p in resources.files(MIGRATIONS).iterdir())
    found = [(int(m.group(1)), n) for n in names if (m := re.match(r"^(\d{3})_[a-z0-9_]+\.sql$", n))]
    assert found, "no migrations found"
    return found


def _documented() -> dict[str, list[tuple[str, str]]]:
    """Parse docs/SCHEMA.md: a '### `view`' heading, then a '| `column` | `TYPE` | ...' table."""
    views: dict[str, list[tuple[str, str]]] = {}
    current: str | None = None
    for line in SCHEMA_MD.read_text(encoding="utf-8").splitlines():
        if head := re.match(r"^###\s+`(\w+)`", line):
            current = head.group(1)
            views[current] = []
        elif line.startswith("#"):
            current = None
        elif current and (row := re.match(r"^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|", line)):
            views[current].append((row.group(1), row.group(2)))
    return views


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.close()


@pytest.mark.req("SIM-3")
def test_migrations_apply_once_and_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "db" / "fvkit.duckdb"
    files = _migration_files()
    first = Store(path)
    assert first.schema_version() == max(v for v, _ in files)
    applied = first.execute("SELECT version, name, applied_at FROM schema_migration ORDER BY version").fetchall()
    assert [(v, n) for v, n, _ in applied] == files
    assert first.migrate() == []  # nothing left to apply in the same process
    first.close()

    second = Store(path)
    assert second.migrate() == []
    again = second.execute("SELECT version, name, applied_at FROM schema_migration ORDER BY version").fetchall()
    assert again == applied  # a second Store on the same file applied nothing
    assert second.schema_version() == max(v for v, _ in files)
    second.close()


@pytest.mark.req("NB-2")
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_analyst_view_has_the_documented_columns(store: Store, view: str) -> None:
    kinds = dict(store.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    assert kinds.get(view) == "VIEW"
    actual = [(r[0], r[1]) for r in store.execute(f"DESCRIBE {view}").fetchall()]
    assert actual == VIEWS[view]
    assert _documented().get(view) == actual, f"docs/SCHEMA.md is out of date for {view}"


@pytest.mark.req("NB-2")
def test_schema_md_documents_exactly_the_analyst_views() -> None:
    assert set(_documented()) == set(VIEWS)
    text = SCHEMA_MD.read_text(encoding="utf-8")
    for label in (
        "Answered",
        "Voicemail",
        "No Answer",
        "Busy",
        "Failed",
        "Denied",
        "Transferred - Blind",
        "Transferred - Attended",
        "Other",
        "Internal",
        "Outgoing",
        "Incoming",
    ):
        assert f"`{label}`" in text, label


@pytest.mark.req("PIPE-4")
def test_transaction_rolls_back_everything_on_an_exception(store: Store) -> None:
    with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
        tx.execute("INSERT INTO sim_state VALUES ('a', 1), ('b', 2)")
        store.append("sim_state", pa.table({"key": ["c"], "value": [3]}), tx)
        assert tx.execute("SELECT count(*) FROM sim_state").fetchone() == (3,)
        raise RuntimeError("boom")
    assert store.execute("SELECT count(*) FROM sim_state").fetchone() == (0,)
    with store.transaction() as tx:
        tx.execute("INSERT INTO sim_state VALUES ('a', 1)")
    assert store.execute("SELECT key, value FROM sim_state").fetchall() == [("a", 1)]


@pytest.mark.parametrize("name", ["sim_state; DROP TABLE cdr", "Sim_State", "main.sim_state", "", "cdr2"])
def test_append_rejects_a_bad_table_name(store: Store, name: str) -> None:
    with pytest.raises(ValueError, match="bad table name"):
        store.append(name, pa.table({"key": ["x"], "value": [1]}))
    assert store.execute("SELECT count(*) FROM sim_state").fetchone() == (0,)


def test_append_inserts_by_column_name(store: Store) -> None:
    store.append("sim_state", pa.table({"value": [7, 8], "key": ["x", "y"]}))
    assert store.execute("SELECT key, value FROM sim_state ORDER BY key").fetchall() == [("x", 7), ("y", 8)]


@pytest.fixture
def locked_db(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "locked.duckdb")
    Store(path).close()  # a migrated file, as the portal would hold it
    code = f"import duckdb,time; c=duckdb.connect({path!r}); print('ready', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        yield path
    finally:
        child.kill()
        child.wait(timeout=10)


def test_second_process_gets_store_locked(locked_db: str) -> None:
    with pytest.raises(StoreLocked, match="in use"):
        Store(locked_db)


def test_cli_says_the_file_is_in_use_in_one_line(locked_db: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fvkit.cli", "users", "--db", locked_db],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "in use" in lines[0]
    assert "Traceback" not in done.stderr


def test_store_is_usable_from_several_threads(store: Store) -> None:
    store.append("sim_state", pa.table({"key": [f"k{i:03}" for i in range(200)], "value": list(range(200))}))

    def work(worker: int) -> list[bool]:
        ok = []
        for i in range(50):
            n = worker * 50 + i
            if i % 2:
                got = store.arrow("SELECT count(*) AS n, sum(value) AS s FROM sim_state WHERE value < ?", [n])
                ok.append(got.to_pylist() == [{"n": n, "s": sum(range(n)) if n else None}])
            else:
                row = store.execute("SELECT value * 2 FROM sim_state WHERE key = ?", [f"k{n:03}"]).fetchone()
                ok.append(row == (n * 2,))
        return ok

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(4)))
    assert [all(r) and len(r) == 50 for r in results] == [True] * 4


@pytest.mark.req("AUTH-1")
def test_hash_secret_is_argon2id_and_never_holds_the_secret() -> None:
    stored = hash_secret("correct horse 7101")
    assert stored.startswith("$argon2id$")
    assert "correct horse 7101" not in stored
    assert hash_secret("correct horse 7101") != stored  # salted
    salt = bytes(range(16))
    assert hash_secret("1234", salt=salt) == hash_secret("1234", salt=salt)


@pytest.mark.req("AUTH-1")
@pytest.mark.parametrize(
    ("stored", "secret", "expected"),
    [
        ("right", "correct horse 7101", True),
        ("right", "Correct horse 7101", False),
        ("right", "", False),
        (None, "correct horse 7101", False),
        ("", "correct horse 7101", False),
        ("not-a-hash", "correct horse 7101", False),
    ],
)
def test_verify_secret(stored: str | None, secret: str, expected: bool) -> None:
    if stored == "right":
        stored = hash_secret("correct horse 7101")
    assert verify_secret(stored, secret) is expected
