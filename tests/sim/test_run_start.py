"""Where a simulation run starts: the library decides, the CLI only passes today's date (SIM-2)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from fvkit.sim.run import Options, first_start, simulate
from fvkit.store import Store


@pytest.mark.req("SIM-2")
def test_first_start_of_an_empty_store_is_local_midnight_days_before_today() -> None:
    store = Store()
    try:
        # 30 days before 2026-07-31 is 2026-07-01; midnight in Los Angeles (PDT) is 07:00 UTC
        assert first_start(store, None, 30, date(2026, 7, 31)) == datetime(2026, 7, 1, 7, 0)
        assert first_start(store, date(2026, 12, 24), 30, date(2026, 7, 31)) == datetime(2026, 12, 24, 8, 0)
    finally:
        store.close()


@pytest.mark.req("SIM-2")
def test_first_start_resumes_where_the_last_run_ended(tmp_path: Path) -> None:
    store = Store(tmp_path / "resume.duckdb")
    try:
        simulate(store, datetime(2026, 10, 5, 7), seed=3, extensions=8, options=Options(days=1))
        assert first_start(store, None, 30, date(2027, 1, 1)) == datetime(2026, 10, 6, 7)
        assert first_start(store, date(2026, 11, 2), 30, date(2027, 1, 1)) == datetime(2026, 11, 2, 8)
    finally:
        store.close()
