"""The house rules CI enforces: layers, lint, types, requirement markers, thin pages, a true README."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_layers_import_linter_contracts_kept() -> None:
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_ruff_lint_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format_clean() -> None:
    result = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
def test_mypy_strict_clean() -> None:
    result = _run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-3000:]


# --- requirement markers: every ID tested, every marker known --------------------------------

REQUIREMENTS = ROOT / "docs" / "REQUIREMENTS.md"
SPEC = ROOT.parent / "shared" / "spec" / "PORTAL.md"  # the full list, beside a work tree (not a plain clone)
_ID_LINE = re.compile(r"^- ([A-Z]+-\d+) ", flags=re.M)
_MARKER = re.compile(r"""mark\.req\(\s*["']([^"']+)["']""")


def requirement_ids(text: str) -> list[str]:
    """Return the IDs a requirement list defines, one per `- ID text` line, in order."""
    return _ID_LINE.findall(text)


def markers(tests: Path) -> dict[str, list[str]]:
    """Return each requirement marker's ID with the test files naming it."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests.rglob("*.py")):
        for rid in _MARKER.findall(path.read_text(encoding="utf-8")):
            found.setdefault(rid, []).append(path.relative_to(tests).as_posix())
    return found


def marker_problems(ids: list[str], used: dict[str, list[str]]) -> list[str]:
    """Return what is wrong between a requirement list and the markers: untested IDs, unknown markers."""
    problems = [f"{rid} is named by no test" for rid in ids if rid not in used]
    problems += [
        f"{rid} (in {', '.join(sorted(set(files)))}) is no requirement" for rid, files in used.items() if rid not in ids
    ]
    return problems


def test_requirement_list_is_in_the_repo_with_unique_ids() -> None:
    ids = requirement_ids(REQUIREMENTS.read_text(encoding="utf-8"))
    assert len(ids) >= 100
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_requirement_has_a_test_and_every_marker_a_requirement() -> None:
    ids = requirement_ids(REQUIREMENTS.read_text(encoding="utf-8"))
    assert marker_problems(ids, markers(ROOT / "tests")) == []


def test_requirement_list_matches_the_full_spec_when_it_is_beside_us() -> None:
    """docs/REQUIREMENTS.md keeps the spec's IDs; checked only where the spec is present (a work tree, CI)."""
    if not SPEC.exists():
        return  # a plain clone: the repo's own list is the reference, checked above
    assert requirement_ids(REQUIREMENTS.read_text(encoding="utf-8")) == requirement_ids(
        SPEC.read_text(encoding="utf-8")
    )


def test_marker_check_fails_when_an_id_loses_its_last_test(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text('@pytest.mark.req("CH-1")\n@pytest.mark.req("CH-2")\n', encoding="utf-8")
    (tmp_path / "test_b.py").write_text("@pytest.mark.req('CH-2')\n@pytest.mark.req(\"XX-9\")\n", encoding="utf-8")
    ids = requirement_ids("- CH-1 List.\n- CH-2 Match.\n- CH-3 Call back.\n")
    assert marker_problems(ids, markers(tmp_path)) == [
        "CH-3 is named by no test",
        "XX-9 (in test_b.py) is no requirement",
    ]
    (tmp_path / "test_a.py").write_text('@pytest.mark.req("CH-2")\n', encoding="utf-8")
    assert "CH-1 is named by no test" in marker_problems(ids, markers(tmp_path))


# --- pages reach the store and the simulator only through fvkit.portal ----------------------

FORBIDDEN_FOR_PAGES = ("fvkit.store", "fvkit.sim")


def _forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN_FOR_PAGES)


def forbidden_imports(source: str) -> list[str]:
    """Return the modules under fvkit.store or fvkit.sim that a Python source imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if _forbidden(node.module) else [f"{node.module}.{a.name}" for a in node.names]
        found += [n for n in names if _forbidden(n)]
    return sorted(set(found))


def test_pages_never_import_the_store_or_the_simulator() -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): bad
        for path in sorted((ROOT / "dashboards").rglob("*.py"))
        if (bad := forbidden_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_page_import_check_catches_store_and_sim_imports() -> None:
    assert forbidden_imports("from fvkit.store.history import SEARCH_FIELDS\n") == ["fvkit.store.history"]
    assert forbidden_imports("from fvkit import sim\n") == ["fvkit.sim"]
    assert forbidden_imports("import fvkit.store.db as db\n") == ["fvkit.store.db"]
    assert forbidden_imports("from fvkit.portal import call_history\nfrom fvkit.portal.runtime import Store\n") == []


def test_import_linter_forbids_pages_the_store_and_the_simulator() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    forbidden = [c for c in contracts if c["type"] == "forbidden" and c["source_modules"] == ["dashboards"]]
    assert [sorted(c["forbidden_modules"]) for c in forbidden] == [sorted(FORBIDDEN_FOR_PAGES)]


# --- the README tells the truth -------------------------------------------------------------


def test_readme_command_reference_is_what_the_cli_says() -> None:
    """The block is generated by `python -m fvkit.cli.reference README.md`; run it after changing a command."""
    from fvkit.cli.reference import BEGIN, END, reference

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(BEGIN) : readme.index(END) + len(END)]
    assert block == reference()


def test_readme_command_reference_check_notices_a_missing_command() -> None:
    from fvkit.cli.reference import reference, replace_block

    current = reference()
    stale = replace_block(f"intro\n{current}\nmore", current.replace("fvkit lake export", "fvkit lake exprot"))
    assert current not in stale


def test_readme_documents_every_environment_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    used: set[str] = set()
    for folder in ("fvkit", "dashboards", "pipelines", "notebooks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".ipynb"):
                used |= set(re.findall(r"\bFVKIT_[A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8")))  # not FVKIT_SMTP_*
    assert used
    assert sorted(v for v in used if f"`{v}`" not in readme) == []


def test_readme_layout_names_every_top_level_folder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :].split("\n## ")[0]
    tracked = _run("git", "ls-files").stdout.split()
    folders = {p.split("/")[0] for p in tracked if "/" in p}
    assert folders, "not a git checkout"
    assert sorted(f for f in folders if f"{f}/" not in layout) == []


# --- no module over ~500 lines -------------------------------------------------------------


def test_no_module_is_over_500_lines() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): n
        for folder in ("fvkit", "pipelines", "dashboards")
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


# --- one definition per rule -----------------------------------------------------------------

#: where each rule may be written; anywhere else in fvkit, pipelines or dashboards it is a copy
ONE_HOME = {
    r"\bZoneInfo\(|\.astimezone\(": {"fvkit/domain/clock.py", "fvkit/domain/recurrence.py", "fvkit/sim/traffic.py"},
    r"\brrulestr\(|\bMAX_OCCURRENCES\s*=": {"fvkit/domain/recurrence.py", "fvkit/domain/limits.py"},
    r"\bdatetime\.now\(": {"dashboards/session.py", "fvkit/cli/main.py", "fvkit/store/db.py"},
    r"\bDEFAULT_DB\s*=": {"fvkit/store/db.py"},
    r"\bTAKEN\s*[:=]": {"fvkit/domain/calls.py"},
    r"#2e7d32": {"fvkit/domain/prefs.py"},
    r"\bdef _now\(": set(),
}
# NOTE: fvkit/sim/traffic.py still converts zones itself; the simulator's engineer moves it onto
# fvkit.domain.clock with the traffic generator's rework.


@pytest.mark.parametrize("pattern", list(ONE_HOME))
def test_each_rule_is_written_once(pattern: str) -> None:
    found = {
        path.relative_to(ROOT).as_posix()
        for folder in ("fvkit", "pipelines", "dashboards")
        for path in (ROOT / folder).rglob("*.py")
        if re.search(pattern, path.read_text(encoding="utf-8"))
    }
    assert sorted(found - ONE_HOME[pattern]) == []


def test_migrations_are_numbered_without_gaps_from_011_on() -> None:
    """001-011 keep the gaps they have (005, 006, 008 are unused); every later number follows on."""
    numbers = sorted(int(p.name[:3]) for p in (ROOT / "fvkit" / "store" / "migrations").glob("[0-9][0-9][0-9]_*.sql"))
    assert len(numbers) == len(set(numbers))
    later = [n for n in numbers if n >= 11]
    assert later == list(range(11, 11 + len(later)))


def test_streamlit_config_uses_the_default_themes_colour() -> None:
    """`streamlit run` outside `fvkit serve` reads .streamlit/config.toml; its colour is the domain's."""
    from fvkit.domain.prefs import DEFAULT_THEME, THEME_COLORS

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["theme"]["primaryColor"] == THEME_COLORS[DEFAULT_THEME]
