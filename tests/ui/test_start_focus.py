"""The list takes the focus once, as the main screen mounts.

Textual gives a new screen's focus to its first focusable widget, the search
box; the screen then moved it to the list. Each move restyles the widget it
leaves and the one it reaches, before the first frame; now the focus lands
on the list and nowhere else.
"""

from __future__ import annotations

from textual import events
from textual.message import Message

from tests.helpers.app import AppFactory, Settle

SIZE = (160, 45)


async def test_only_the_list_is_focused_at_start(make_app: AppFactory, settle: Settle) -> None:
    app = make_app()
    focused: dict[int, str] = {}  # each focus, once (it bubbles up through the ancestors)

    def record(message: Message) -> None:
        if isinstance(message, events.DescendantFocus):
            focused[id(message)] = message.widget.id or type(message.widget).__name__

    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        await settle(app, pilot)
        assert app.focused is app.main_screen.table
    assert list(focused.values()) == ["actions"]
