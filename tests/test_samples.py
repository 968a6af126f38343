"""The sample files in data/samples/ do what data/README.md promises a user who tries them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from fvkit.portal.auth import acting_as
from fvkit.sim.run import Options, simulate
from fvkit.store import Store
from pipelines import contacts
from pipelines.asterisk import import_master_csv

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.mark.req("PIPE-1")
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("google_contacts.csv", "4 of 5 imported"),
        ("outlook.csv", "3 of 3 imported"),
        ("plain.csv", "3 of 3 imported"),
        ("semicolon.csv", "2 of 2 imported"),
    ],
)
def test_sample_contacts_csv_imports_as_the_data_readme_says(seeded_store: Store, name: str, message: str) -> None:
    report = contacts.import_contacts(
        seeded_store, acting_as(seeded_store, "7101"), (SAMPLES / "contacts" / name).read_bytes()
    )
    assert report.message == message


def test_sample_contacts_are_every_sample_the_readme_lists() -> None:
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    files = sorted(p.relative_to(SAMPLES.parent).as_posix() for p in SAMPLES.rglob("*") if p.is_file())
    assert files and [f for f in files if f"`{f}`" not in readme] == []


@pytest.mark.slow
def test_sample_master_csv_imports_into_the_demo_organisation(tmp_path: Path) -> None:
    """`make demo` builds seed 1 with 200 extensions: every sample call is one of its extensions'."""
    store = Store(tmp_path / "demo.duckdb")
    try:
        simulate(store, datetime(2026, 10, 5, 7), seed=1, extensions=200, options=Options(days=0))
        result = import_master_csv(store, SAMPLES / "Master.csv")
        assert result.summary() == "40 calls imported, 0 skipped (already present), 0 bad rows"
    finally:
        store.close()
