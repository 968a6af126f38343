"""`fvkit simulate --study-trunk`: the Erlang B trunk checked on the simulated busy hour (SIM-4, issue 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fvkit.cli import main
from fvkit.sim.org import user_count
from fvkit.sim.run import default_trunk_lines
from fvkit.store import Store
from fvkit.store.realism import busy_hour_blocking

ERLANG_B_LINES = default_trunk_lines(user_count(200), 8.0)


def _study(tmp_path: Path, start: str) -> tuple[str, Path]:
    db = tmp_path / "demo.duckdb"
    args = ["simulate", "--db", str(db), "--seed", "1", "--days", "7", "--start", start, "--study-trunk"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output, db


def _lines_and_blocking(db: Path) -> tuple[int, float | None]:
    store = Store(db, read_only=True)
    try:
        row = store.execute("SELECT lines FROM trunk").fetchone()
        assert row is not None
        return int(row[0]), busy_hour_blocking(store)
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.req("SIM-4")
def test_study_trunk_adds_a_line_when_the_busy_hour_blocks_too_much(tmp_path: Path) -> None:
    # the week of 13 April: Erlang B's 11 lines block 2.5% of the busy hour's outside calls
    output, db = _study(tmp_path, "2026-04-13")
    said = next(line for line in output.splitlines() if line.startswith("trunk sized by Erlang B"))
    runs = said.split(": ", 1)[1].split("; ")
    assert len(runs) == 2
    assert runs[0] == f"{ERLANG_B_LINES} lines: 2.5% blocked in the busy hour"
    assert runs[1].startswith(f"{ERLANG_B_LINES + 1} lines: ")
    lines, blocked = _lines_and_blocking(db)
    assert lines == ERLANG_B_LINES + 1
    assert blocked is not None and 0.005 <= blocked <= 0.02
    assert runs[1] == f"{lines} lines: {blocked:.1%} blocked in the busy hour"
    assert f"organisation created: 200 extensions, {lines} trunk lines (seed 1)" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]  # the first run's file is gone


@pytest.mark.slow
@pytest.mark.req("SIM-4")
def test_study_trunk_removes_a_line_when_the_busy_hour_blocks_too_little(tmp_path: Path) -> None:
    # the week of 6 April: 11 lines block 0.4%
    output, db = _study(tmp_path, "2026-04-06")
    lines, blocked = _lines_and_blocking(db)
    assert lines == ERLANG_B_LINES - 1
    assert blocked is not None and 0.005 <= blocked <= 0.02
    assert f"{ERLANG_B_LINES} lines: 0.4% blocked in the busy hour; {lines} lines: {blocked:.1%} blocked" in output


@pytest.mark.slow
@pytest.mark.req("SIM-4")
def test_study_trunk_keeps_erlang_b_when_the_busy_hour_is_inside_the_band(tmp_path: Path) -> None:
    # the week of 1 June: 11 lines block 1.5%
    output, db = _study(tmp_path, "2026-06-01")
    assert _lines_and_blocking(db)[0] == ERLANG_B_LINES
    assert f"checked on the busy hour of the simulated days: {ERLANG_B_LINES} lines: 1.5% blocked" in output
