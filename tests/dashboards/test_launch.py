"""`fvkit serve` starts the portal with what its pages import already loaded (dashboards/launch.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from dashboards import launch
from fvkit.cli.main import streamlit_command


def test_page_imports_lists_the_projects_modules_the_pages_import() -> None:
    names = launch.page_imports()
    # `from fvkit.portal import call_history` names a module: it is warmed, with what it imports
    for module in ("fvkit.portal.call_history", "pipelines.fax", "fvkit.portal.analytics", "dashboards.session"):
        assert module in names, module
    assert "fvkit.portal.call_history.query" not in names  # a function, not a module
    # third-party modules are left to the page: a component registers with the server only there
    assert not [n for n in names if n.split(".")[0] not in launch.OURS]
    assert "dashboards.app" not in names and not [n for n in names if n.startswith("dashboards.app_pages")]


def test_page_imports_reads_a_new_pages_imports(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\nfrom fvkit.portal import fax, runtime\nfrom pipelines.fax import render\n"
        "from fvkit.domain.calls import Direction\nimport fvkit.portal.voicemail\n",
        encoding="utf-8",
    )
    assert launch.page_imports([page]) == [
        "fvkit.portal",
        "fvkit.portal.fax",
        "fvkit.portal.runtime",
        "pipelines.fax",
        "fvkit.domain.calls",
        "fvkit.portal.voicemail",
    ]


def test_warm_loads_the_heavy_libraries_but_no_component_in_a_fresh_process() -> None:
    code = (
        "import sys\n"
        "from dashboards.launch import warm\n"
        "failed, _ = warm()\n"
        "print(failed, *(m in sys.modules for m in ('pandas', 'pypdf', 'plotly.graph_objs._figure',"
        " 'jinja2', 'streamlit_calendar')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["[]", "True", "True", "True", "True", "False"]


def test_warm_reports_a_module_that_fails_and_goes_on() -> None:
    try:
        failed, _ = launch.warm(["fvkit_no_such_module", "fvkit.domain.calls"])
    finally:
        gc.unfreeze()  # warm() freezes what is alive: give this test process its objects back
    assert failed == ["fvkit_no_such_module"]
    assert "fvkit.domain.calls" in sys.modules


def test_serve_runs_streamlit_through_the_launcher() -> None:
    cmd = streamlit_command("127.0.0.1", 8599)
    assert cmd[1:4] == ["-m", "dashboards.launch", "run"]
    assert cmd[4].endswith("dashboards/app.py")
