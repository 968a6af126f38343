"""User text shown through Markdown stays text (issue 13 item 6), in AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards.markdown import plain
from tests.dashboards.apptest import open_page

IMAGE = "![x](http://127.0.0.1:9/track.png)"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (IMAGE, "!\\[x\\](http\\://127.0.0.1:9/track.png)"),
        ("[t](http://evil.example)", "\\[t\\](http\\://evil.example)"),
        ("see www.evil.example", "see www\\.evil.example"),
        ("**bold** <b>x</b> :red[y] $x$", "\\*\\*bold\\*\\* \\<b>x\\</b> \\:red\\[y\\] \\$x\\$"),
        ("- not a list\n# not a heading\n> no quote", "\\- not a list\n\\# not a heading\n\\> no quote"),
        ("Preferences > Notification Options", "Preferences > Notification Options"),
        ("Juliet Higgins, +1 408 555 0100: 10:30.", "Juliet Higgins, +1 408 555 0100: 10:30."),
    ],
)
def test_plain_escapes_what_markdown_would_interpret(text: str, shown: str) -> None:
    assert plain(text) == shown


@pytest.mark.req("CT-4")
def test_a_markdown_image_in_a_contact_name_is_shown_as_text(portal_db: Path) -> None:
    at = open_page("contact")
    at.button(key="ct_new").click().run()
    at.text_input(key="ct_new_display_name").input(IMAGE)
    at.text_input(key="ct_new_main_number").input("(408) 555-0142")
    at.button(key="ct_new_create").click().run()
    shown = [e.value for e in at.success]
    assert shown == [f"Contact {plain(IMAGE)} created."]
    everything = [str(getattr(e, "value", "")) for e in at.main]
    assert not any("![x](" in text for text in everything)
