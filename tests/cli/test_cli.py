"""The `fvkit` command line, in-process with click's CliRunner: every command's help and its errors."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from fvkit.cli import main
from fvkit.portal.auth import SignInError, sign_in
from fvkit.store import DEFAULT_DB, Store

CLI_DIR = Path(__file__).resolve().parents[2] / "fvkit" / "cli"
NOW = datetime(2026, 10, 6, 12, 0)


def commands(
    group: click.Group = main, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Yield every command and group under `group` with the words that invoke it."""
    for name, command in sorted(group.commands.items()):
        words = (*prefix, name)
        yield words, command
        if isinstance(command, click.Group):
            yield from commands(command, words)


ALL = list(commands())


def invoke(*args: str) -> Result:
    """Run `fvkit ARGS` in-process; help is laid out on one wide line per option."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False, terminal_width=240, max_content_width=240)


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the seeded database under an unusual name; the working directory is empty."""
    copy = tmp_path / "elsewhere" / "org.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(seeded_path, copy)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return copy


def _signs_in(path: Path, ext: str, password: str) -> bool:
    store = Store(path)  # signing in writes the sign-in state
    try:
        sign_in(store, ext, password, NOW)
    except SignInError:
        return False
    finally:
        store.close()
    return True


def test_cli_lists_every_command_group() -> None:
    names = {" ".join(words) for words, _ in ALL}
    assert {"simulate", "users", "users set-password", "users welcome", "serve", "contacts import"} <= names
    assert {"contacts export", "calls download", "cdr export-asterisk", "cdr import-asterisk", "lake export"} <= names


