"""A full screen for one Python traceback: the error first, then the frames; find, wrap, copy.

At the top a summary says what failed (action, event and attempt, result,
host, Nova's ``details``, the exception line, the innermost frame); below,
the traceback scrolls, repeated frames folded. ``/`` finds text (``n``/``N``
next/previous), ``w`` toggles soft wrap (on by default below
:data:`WRAP_BELOW` columns).

The traceback is server data. It is neutralised once, on arrival
(:func:`tui.text.safe_text`: an embedded ``\\x1b[2J`` shows as ``␛[2J``),
and that neutralised text, after the summary, is what is shown, copied
(``c``, OSC 52, works over SSH and inside tmux) and saved (``s``, into the
user data directory): a pasted or ``cat``-ed traceback can then never drive
the terminal. The screen does no network I/O; it writes only the files the
user asks for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import platformdirs
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Input, Static

from tui.console.clipboard import ClipboardMode, TerminalWriter, deliver
from tui.console.screens.traceback_summary import TracebackSummary, summarise
from tui.console.widgets.formatting import MUTED, literal
from tui.console.widgets.key_footer import KeyFooter
from tui.console.widgets.traceback_view import EMPTY_TRACEBACK, TracebackView
from tui.model import Action, Event
from tui.text import display_text, safe_text

__all__ = [
    "EMPTY_TRACEBACK",
    "TracebackScreen",
    "TracebackView",
    "open_traceback",
    "traceback_filename",
]

WRAP_BELOW = 120
"""Soft wrap starts on when the terminal is narrower than this."""

SCREEN_NAME = "actiondeck-traceback"
"""The app's one traceback screen is installed under this name (built at the first open)."""

FILE_PREFIX = "actiondeck-traceback"
"""Saved files are named ``actiondeck-traceback-<event>-<ref>.txt``."""

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def filename_part(value: str, *, limit: int = 60) -> str:
    """``value`` reduced to characters safe in a file name on every platform."""
    cleaned = _UNSAFE_FILENAME.sub("_", value).strip("._-")
    return cleaned[:limit] or "unknown"


def traceback_filename(event_name: str, action_ref: str) -> str:
    """``actiondeck-traceback-compute_prep_resize-openstack_srv-1_req-1.txt``."""
    return f"{FILE_PREFIX}-{filename_part(event_name)}-{filename_part(action_ref)}.txt"


