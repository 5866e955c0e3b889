"""The notifications log (``n`` in the list): every watch ending, new failure and stuck action.

Newest first, each with the time it was told; Enter closes the log and
returns the entry's ref, so the main screen can jump to the action; Esc (or
``n`` again) just closes it. Entry texts are already safe
(:mod:`tui.console.screens.herald`) and are shown as ``Text``, never parsed
as markup. The screen reads the log it is given and changes nothing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.console.screens.herald import Entry, NotificationLog

EMPTY_TEXT = "Nothing yet: watched actions that end, new failures and stuck actions appear here."
HINT_TEXT = "Enter: go to the action   Esc: close"

_STYLES = {"error": "bold red", "warning": "yellow", "information": ""}


def entry_text(entry: Entry) -> Text:
    """``15:04:12  ✖ failed: resize on web-1 (openstack)``."""
    line = Text(entry.at.strftime("%H:%M:%S"), style="dim", no_wrap=True, overflow="ellipsis")
    line.append("  ")
    line.append(entry.text, style=_STYLES[entry.severity])
    return line


class NotificationsScreen(ModalScreen[str | None]):
    """The log, in a box over the main screen.

    Opaque, as the help is: a see-through modal makes Textual draw and tint the
    whole console beneath it on every frame.
    """

    DEFAULT_CSS = """
    NotificationsScreen {
        align: center middle;
        background: $background;
        & > #notifications {
            width: 90%;
            max-width: 120;
            height: 80%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & #notifications-list { height: 1fr; border: none; }
        & #notifications-empty { height: 1fr; color: $text-muted; }
        & #notifications-hint { color: $text-muted; height: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "close", "Close"),
    ]

    def __init__(self, log: NotificationLog) -> None:
        super().__init__()
        self._entries = list(log)

    def compose(self) -> ComposeResult:
        """The entries (or a line saying there are none) and the keys."""
        with Vertical(id="notifications") as box:
            box.border_title = f"Notifications ({len(self._entries)})"
            if self._entries:
                options = [Option(entry_text(entry)) for entry in self._entries]
                yield OptionList(*options, id="notifications-list")
            else:
                yield Static(Text(EMPTY_TEXT), id="notifications-empty")
            yield Static(Text(HINT_TEXT), id="notifications-hint")

    @on(OptionList.OptionSelected)
    def go_to(self, message: OptionList.OptionSelected) -> None:
        """Enter on an entry: close, and go to its action."""
        self.dismiss(self._entries[message.option_index].ref)

    def action_close(self) -> None:
        """Close without going anywhere."""
        self.dismiss(None)
