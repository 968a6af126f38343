"""Start the portal's server with what its pages import already loaded (`fvkit serve` runs this).

Run: `python -m dashboards.launch run dashboards/app.py [streamlit options]` - the same arguments
as `streamlit run`. Before the server listens it imports every module the entry file and the
pages import (read from their source, so a page's new import is warmed too) and pandas, which
Streamlit loads on the first table it draws. Without this, the first visit to each page after
a start pays those imports in its click: pandas ~0.2 s (the first list), pypdf ~50 ms (Fax),
more on a loaded machine. Warming costs nothing per click and does not delay the first page
load: the server accepts no connection until it is done. What the imports left alive is then
frozen out of garbage collection (see `dashboards.gc_freeze`).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
import sys
import time
from pathlib import Path

from dashboards.gc_freeze import freeze_imports

PAGES = Path(__file__).parent / "app_pages"
ENTRY = Path(__file__).parent / "app.py"
OURS = ("fvkit", "pipelines", "dashboards")
#: loaded on first use, not imported by a page: pandas for the first table, its Styler (Voicemail)
ALSO = ("pandas", "pyarrow.pandas_compat", "pandas.io.formats.style")
_LOG = logging.getLogger("fvkit.portal")


def page_imports(files: list[Path] | None = None) -> list[str]:
    """Return the project's modules the entry file and the pages import, in first-seen order.

    Only the project's own (OURS): they import the heavy libraries they need. A third-party
    module is left to the page, where it runs inside a script run - a Streamlit component
    (streamlit_calendar) registers its files with the server only when imported there.
    """
    names: dict[str, None] = {}
    for path in files if files is not None else [ENTRY, *sorted(PAGES.glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update((alias.name, None) for alias in node.names if _ours(alias.name))
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and _ours(node.module):
                names[node.module] = None
                # `from fvkit.portal import call_history`: the names may be modules themselves
                names.update(
                    (f"{node.module}.{alias.name}", None) for alias in node.names if _is_module(node.module, alias.name)
                )
    return list(names)


def _ours(module: str) -> bool:
    """Return whether `module` is one of the project's, other than the entry file, the pages and this launcher."""
    if module.split(".", 1)[0] not in OURS:
        return False
    return module not in ("dashboards.app", __name__, "dashboards.launch") and not module.startswith(
        "dashboards.app_pages"
    )


def _is_module(package: str, name: str) -> bool:
    """Return whether `package.name` is a module (without importing it), not a name defined in `package`."""
    try:
        return importlib.util.find_spec(f"{package}.{name}") is not None
    except (ImportError, AttributeError, ValueError):  # `package` is a plain module: `name` is an attribute
        return False


def warm(modules: list[str] | None = None) -> tuple[list[str], float]:
    """Import `modules` (default: the pages' imports and ALSO); return those that failed and the seconds taken.

    A module that fails to import is left for the page to report when it runs: a warm-up never
    stops the portal from starting.
    """
    began = time.perf_counter()
    failed = []
    for name in modules if modules is not None else [*page_imports(), *ALSO]:
        try:
            importlib.import_module(name)
        except Exception:  # the page shows its own error when it runs; the server still starts
            failed.append(name)
    if modules is None:
        _warm_plotly()
    freeze_imports()  # the first run then has nothing new to freeze
    return failed, time.perf_counter() - began


def _warm_plotly() -> None:
    """Draw and serialise a small figure of each trace kind the portal uses (Analytics, the call flow).

    plotly loads each trace's and layout part's class on first use (~40 modules): the first chart
    after a start would pay that.
    """
    import plotly.colors
    import plotly.graph_objects as go
    import plotly.io

    figure = go.Figure(
        [
            go.Scatter(x=[0], y=[0], mode="lines+markers", name="a", line={"color": "red"}),
            go.Bar(x=[0], y=[0], marker={"color": "red"}),
            go.Heatmap(z=[[0]]),
            go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1]}),
        ]
    )
    figure.update_layout(
        title="a", margin={"t": 0}, font={"size": 12}, xaxis={"title": "a"}, yaxis={"title": "a"}, legend={"x": 0}
    )
    figure.add_shape(type="line", x0=0, x1=1, y0=0, y1=1, line={"color": "red"})
    figure.add_annotation(x=0, y=0, text="a")
    plotly.colors.qualitative.Plotly  # noqa: B018  # the colour scales load on first use
    plotly.io.to_json(figure, validate=False)


def main() -> None:
    """Warm the imports, then hand over to `streamlit` with this process's arguments."""
    failed, seconds = warm()
    if failed:
        _LOG.warning("warm-up could not import %s; their pages will say why", ", ".join(failed))
    print(f"portal modules loaded in {seconds:.1f} s", file=sys.stderr, flush=True)
    from streamlit.web import cli

    sys.argv[0] = "streamlit"
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
