"""A full screen for one Python traceback: highlighted, scrollable, copyable, savable.

The traceback is server data. It is neutralised once, on arrival
(:func:`tui.text.safe_text`: an embedded ``\\x1b[2J`` shows as ``␛[2J``),
and that neutralised text is what is shown, copied (``c``, OSC 52, works over
SSH and inside tmux) and saved (``s``, into the user data directory): a
pasted or ``cat``-ed traceback can then never drive the terminal. The screen
does no network I/O; it writes only the one file the user asks for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import platformdirs
from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.console.clipboard import TerminalWriter, copy_text
from tui.console.widgets.formatting import MUTED, literal
from tui.console.widgets.highlighted_lines import TRACEBACK_FRAME, HighlightedLines
from tui.console.widgets.line_view import LineView
from tui.text import display_text, safe_text

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


EMPTY_TRACEBACK = "(empty traceback)"
"""Shown instead of an empty traceback."""


class TracebackView(LineView):
    """The traceback's lines with a line-number gutter, highlighted as they come into view.

    Only the visible lines are rendered (see :class:`~tui.console.widgets.line_view.LineView`),
    so opening or scrolling a 5,000-line traceback costs a screenful.
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        """Show ``text`` (already neutralised).

        Args:
            text: the traceback; empty shows :data:`EMPTY_TRACEBACK`.
            id: the widget id.
        """
        super().__init__(id=id)
        self._lines = HighlightedLines(text, "pytb", TRACEBACK_FRAME) if text else None
        count = len(self._lines) if self._lines else 1
        self._gutter = len(str(count))
        lines = self._lines.lines if self._lines else []
        longest = max((cell_len(line) for line in lines), default=0)
        self.set_lines(count, max(longest + self._gutter + 1, len(EMPTY_TRACEBACK)))

    def line_content(self, index: int) -> Content:
        """``  12 File "…", line 3, in f``: the number in the gutter, then the highlighted line."""
        if self._lines is None:
            return Content(EMPTY_TRACEBACK)
        number = Content.styled(f"{index + 1:>{self._gutter}} ", MUTED)
        return number + self._lines.line(index)


class TracebackScreen(Screen[None]):
    """One traceback, full screen. ``c`` copies, ``s`` saves, Esc or ``q`` closes."""

    CSS_PATH = "traceback.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("c", "copy", "Copy"),
        Binding("s", "save", "Save"),
    ]

    def __init__(
        self,
        title: str,
        traceback: str,
        *,
        event_name: str = "",
        action_ref: str = "",
        save_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        """Create the screen.

        Args:
            title: what the traceback belongs to (shown literally).
            traceback: the traceback as the server sent it.
            event_name: the event, for the toast and the file name.
            action_ref: the action's ``BACKEND:ID``, for the file name.
            save_dir: where ``s`` saves (default: the user data directory).
            environ: environment to detect tmux in (default: the process's).
        """
        super().__init__()
        self.traceback_title = title
        """What the traceback belongs to, as given (not yet neutralised)."""
        self.text = safe_text(traceback, multiline=True).rstrip("\n")
        """The neutralised traceback: what is shown, copied and saved."""
        self.event_name = event_name
        self.action_ref = action_ref
        self._save_dir = save_dir
        self._environ = environ

    @property
    def label(self) -> str:
        """The event name (else the title), safe for a one-line message."""
        return display_text(self.event_name or self.traceback_title)

    @property
    def line_count(self) -> int:
        """How many lines the traceback has."""
        return self.text.count("\n") + 1 if self.text else 0

    def compose(self) -> ComposeResult:
        """Title, the scrolling traceback, and the key footer."""
        yield Static(self._heading(), id="traceback-title")
        yield TracebackView(self.text, id="traceback-body")
        yield Footer()

    def _heading(self) -> Content:
        lines = f"  ·  {self.line_count:,} lines"
        return Content.assemble(
            ("Traceback  ", "bold"), literal(self.traceback_title), (lines, MUTED)
        )

    def on_mount(self) -> None:
        """Focus the body so the arrow keys scroll straight away."""
        self.query_one(TracebackView).focus()

    def action_close(self) -> None:
        """Go back to where the traceback was opened from."""
        self.dismiss()

    def action_copy(self) -> None:
        """Copy the traceback to the clipboard through the terminal (OSC 52)."""
        copy_text(self.app, self.text, writer=self._terminal(), environ=self._environ)
        size = f"{self.line_count:,} lines, {len(self.text):,} chars"
        self.notify(f"Copied traceback of {self.label} ({size})", markup=False)

    def _terminal(self) -> TerminalWriter | None:
        # Textual has no public handle on its output; its own copy_to_clipboard
        # writes through the same driver.
        return getattr(self.app, "_driver", None)

    def action_save(self) -> None:
        """Save the traceback to a text file and say where."""
        directory = self._save_dir or platformdirs.user_data_path("actiondeck")
        name = traceback_filename(self.event_name or self.traceback_title, self.action_ref)
        try:
            path = save_traceback(self.text, directory, name)
        except OSError as error:
            reason = display_text(error.strerror or error)
            self.notify(f"Could not save traceback: {reason}", severity="error", markup=False)
            return
        self.notify(f"Saved traceback to {path}", markup=False)
