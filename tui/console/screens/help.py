"""The help screen: every key binding, generated from the bindings themselves.

Nothing is written by hand here, so the list cannot drift from what the keys
do: :func:`help_sections` reads the ``BINDINGS`` of the app, the main screen
and each interactive widget. Only the console's own bindings are listed (not
what a Textual base class binds for itself, such as scrolling or focus keys),
and each key is listed once for what it does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

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


OWN_PACKAGE = "tui."
"""Bindings declared in classes of this package are the console's own."""


@dataclass(frozen=True)
class _Row:
    """One help line before it is laid out: the keys of one action."""

    action: str
    keys: list[str]
    what: str

    @property
    def pair(self) -> tuple[str, str]:
        return (" ".join(self.keys), self.what)

    def same_as(self, other: _Row) -> bool:
        """Does ``other`` describe the same thing (same action or same words)?"""
        return self.action == other.action or self.what == other.what


def _own_rows(node: type[DOMNode], app: App[object]) -> list[_Row]:
    """The bindings ``node`` and its bases in this package declare, keys grouped per action."""
    by_key: dict[str, Binding] = {}
    for base in reversed(node.__mro__):
        if not isinstance(base, type) or not issubclass(base, DOMNode):
            continue
        if not base.__module__.startswith(OWN_PACKAGE):
            continue
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            by_key[binding.key] = binding
    grouped: dict[tuple[str, str], list[Binding]] = {}
    for binding in by_key.values():
        if binding.system:
            continue
        what = binding.description or binding.action.replace("_", " ")
        grouped.setdefault((binding.action, what), []).append(binding)
    return [
        _Row(action, [_display(app, binding) for binding in sorted(keys, key=_letters_last)], what)
        for (action, what), keys in grouped.items()
    ]


def _letters_last(binding: Binding) -> bool:
    """Named keys (arrows, pgup, esc) before single characters: ``↓ j``, ``pgup [``."""
    return len(binding.key) == 1


def _display(app: App[object], binding: Binding) -> str:
    """How the footer would show this one key."""
    return app.get_key_display(replace(binding, key_display=None))


def binding_rows(node: type[DOMNode], app: App[object]) -> list[tuple[str, str]]:
    """The console's own bindings of ``node`` as (keys, what they do)."""
    return [row.pair for row in _own_rows(node, app)]


def _without_repeats(parts: list[list[_Row]]) -> list[list[_Row]]:
    """Each key once: a row that repeats an earlier one loses the keys already listed.

    When the later row lists every key of the earlier one and more (the table's
    ``pgup [`` after the screen's ``pgup``), the earlier row goes instead.
    """
    kept: list[list[_Row]] = [[] for _ in parts]
    for index, rows in enumerate(parts):
        for row in rows:
            keys = list(row.keys)
            for earlier in (r for part in kept[: index + 1] for r in part):
                if not row.same_as(earlier):
                    continue
                if set(earlier.keys) < set(keys):
                    earlier.keys.clear()
                else:
                    keys = [key for key in keys if key not in earlier.keys]
            if keys:
                kept[index].append(replace(row, keys=keys))
    return [[row for row in rows if row.keys] for rows in kept]


def help_sections(app: App[Any]) -> list[HelpSection]:
    """Every binding of the console, by where it works."""
    parts: list[tuple[str, type[DOMNode]]] = [
        ("Main screen", MainScreen),
        ("Action list", ActionTable),
        ("Search box", SearchBox),
        ("Detail pane", DetailPane),
        ("Traceback viewer", TracebackScreen),
        ("Notifications log", NotificationsScreen),
    ]
    everywhere = _own_rows(type(app), app)
    if app.ENABLE_COMMAND_PALETTE:
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        everywhere.append(_Row(palette.action, [app.get_key_display(palette)], palette.description))
    titles = ["Everywhere"] + [title for title, _ in parts]
    rows = [everywhere] + [_own_rows(node, app) for _, node in parts]
    # The modal screens share nothing with the main screen: each has its own keys.
    main_rows = _without_repeats(rows[:5])
    sections = [
        HelpSection(title, [row.pair for row in part])
        for title, part in zip(titles, main_rows + rows[5:], strict=True)
    ]
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
    """Lists every key binding; Esc, q or ? closes it.

    The screen is opaque: a see-through modal makes Textual draw and tint the
    whole console beneath it on every frame, which tripled the time ``?`` took
    to open the help (and ``Esc`` to close it) over a busy list. Its scroll
    keeps the scrollbar's gutter whether or not the list overflows: the
    sections are laid out once at the first open, not again at a narrower
    width when the scrollbar appears (the list overflows at any usual size).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
        scrollbar-gutter: stable;
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


SCREEN_NAME = "help"
"""The name the app's one help screen is installed under."""


def open_help(app: App[Any]) -> None:
    """Show the help screen, built at the first open and kept (installed) for the next.

    Composing and styling the screen, and its two layout passes (the sections'
    heights depend on the width they are given), were most of what ``?``
    cost; a kept screen is shown again as it was, scrolled back to the top.
    A new one is built only if what it would list has changed.
    """
    kept = app.get_screen(SCREEN_NAME) if app.is_screen_installed(SCREEN_NAME) else None
    if kept in app.screen_stack:
        return  # already open (under another screen)
    sections = help_sections(app)
    if isinstance(kept, HelpScreen) and kept.sections == sections:
        kept.query_one(VerticalScroll).scroll_home(animate=False)
        app.push_screen(kept)
        return
    if kept is not None:
        app.uninstall_screen(SCREEN_NAME)
    screen = HelpScreen(sections)
    app.install_screen(screen, SCREEN_NAME)
    app.push_screen(screen)
