"""The summary at the top of a traceback: which action and attempt failed, where and why.

Built from the action, the event (one attempt) and the traceback's own text:
action, event and attempt, result, host, Nova's ``details`` (2.84+), the
exception line when the traceback has one, and the innermost frame. Every
value is server text, neutralised here once (:func:`tui.text.display_text`)
into plain one-line strings; the same fields are shown on screen (as
literal ``Content``) and written first into what ``c`` copies and ``s``
saves. No widgets, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from tui.console.widgets.formatting import MUTED
from tui.console.widgets.traceback_parts import exception_line, innermost_frame
from tui.console.widgets.wrapping import hang
from tui.model import Action, Event
from tui.text import display_text

LABEL_WIDTH = 10
"""Cells of the label column (``exception`` and a space)."""

_FAILED = "bold $status-failed"

_ON_SCREEN = {"details": _FAILED, "exception": _FAILED, "innermost": "bold", "": ""}
"""The fields shown below the first line, and their styles."""


@dataclass(frozen=True, slots=True)
class TracebackSummary:
    """The fields of the summary, each a neutralised single line ("" when unknown)."""

    action: str = ""
    """``resize on web-1 (openstack:srv/req)``."""
    event: str = ""
    """``compute_prep_resize, attempt 1 of 2``."""
    result: str = ""
    host: str = ""
    details: str = ""
    exception: str = ""
    """The ``ExcType: message`` line of the traceback."""
    frame: str = ""
    """The innermost frame: ``driver.py:3912 in _hard_reboot``."""
    source: str = ""
    """The source line of the innermost frame."""

    def fields(self) -> list[tuple[str, str]]:
        """``(label, value)`` for each known field, in the order shown."""
        pairs = [
            ("action", self.action),
            ("event", self.event),
            ("result", self.result),
            ("host", self.host),
            ("details", self.details),
            ("exception", self.exception),
            ("innermost", self.frame),
            ("", self.source and f"    {self.source}"),
        ]
        return [(label, value) for label, value in pairs if value]

    def text(self) -> str:
        """The summary as plain lines (what copy and save write before the traceback)."""
        lines = (f"{label:<{LABEL_WIDTH}}{value}".rstrip() for label, value in self.fields())
        return "\n".join(lines)

    def content(self, width: int | None = None) -> Content:
        """The summary for the screen, the error in bold: event, attempt, result and host on
        one line (the heading already names the action), then details, exception, frame.

        Args:
            width: cells available; longer values wrap under their first character.
        """
        first: list[Content] = []
        if self.event:
            first.append(Content(self.event))
        if self.result:
            failed = self.result.lower() == "error"
            first.append(Content.styled(f"✖ {self.result}" if failed else self.result, _FAILED))
        if self.host:
            first.append(Content.assemble(("host ", MUTED), self.host))
        lines = [hang(_label("event"), _joined(first), width)] if first else []
        for label, value in self.fields():
            if label in _ON_SCREEN:
                lines.append(hang(_label(label), Content.styled(value, _ON_SCREEN[label]), width))
        return Content("\n").join(lines)


def _label(label: str) -> Content:
    return Content.styled(f"{label:<{LABEL_WIDTH}}", MUTED)


def _joined(pieces: list[Content]) -> list[Content]:
    """Pieces separated by `` · `` (wrapped between pieces, never inside one)."""
    return [piece + Content.styled("  ·", MUTED) for piece in pieces[:-1]] + pieces[-1:]


def _attempt(event: Event) -> str:
    return f", attempt {event.attempt} of {event.attempts}" if event.attempts > 1 else ""


def summarise(
    lines: list[str], *, action: Action | None = None, event: Event | None = None, title: str = ""
) -> TracebackSummary:
    """The summary of a traceback whose (neutralised) lines are ``lines``.

    Args:
        lines: the traceback's lines, already neutralised.
        action: the action it belongs to, when known.
        event: the attempt it was recorded on, when known.
        title: what to call the event when ``event`` is not known.
    """
    frame = innermost_frame(lines)
    what = ""
    if action is not None:
        where = f" on {action.resource}" if action.resource else ""
        what = f"{display_text(action.name)}{display_text(where)} ({display_text(action.ref)})"
    event_text = display_text(title)
    if event is not None:
        event_text = f"{display_text(event.name)}{_attempt(event)}"
    return TracebackSummary(
        action=what,
        event=event_text,
        result=display_text(event.result) if event else "",
        host=display_text(event.host) if event else "",
        details=display_text(event.details) if event else "",
        exception=display_text(exception_line(lines) or ""),
        frame=display_text(frame.location) if frame else "",
        source=display_text(frame.source) if frame else "",
    )
