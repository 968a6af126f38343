"""Open a portal page in AppTest as a signed-in user: one way, used by the page tests."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import SEED_PASSWORD

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def open_page(slug: str, number: str = "7101", password: str = SEED_PASSWORD) -> AppTest:
    """Sign in to the portal on $FVKIT_DB and open `dashboards/app_pages/<slug>.py`."""
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.text_input(key="signin_extension").input(number)
    at.text_input(key="signin_password").input(password)
    at.button[0].click().run()
    at.switch_page(f"app_pages/{slug}.py").run()
    assert not at.exception, at.exception
    return at
