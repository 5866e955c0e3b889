"""The detail pane shows the parts of the action's kind, and restyles nothing to do so.

Changing the pane's classes with a restyle restyled the pane and every
widget in it at each change of section; the parts are now shown or hidden
directly, as the stylesheet's rules say.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Region
from textual.widget import Widget

from tests.ui.test_detail import DetailApp, nova_action, redis_action, seeweb_action
from tui.console.widgets import fields
from tui.console.widgets.detail_pane import DetailPane
from tui.model import Action

PARTS = (
    "#detail-empty", "#detail-title", "#detail-gone", "#detail-stuck", "#detail-summary",
    "#detail-section", "#detail-events", "#detail-other", "#detail-pending", "#detail-raw-scroll",
)  # fmt: skip


def shown_parts(pane: DetailPane) -> set[str]:
    """The parts on screen (displayed and given room by the layout)."""
    return {part for part in PARTS if pane.query_one(part).display and pane.query_one(part).region}


@pytest.mark.parametrize(
    ("action", "section"),
    [
        (nova_action(), "#detail-events"),
        (seeweb_action(), "#detail-other"),
        (redis_action(), "#detail-pending"),
        (redis_action(gone=True), "#detail-pending"),
    ],
)
async def test_each_kind_shows_its_parts_and_nothing_is_restyled(
    action: Action, section: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = DetailApp(None)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        app.set_focus(None)  # a part losing focus is restyled: not what this measures
        await pilot.pause()
        empty = shown_parts(pane)
        restyled: list[DOMNode] = []
        real = app.update_styles

        def update_styles(node: DOMNode, animate: bool = True) -> None:
            restyled.append(node)
            real(node, animate)

        monkeypatch.setattr(app, "update_styles", update_styles)
        pane.action = action
        await pilot.pause()
        shown = shown_parts(pane)
        pane.action = None
        await pilot.pause()
        emptied = shown_parts(pane)

    body = {"#detail-title", "#detail-summary", "#detail-section", section}
    assert empty == emptied == {"#detail-empty"}
    assert shown == body | ({"#detail-gone"} if action.gone else set())
    assert not restyled, restyled


async def test_raw_json_and_a_stuck_reason_show_and_hide_their_parts() -> None:
    app = DetailApp(nova_action())
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()
        pane.show_stuck("no progress for 10 minutes")
        await pilot.pause()
        stuck = shown_parts(pane)
        pane.show_raw = True
        await pilot.pause()
        raw = shown_parts(pane)
        pane.show_raw = False
        pane.show_stuck(None)
        await pilot.pause()
        back = shown_parts(pane)

    assert "#detail-stuck" in stuck and "#detail-events" in stuck
    assert "#detail-raw-scroll" in raw and not {"#detail-events", "#detail-summary"} & raw
    assert back == {"#detail-title", "#detail-summary", "#detail-section", "#detail-events"}


@pytest.mark.parametrize(
    ("action", "body"),
    [
        (nova_action(), "#detail-events"),
        (seeweb_action(), "#detail-other"),
        (redis_action(), "#detail-pending"),
    ],
)
async def test_focusing_the_body_after_a_change_of_section_lays_nothing_out(
    action: Action, body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Focus restyles the body: its display must not change in the stylesheet's layer.

    A display rule depending on the pane's classes (set without a restyle) came
    into force at the body's first restyle, its focus, and laid the screen out
    again although nothing moved.
    """
    app = DetailApp(None)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.query_one(DetailPane)
        app.set_focus(None)
        await pilot.pause()
        pane.action = action
        await pilot.pause()
        before = shown_parts(pane)
        layouts: list[Widget] = []
        real = Widget.refresh

        def refresh(widget: Widget, *regions: Region, **flags: bool) -> Widget:
            if flags.get("layout"):
                layouts.append(widget)
            return real(widget, *regions, **flags)

        monkeypatch.setattr(Widget, "refresh", refresh)
        pane.focus_body()
        await pilot.pause()
        focused = app.focused is pane.query_one(body)
        after = shown_parts(pane)

    assert focused
    assert after == before
    assert not layouts, layouts


async def test_the_fields_are_laid_out_again_only_for_a_new_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shown again at the same width (from an empty pane) each field list lays its rows out
    once, as it is given them; a new width lays them out again, wrapped for it."""
    laid: list[int | None] = []
    real = fields.fields_content

    def spy(rows: Sequence[fields.Field], width: int | None = None) -> Content:
        laid.append(width)
        return real(rows, width)

    monkeypatch.setattr(fields, "fields_content", spy)
    action = nova_action()
    app = DetailApp(action)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(DetailPane)
        await pilot.pause()
        pane.action = None
        await pilot.pause()
        laid.clear()
        pane.action = action
        await pilot.pause()
        again = list(laid)
        laid.clear()
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        narrow = list(laid)
        identity = pane.query_one("#detail-identity", fields.FieldList)
        lines = identity.content.plain.splitlines() if isinstance(identity.content, Content) else []
        width = identity.content_size.width

    assert again == [58, 58]  # at the width the pane gives them, not unwrapped first
    assert narrow and narrow[-1] == width != 58  # laid out again for the width it now has
    assert lines and all(len(line) <= width for line in lines)
