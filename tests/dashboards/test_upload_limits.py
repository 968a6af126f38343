"""Every upload box states the guide's limit (issue 11, Feel): `max_upload_size` on each file_uploader.

Without it Streamlit's box says "200MB per file" beside a 5 MB or 10 MB rule and takes the file;
with it the box shows the real limit and refuses a larger file on upload (tests/e2e/test_upload_limits.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "dashboards" / "app_pages"


def _uploaders() -> list[tuple[str, int, set[str]]]:
    found = []
    for path in sorted(PAGES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "file_uploader"
            ):
                found.append((path.name, node.lineno, {k.arg for k in node.keywords if k.arg}))
    return found


@pytest.mark.req("VM-8")
@pytest.mark.req("HD-5")
@pytest.mark.req("REM-3")
def test_every_upload_box_states_its_limit() -> None:
    boxes = _uploaders()
    assert len(boxes) >= 7  # voicemail, call handling, reminder, preferences, contact, fax (2), conference
    missing = [f"{name}:{line}" for name, line, kwargs in boxes if "max_upload_size" not in kwargs]
    assert missing == []
