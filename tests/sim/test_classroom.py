"""The classroom database the trainer notebooks start from."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from fvkit.portal import auth
from fvkit.sim.behaviour import presence
from fvkit.sim.classroom import CLASS_NOW, CLASS_PASSWORD, build_classroom

NOW = CLASS_NOW


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


@pytest.mark.req("NB-1")
def test_class_clock_is_monday_morning_at_the_desk_in_the_classrooms_time_zone(tmp_path: Path) -> None:
    store = build_classroom(tmp_path / "class.duckdb", CLASS_NOW, days=1)
    user = auth.sign_in(store, "7101", CLASS_PASSWORD, CLASS_NOW)
    store.close()
    local = CLASS_NOW.replace(tzinfo=UTC).astimezone(ZoneInfo(user.time_zone))
    assert (user.time_zone, local.weekday(), local.hour, local.minute) == ("America/Los_Angeles", 0, 9, 30)
    assert presence(np.array([local.weekday()]), np.array([local.hour]))[0] >= 0.9  # live calls find people in
