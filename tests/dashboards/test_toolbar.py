"""The bar on top of every widget page (HOME-3, guide p.11): refresh, Home, and "Go to widget"."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from fvkit.domain.screens import SCREENS, ScreenRule
from fvkit.portal import home
from tests.dashboards.apptest import open_page

#: the page Home links to; Streamlit names a page by the hash of its url_path (the file stem)
HOME_PAGE = calc_hash("home")


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


@pytest.mark.req("HOME-3")
@pytest.mark.parametrize("rule", SCREENS, ids=[r.slug for r in SCREENS])
def test_every_page_can_refresh_go_home_and_jump_to_another_widget(db: Path, rule: ScreenRule) -> None:
    at = open_page(rule.slug)
    user = at.session_state["user"]
    menu = [r.screen.value for r in home.menu(user)]
    assert rule.screen.value in menu  # 7101 of the seeded organisation may open every screen
    assert _subheaders(at)[0] == rule.screen.value

    homes = [link.proto.page_script_hash for link in at.get("page_link") if link.proto.label == "Home"]
    assert homes == [HOME_PAGE]

    at.button(key="page_refresh").click().run()
    assert not at.exception and _subheaders(at)[0] == rule.screen.value

    jump = at.selectbox(key="page_jump")
    others = [name for name in menu if name != rule.screen.value]
    assert jump.options == others  # no blank first option
    target = others[-1]
    jump.select(target).run()
    assert not at.exception
    assert _subheaders(at)[0] == target
    assert at.selectbox(key="page_jump").value is None
