"""`python -m fvkit.cli`."""

from fvkit.cli import main

main()