def save_traceback(text: str, directory: Path, filename: str) -> Path:
    """Write ``text`` to ``directory/filename`` (creating the directory) and return the path.

    Raises:
        OSError: the directory or file cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


class SummaryView(Static):
    """The summary, its long values wrapped under their first character."""

    def __init__(self, summary: TracebackSummary, *, id: str | None = None) -> None:
        self._shown = summary.content()
        super().__init__(self._shown, id=id)
        self._summary = summary

    def show_summary(self, summary: TracebackSummary) -> None:
        """Show another summary."""
        self._summary = summary
        self.on_resize()

    def on_resize(self) -> None:
        """Wrap again at the new width (a layout pass only when the text changed)."""
        content = self._summary.content(self.content_region.width or None)
        if content != self._shown:
            self._shown = content
            self.update(content)


class TracebackScreen(Screen[None]):
    """One traceback, full screen: the summary, then the frames.

    ``c`` copies and ``s`` saves (both: summary, a blank line, the traceback),
    ``/`` finds, ``n``/``N`` go to the next/previous match, ``w`` wraps, Esc or
    ``q`` closes (Esc in the find box just leaves it).
    """

    CSS_PATH = "traceback.tcss"

    AUTO_FOCUS = "#traceback-body"
    """Focused as the screen is composed, so the first frame already shows it focused."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("c", "copy", "Copy"),
        Binding("s", "save", "Save"),
        Binding("slash", "find", "Find", key_display="/"),
        Binding("n", "next_match(1)", "Next match"),
        Binding("N", "next_match(-1)", "Previous match"),
        Binding("w", "toggle_wrap", "Wrap"),
    ]

    def __init__(
        self,
        title: str,
        traceback: str,
        *,
        event_name: str = "",
        action_ref: str = "",
        action: Action | None = None,
        event: Event | None = None,
        save_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
        clipboard: ClipboardMode = "osc52",
        wrap: bool | None = None,
    ) -> None:
        """Create the screen.

        Args:
            title: what the traceback belongs to (shown literally).
            traceback: the traceback as the server sent it.
            event_name: the event, for the toast and the file name.
            action_ref: the action's ``BACKEND:ID``, for the file name.
            action: the action, for the summary.
            event: the attempt the traceback was recorded on, for the summary.
            save_dir: where ``s`` saves (default: the user data directory).
            environ: environment to detect tmux in (default: the process's).
            clipboard: ``ui.clipboard``.
            wrap: soft wrap at first (default: on below :data:`WRAP_BELOW` columns).
        """
        super().__init__()
        self._save_dir = save_dir
        self._environ = environ
        self._shown_heading = Content("")
        self._take(title, traceback, event_name, action_ref, action, event, clipboard, wrap)

    def _take(
        self,
        title: str,
        traceback: str,
        event_name: str,
        action_ref: str,
        action: Action | None,
        event: Event | None,
        clipboard: ClipboardMode,
        wrap: bool | None,
    ) -> None:
        """Keep what is shown (see :meth:`__init__` for the arguments)."""
        self.traceback_title = title
        """What the traceback belongs to, as given (not yet neutralised)."""
        self.text = safe_text(traceback, multiline=True).rstrip("\n")
        """The neutralised traceback: what is shown, and copied and saved after the summary."""
        self.event_name = event_name
        self.action_ref = action_ref
        self.summary: TracebackSummary = summarise(
            self.text.split("\n"), action=action, event=event, title=event_name or title
        )
        """What failed, read from the action, the event and the traceback."""
        self._clipboard: ClipboardMode = clipboard
        self._wrap = wrap

    def show_traceback(
        self,
        title: str,
        traceback: str,
        *,
        event_name: str = "",
        action_ref: str = "",
        action: Action | None = None,
        event: Event | None = None,
        clipboard: ClipboardMode = "osc52",
        wrap: bool | None = None,
    ) -> None:
        """Show another traceback in this screen, as a new screen would (arguments as for
        :meth:`__init__`): the find box closed, no matches, the top of the text, the body
        focused. The widgets are kept, so opening again costs no compose or restyle."""
        self._take(title, traceback, event_name, action_ref, action, event, clipboard, wrap)
        if not self.is_mounted:
            return  # composed from what was just taken
        find = self.query_one("#traceback-find", Input)
        find.remove_class("-open")
        find.value = ""
        self.query_one(SummaryView).show_summary(self.summary)
        view = self.view
        view.show_text(self.text, wrap=self._first_wrap())
        self.set_focus(view)
        self._show_heading()
        self.refresh_bindings()

    @property
    def label(self) -> str:
        """The event name (else the title), safe for a one-line message."""
        return display_text(self.event_name or self.traceback_title)

    @property
    def line_count(self) -> int:
        """How many lines the traceback has."""
        return self.text.count("\n") + 1 if self.text else 0

    @property
    def copy_text(self) -> str:
        """What ``c`` copies and ``s`` saves: the summary, a blank line, the traceback."""
        summary = self.summary.text()
        return f"{summary}\n\n{self.text}" if summary else self.text

    @property
    def view(self) -> TracebackView:
        """The scrolling traceback."""
        return self.query_one(TracebackView)

    def compose(self) -> ComposeResult:
        """Title, summary, the scrolling traceback, the find box and the key footer."""
        wrap = self._first_wrap()
        self._shown_heading = self._heading(wrap)
        yield Static(self._shown_heading, id="traceback-title")
        yield SummaryView(self.summary, id="traceback-summary")
        yield TracebackView(self.text, wrap=wrap, id="traceback-body")
        yield Input(placeholder="find in the traceback (Enter; Esc: cancel)", id="traceback-find")
        yield KeyFooter()

    def _first_wrap(self) -> bool:
        return self._wrap if self._wrap is not None else self.app.size.width < WRAP_BELOW

    def _heading(self, wrap: bool, found: str = "", count: int = 0) -> Content:
        lines = f"  ·  {self.line_count:,} lines"
        folds = f"  ·  {count:,} repeat{'s' if count > 1 else ''} folded" if count else ""
        mode = "  ·  wrap" if wrap else ""
        return Content.assemble(
            ("Traceback  ", "bold"),
            literal(self.traceback_title),
            (lines + folds + mode, MUTED),
            (found, "bold"),
        )

    def _show_heading(self) -> None:
        view = self.view
        found = ""
        if view.matches:
            current = view.current_match
            found = f"  ·  match {(current or 0) + 1:,}/{len(view.matches):,}"
        heading = self._heading(view.wrap, found, len(view.folds))
        if heading != self._shown_heading:  # an update lays the screen out again
            self._shown_heading = heading
            self.query_one("#traceback-title", Static).update(heading)

    def on_mount(self) -> None:
        """Focus the body so the arrow keys scroll straight away."""
        self.view.focus()
        self._show_heading()

    def action_close(self) -> None:
        """Leave the find box, else go back to where the traceback was opened from."""
        find = self.query_one("#traceback-find", Input)
        if find.has_class("-open"):
            self._close_find()
            return
        self.dismiss()

    # -- find, wrap ------------------------------------------------------------------------

    def action_find(self) -> None:
        """Open the find box."""
        find = self.query_one("#traceback-find", Input)
        find.add_class("-open")
        self.set_focus(find)

    def _close_find(self) -> None:
        self.query_one("#traceback-find", Input).remove_class("-open")
        self.set_focus(self.view)

    @on(Input.Submitted, "#traceback-find")
    def run_find(self, message: Input.Submitted) -> None:
        """Enter in the find box: mark every match and go to the first one below."""
        message.stop()
        self._close_find()
        count = self.view.find(message.value)
        self._show_heading()
        self.refresh_bindings()
        if message.value and not count:
            shown = display_text(message.value, 100)
            self.notify(f"No match for {shown!r}", severity="warning", markup=False)

    def action_next_match(self, step: int) -> None:
        """Go to the next (or previous) match."""
        self.view.next_match(step)
        self._show_heading()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer ``n``/``N`` only when there are matches."""
        if action == "next_match":
            return bool(self.is_mounted and self.view.matches)
        return True

    def action_toggle_wrap(self) -> None:
        """Soft wrap on or off."""
        view = self.view
        view.wrap = not view.wrap
        self._show_heading()

    # -- copy, save ------------------------------------------------------------------------

    def action_copy(self) -> None:
        """Copy the summary and the traceback to the clipboard through the terminal (OSC 52)."""
        what = f"traceback of {self.label}"
        done = deliver(
            self.app,
            self.copy_text,
            what,
            mode=self._clipboard,
            directory=self._directory(),
            writer=self._terminal(),
            environ=self._environ,
        )
        self.notify(done.message, severity=done.severity, markup=False)

    def _terminal(self) -> TerminalWriter | None:
        # Textual has no public handle on its output; its own copy_to_clipboard
        # writes through the same driver.
        return getattr(self.app, "_driver", None)

    def _directory(self) -> Path:
        return self._save_dir or platformdirs.user_data_path("actiondeck")

    def action_save(self) -> None:
        """Save the summary and the traceback to a text file and say where."""
        name = traceback_filename(self.event_name or self.traceback_title, self.action_ref)
        try:
            path = save_traceback(self.copy_text, self._directory(), name)
        except OSError as error:
            reason = display_text(error.strerror or error)
            self.notify(f"Could not save traceback: {reason}", severity="error", markup=False)
            return
        self.notify(f"Saved traceback to {path}", markup=False)


def open_traceback(
    app: App[Any],
    title: str,
    traceback: str,
    *,
    event_name: str = "",
    action_ref: str = "",
    action: Action | None = None,
    event: Event | None = None,
    clipboard: ClipboardMode = "osc52",
) -> AwaitMount | None:
    """Show ``traceback`` full screen (arguments as for :class:`TracebackScreen`).

    The app keeps one traceback screen, built at the first open and installed
    under :data:`SCREEN_NAME`; later opens put the new traceback in it, so only
    the first open pays for composing and styling the screen. Returns what
    ``push_screen`` does (awaitable until the screen is mounted), ``None`` when
    the screen was already showing.
    """
    options: dict[str, Any] = {
        "event_name": event_name,
        "action_ref": action_ref,
        "action": action,
        "event": event,
        "clipboard": clipboard,
    }
    if app.is_screen_installed(SCREEN_NAME):
        screen = app.get_screen(SCREEN_NAME)
        assert isinstance(screen, TracebackScreen)
        screen.show_traceback(title, traceback, **options)
    else:
        screen = TracebackScreen(title, traceback, **options)
        app.install_screen(screen, SCREEN_NAME)
    if screen in app.screen_stack:
        return None
    return app.push_screen(screen)
