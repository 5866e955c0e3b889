"""Before the first frame the console styles nothing it does not show.

Each restyle of a widget before the first rows are drawn is CPU the first
frame waits for: the detail pane stacks its fields at its first resize
without restyling itself and its parts, and the list takes the focus as the
screen is composed instead of the search box taking it and losing it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.events import Focus

from tests.helpers.app import AppFactory, Settle
from tests.ui.test_detail import DetailApp, nova_action
from tui.console.app import ActionDeckApp
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.search_box import SearchBox


def record_restyles(monkeypatch: pytest.MonkeyPatch) -> list[DOMNode]:
    """Every node the stylesheet styles again from now on (in the order styled)."""
    restyled: list[DOMNode] = []
    update_nodes = Stylesheet.update_nodes

    def recording(self: Stylesheet, nodes: Iterable[DOMNode], animate: bool = False) -> None:
        nodes = list(nodes)
        restyled.extend(nodes)
        update_nodes(self, nodes, animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", recording)
    return restyled


async def test_a_narrow_pane_stacks_its_fields_without_restyling_its_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.query_one(DetailPane)
        identity, times = pane.query_one("#detail-identity"), pane.query_one("#detail-times")
        assert times.region.x > identity.region.x  # wide: side by side
        restyled = record_restyles(monkeypatch)
        await pilot.resize_terminal(80, 36)
        await pilot.pause()
        assert times.region.x == identity.region.x  # narrow: one column
        assert times.region.y > identity.region.y
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert times.region.x > identity.region.x

    assert [node for node in restyled if node is pane or pane in node.ancestors] == []


async def test_the_list_has_the_focus_from_the_start_the_search_box_never(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    focused: list[str] = []
    on_focus = SearchBox._on_focus

    def recording(self: SearchBox, event: Focus) -> None:
        focused.append(str(self.id))
        on_focus(self, event)

    monkeypatch.setattr(SearchBox, "_on_focus", recording)
    app: ActionDeckApp = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.main_screen.table
        await pilot.press("slash")  # the box still takes the focus when asked
        await pilot.pause()
        assert app.focused is app.main_screen.query_one(SearchBox)

    assert focused == ["search"]  # once: for the key, not at the start
