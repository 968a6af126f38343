"""The `fvkit` command line: one module per command group, registered on `main`."""

from fvkit.cli.main import main

__all__ = ["main"]
