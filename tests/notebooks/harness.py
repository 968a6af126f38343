"""Run a notebook top to bottom in a fresh kernel and read back what its cells printed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
BUDGET_S = 60.0  # issue 6: each notebook runs in under a minute


@dataclass(frozen=True, slots=True)
class Run:
    """An executed notebook and how long it took."""

    nb: nbformat.NotebookNode
    seconds: float

    def cells(self, tag: str) -> list[nbformat.NotebookNode]:
        """Return the code cells carrying a tag (cell metadata `tags`)."""
        found = [c for c in self.nb.cells if tag in c.get("metadata", {}).get("tags", [])]
        assert found, f"no cell tagged {tag!r}"
        return found

    def text(self, tag: str) -> str:
        """Return the plain text the tagged cells printed or displayed."""
        parts: list[str] = []
        for cell in self.cells(tag):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream":
                    parts.append(out["text"])
                elif "data" in out and "text/plain" in out["data"]:
                    parts.append(out["data"]["text/plain"])
        return "".join(parts)

    def mime(self, tag: str, mime_type: str) -> list[object]:
        """Return every output of the tagged cells in one MIME type (e.g. plotly JSON, audio HTML)."""
        return [
            out["data"][mime_type]
            for cell in self.cells(tag)
            for out in cell.get("outputs", [])
            if mime_type in out.get("data", {})
        ]


def run(name: str, workdir: Path) -> Run:
    """Execute notebooks/<name> with the notebooks folder as its working directory.

    The caller sets FVKIT_DB / FVKIT_NOTEBOOK_DATA / FVKIT_OUTBOX in the environment first
    (monkeypatch.setenv): the kernel inherits them. A failing cell raises CellExecutionError
    with its traceback.
    """
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        nb,
        timeout=int(BUDGET_S),
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    (workdir / name).write_text(nbformat.writes(nb))  # the executed copy, for a human to open on failure
    return Run(nb, seconds)


def run_isolated(name: str, workdir: Path, **env: str) -> Run:
    """Execute a notebook with its data folder and outbox under `workdir` and no SMTP host.

    For module-scoped fixtures, which cannot use the function-scoped `monkeypatch`: the
    variables are set for the run only. `env` adds more (FVKIT_DB=...).
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FVKIT_NOTEBOOK_DATA", str(workdir / "data"))
        mp.setenv("FVKIT_OUTBOX", str(workdir / "outbox"))
        mp.delenv("FVKIT_SMTP_HOST", raising=False)
        for key, value in env.items():
            mp.setenv(key, value)
        return run(name, workdir)


@dataclass(frozen=True, slots=True)
class Lesson:
    """A trainer notebook run in a folder of its own: its outputs, its database and its outbox."""

    run: Run
    workdir: Path
    name: str

    @property
    def db(self) -> Path:
        """Return the classroom database the notebook built (DATA / "<name>.duckdb")."""
        return self.workdir / "data" / self.name.replace(".ipynb", ".duckdb")

    @property
    def outbox(self) -> Path:
        """Return the folder the notebook's emails landed in."""
        return self.workdir / "outbox"
