"""The classroom database the trainer notebooks start from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from fvkit.portal import auth
from fvkit.sim.classroom import CLASS_PASSWORD, build_classroom

NOW = datetime(2026, 11, 2, 9, 30)


@pytest.mark.req("NB-1")
def test_build_classroom_replaces_the_database_with_the_same_calls_each_time(tmp_path: Path) -> None:
    path = tmp_path / "class" / "02-call-history.duckdb"
    store = build_classroom(path, NOW, days=1)
    first = store.execute("SELECT count(*), max(start_time) FROM cdr").fetchone()
    auth.sign_in(store, "7101", CLASS_PASSWORD, NOW)  # the trainees' password signs in
    store.execute("DELETE FROM cdr")
    store.close()

    again = build_classroom(path, NOW, days=1)
    assert again.execute("SELECT count(*), max(start_time) FROM cdr").fetchone() == first
    assert first is not None and first[0] > 0 and first[1] < NOW
    again.close()
