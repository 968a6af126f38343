"""The house rules CI enforces: layers (import-linter), ruff, mypy, and the marker on every test."""

from __future__ import annotations

import re
import subprocess
import sys
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


def test_every_marker_names_a_spec_requirement() -> None:
    """Every requirement marker must name an ID that PORTAL.md defines (when the spec is beside us)."""
    spec = ROOT.parent / "shared" / "spec" / "PORTAL.md"
    if not spec.exists():
        pytest.skip("shared/spec/PORTAL.md is not beside this checkout")
    ids = set(re.findall(r"^- ([A-Z]+-\d+)", spec.read_text(encoding="utf-8"), flags=re.M))
    used = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        used |= set(re.findall(r'req\(\s*"([A-Z]+-\d+)"', path.read_text(encoding="utf-8")))
    assert used, "no requirement markers found"
    assert used <= ids, f"markers naming no requirement: {sorted(used - ids)}"