@pytest.mark.parametrize(("words", "command"), ALL, ids=[" ".join(w) for w, _ in ALL])
def test_cli_help_of_every_command_shows_its_purpose_and_options(
    words: tuple[str, ...], command: click.Command
) -> None:
    result = invoke(*words, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: main {' '.join(words)}")
    summary = (command.help or "").strip().splitlines()[0]
    assert summary and summary in " ".join(result.output.split())
    if not isinstance(command, click.Group) or command.params:
        assert "--help" in result.output
    if any(p.name == "db" for p in command.params):
        assert "--db PATH" in result.output and DEFAULT_DB in result.output


@pytest.mark.parametrize(
    "words",
    [w for w, c in ALL if any(p.name == "db" for p in c.params) and w[0] not in ("simulate",)],
    ids=lambda w: " ".join(w),
)
def test_cli_commands_refuse_a_missing_database_in_one_line(
    words: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = {
        ("users", "set-password"): ["7101", "longenough"],
        ("users", "welcome"): ["7101"],
        ("contacts", "import"): ["--ext", "7101", __file__],
        ("contacts", "export"): ["--ext", "7101", "-o", "out.csv"],
        ("calls", "download"): ["--ext", "7101", "-o", "out.csv"],
        ("cdr", "export-asterisk"): ["-o", "Master.csv"],
        ("cdr", "import-asterisk"): [__file__],
        ("lake", "export"): ["--out", "lake"],
        ("report",): ["hourly"],
    }.get(words, [])
    result = CliRunner().invoke(main, [*words, "--db", "nowhere.duckdb", *args])
    assert result.exit_code == 1
    assert result.output == (
        "Error: nowhere.duckdb does not exist: build it first with `fvkit simulate --db nowhere.duckdb`\n"
    )
    assert not (tmp_path / "nowhere.duckdb").exists()


@pytest.mark.req("AUTH-1")
def test_users_set_password_uses_the_groups_db(db: Path) -> None:
    """`fvkit users --db X set-password` changes X, never data/fvkit.duckdb."""
    result = invoke("users", "--db", str(db), "set-password", "7101", "new-secret-1")
    assert result.exit_code == 0, result.output
    assert result.output == f"password set for 7101 in {db}; its sessions and Remember-me tokens are ended\n"
    assert _signs_in(db, "7101", "new-secret-1")
    assert not Path(DEFAULT_DB).exists()


@pytest.mark.req("AUTH-1")
def test_users_set_password_takes_its_own_db_too(db: Path) -> None:
    result = invoke("users", "set-password", "--db", str(db), "7102", "new-secret-2")
    assert result.exit_code == 0, result.output
    assert _signs_in(db, "7102", "new-secret-2")


@pytest.mark.req("PREF-4")
def test_users_set_password_applies_the_portals_password_rule(db: Path) -> None:
    result = CliRunner().invoke(main, ["users", "set-password", "--db", str(db), "7101", "short"])
    assert result.exit_code == 2
    assert "Invalid value for PASSWORD: The new password must have 8-128 characters." in result.output
    result = CliRunner().invoke(main, ["users", "set-password", "--db", str(db), "7101", "x" * 129])
    assert result.exit_code == 2
    assert _signs_in(db, "7101", "password1")  # unchanged


def test_users_set_password_refuses_an_unknown_extension(db: Path) -> None:
    result = CliRunner().invoke(main, ["users", "--db", str(db), "set-password", "9999", "long-enough"])
    assert result.exit_code == 1
    assert result.output == "Error: no extension 9999\n"


@pytest.mark.req("ORG-1")
def test_users_lists_who_may_sign_in(db: Path) -> None:
    result = invoke("users", "--db", str(db))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["extension", "name", "department", "access", "password"]
    assert lines[1].startswith("7101 ")
    assert lines[-1].startswith(f"{len(lines) - 2} users. Set a password: fvkit users set-password --db {db}")


@pytest.mark.req("SIM-1")
def test_simulate_refuses_too_few_extensions_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "new.duckdb"
    result = CliRunner().invoke(main, ["simulate", "--db", str(target), "--extensions", "5", "--days", "1"])
    assert result.exit_code == 1
    assert result.output == "Error: an organisation needs at least 8 extensions\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.req("PREF-4")
def test_simulate_refuses_a_short_password_before_creating_anything(tmp_path: Path) -> None:
    target = tmp_path / "new.duckdb"
    result = CliRunner().invoke(main, ["simulate", "--db", str(target), "--password", "short"])
    assert result.exit_code == 2
    assert "Invalid value for --password: The new password must have 8-128 characters." in result.output
    assert not target.exists()


@pytest.mark.req("SIM-4")
def test_simulate_study_trunk_is_refused_with_a_line_count_or_on_an_existing_file(tmp_path: Path, db: Path) -> None:
    target = tmp_path / "new.duckdb"
    result = CliRunner().invoke(main, ["simulate", "--db", str(target), "--study-trunk", "--trunk-lines", "9"])
    assert result.exit_code == 2
    assert "it sizes the trunk itself: leave out --trunk-lines" in result.output
    assert not target.exists()
    before = db.read_bytes()
    result = CliRunner().invoke(main, ["simulate", "--db", str(db), "--study-trunk"])
    assert result.exit_code == 2
    assert f"--study-trunk is for a new organisation; {db} exists: its trunk stays" in " ".join(result.output.split())
    assert db.read_bytes() == before


def test_serve_refuses_a_bad_speed_and_a_missing_file(db: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(db), "--live", "--speed", "0"])
    assert result.exit_code == 2
    assert "Invalid value for --speed: must be above 0" in result.output


def test_contacts_import_refuses_a_bad_mapping(db: Path) -> None:
    csv = Path(__file__).resolve().parents[1] / "pipelines" / "data" / "plain.csv"
    result = CliRunner().invoke(main, ["contacts", "import", "--db", str(db), "--ext", "7101", "--map", "x", str(csv)])
    assert result.exit_code == 2
    assert "'x': write FIELD=COLUMN with FIELD one of" in result.output


def test_calls_download_refuses_an_unknown_extension(db: Path) -> None:
    result = CliRunner().invoke(main, ["calls", "download", "--db", str(db), "--ext", "9999", "-o", "out.csv"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "9999" in result.output
    assert not Path("out.csv").exists()


def test_cdr_import_refuses_a_file_that_is_not_master_csv(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["cdr", "import-asterisk", "--db", str(db), str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_cli_command_modules_never_import_the_entry_module() -> None:
    """Subcommand modules share `fvkit.cli.options`; importing `fvkit.cli.main` back would be a cycle."""
    offenders = []
    for path in sorted(CLI_DIR.glob("*.py")):
        if path.name in ("__init__.py", "__main__.py", "main.py", "reference.py"):
            continue  # reference.py documents main (main never imports it): no cycle
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "fvkit.cli.main":
                offenders.append(path.name)
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DEFAULT_DB" for t in node.targets):
                offenders.append(f"{path.name} defines DEFAULT_DB")
    assert offenders == []
