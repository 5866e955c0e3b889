"""The help screen: every key binding, generated from the bindings themselves.

Nothing is written by hand here, so the list cannot drift from what the keys
do: :func:`help_sections` reads the ``BINDINGS`` of the app, the main screen
and each interactive widget (and what they inherit from Textual).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from tui.console.screens.main import MainScreen
from tui.console.screens.notifications import NotificationsScreen
from tui.console.screens.traceback import TracebackScreen
from tui.console.widgets.action_table import ActionTable
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.search_box import SearchBox

KEY_WIDTH = 18

SEARCH_ROWS = [
    ("web", "free text: in the resource, id or name (every word must match)"),
    ("status:failed", "a status or a prefix; several with commas: status:pending,running"),
    ("backend:NAME", "the backend's name contains NAME"),
    ("type:NAME", "the action's name contains NAME (name: is the same)"),
    ("user:NAME", "the user contains NAME"),
    ("resource:NAME", "the resource contains NAME (Seeweb also searches its server)"),
    ("is:watched", "watched with w"),
    ("is:stuck", "shown ⚠ slow or ⚠ no heartbeat"),
    ('"two words"', "quotes keep words together"),
]
"""What the help screen says about the search language (docs/console.md says more)."""

JUMP_ROWS = [
    (":oldest :newest", "the oldest action there is (loading it) / the newest"),
    (":page N", "page N (loading deeper pages when needed)"),
    (":date 2026-11-30", "the newest action on or before that day (UTC)"),
    (":ref REF", "the action with this ref, or this id"),
]


@dataclass(frozen=True)
class HelpSection:
    """The bindings of one part of the console."""

    title: str
    rows: list[tuple[str, str]]
    """(keys, what they do)."""


def binding_rows(
    node: type[DOMNode], app: App[object], stop: type[DOMNode] | None = None
) -> list[tuple[str, str]]:
    """The bindings of ``node`` (and its bases below ``stop``), keys grouped per action."""
    by_key: dict[str, Binding] = {}
    for base in reversed(node.__mro__):
        if not isinstance(base, type) or not issubclass(base, DOMNode):
            continue
        if stop is not None and issubclass(stop, base):
            continue
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            by_key[binding.key] = binding
    grouped: dict[tuple[str, str], list[str]] = {}
    for binding in by_key.values():
        if binding.system:
            continue
        what = binding.description or binding.action.replace("_", " ")
        keys = grouped.setdefault((binding.action, what), [])
        keys.append(app.get_key_display(replace(binding, key_display=None)))
    return [(" ".join(keys), what) for (_, what), keys in grouped.items()]


def help_sections(app: App[Any]) -> list[HelpSection]:
    """Every binding of the console, by where it works."""
    parts: list[tuple[str, type[DOMNode], type[DOMNode] | None]] = [
        ("Main screen", MainScreen, Screen),
        ("Action list", ActionTable, None),
        ("Search box", SearchBox, Input),
        ("Detail pane", DetailPane, None),
        ("Traceback viewer", TracebackScreen, Screen),
        ("Notifications log", NotificationsScreen, Screen),
    ]
    everywhere = binding_rows(type(app), app) + binding_rows(Screen, app)
    if app.ENABLE_COMMAND_PALETTE:
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        everywhere.append((app.get_key_display(palette), palette.description))
    sections = [HelpSection("Everywhere", everywhere)]
    sections += [HelpSection(title, binding_rows(node, app, stop)) for title, node, stop in parts]
    sections += [
        HelpSection("Jump bar (:)", JUMP_ROWS),
        HelpSection("Search language", SEARCH_ROWS),
    ]
    return [section for section in sections if section.rows]


def section_text(section: HelpSection) -> Text:
    """One section as aligned ``keys  description`` lines."""
    text = Text(f"{section.title}\n", style="bold underline")
    for keys, what in section.rows:
        text.append(f"  {keys:<{KEY_WIDTH}}", style="bold")
        text.append(f"{what}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Lists every key binding; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        """A scrollable list of sections."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys and search  (Esc closes)"
            for section in self.sections:
                yield Static(section_text(section), classes="help-section")

    @property
    def plain(self) -> str:
        """Everything the screen lists, as plain text."""
        return "\n".join(section_text(section).plain for section in self.sections)
