"""Every notebook: named in reading order, says who it is for, stripped, executed by a test, listed in the README."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.notebooks.harness import NOTEBOOKS

ROOT = NOTEBOOKS.parent
ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
TESTS = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py") if p.name != Path(__file__).name)


def test_the_notebooks_cover_getting_started_every_chapter_and_the_analysts() -> None:
    chapters = ["call-history", "voicemail", "contact", "call-handling", "call-recording"]
    chapters += ["fax", "conference", "reminder", "device", "preferences"]
    topics = [re.sub(r"^\d\d-|\.ipynb$", "", n) for n in ALL]
    assert topics[0] == "getting-started"
    assert topics[1:11] == chapters  # the guide's chapter order
    assert len(topics) >= 13  # and the analysts' notebooks after them


@pytest.mark.parametrize("name", ALL)
def test_notebook_is_named_stripped_and_introduced(name: str) -> None:
    assert re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", name)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "**For:**" in first.source and "**You will learn:**" in first.source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "commit notebooks with outputs stripped"
            # no reusable functions: a function needed twice belongs in fvkit
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), cell.source


@pytest.mark.parametrize("name", ALL)
def test_notebook_is_executed_by_a_test_and_listed_in_the_readme(name: str) -> None:
    assert f'"{name}"' in TESTS
    assert f"notebooks/{name}" in (ROOT / "README.md").read_text()
