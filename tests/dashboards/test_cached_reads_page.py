"""A write in one browser session shows in another on its next interaction, with reads kept between writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboards.apptest import open_page

DND_BADGE = ":red-badge[⛔ DND]"


def _markdown(at: object) -> list[str]:
    return [m.value for m in at.markdown]  # type: ignore[attr-defined]


@pytest.mark.req("HOME-2")
@pytest.mark.req("HD-1")
def test_dnd_set_in_one_session_shows_in_the_header_of_another_on_its_next_click(db: Path) -> None:
    watcher = open_page("contact")
    assert DND_BADGE not in _markdown(watcher)
    watcher.run()  # a rerun with nothing written: the kept reads answer
    assert DND_BADGE not in _markdown(watcher)
    setter = open_page("call_handling")
    setter.toggle(key="hd_dnd").set_value(True).run()
    assert not setter.exception, setter.exception
    assert DND_BADGE in _markdown(setter)
    watcher.button(key="hdr_refresh").click().run()
    assert DND_BADGE in _markdown(watcher)
    setter.toggle(key="hd_dnd").set_value(False).run()
    watcher.run()
    assert DND_BADGE not in _markdown(watcher)
