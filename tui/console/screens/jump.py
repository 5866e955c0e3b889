"""The ``:`` jump bar: ``:oldest``, ``:newest``, ``:page N``, ``:date YYYY-MM-DD``, ``:ref REF``.

:func:`parse_jump` turns what was typed into a :class:`Jump` (or a one-line
error that names what is expected); :class:`JumpBar` is a one-line prompt at
the bottom of the screen that returns the jump to the main screen, which
decides where that is (loading deeper rows from the servers when needed).
Nothing here reads the store.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

JumpKind = Literal["oldest", "newest", "page", "date", "ref"]

USAGE = ":oldest  :newest  :page N  :date YYYY-MM-DD  :ref REF"


@dataclass(frozen=True)
class Jump:
    """Where the user asked to go."""

    kind: JumpKind
    page: int = 0
    """0-based page, for ``page``."""
    before: datetime | None = None
    """For ``date``: the first action older than this (the end of that day, UTC)."""
    ref: str = ""
    """For ``ref``: a ref, or an action id."""


class JumpError(ValueError):
    """What was typed is not a jump (the message says what is expected)."""


def parse_jump(text: str) -> Jump:
    """Parse ``oldest``, ``page 3``, ``date 2026-11-30``, ``ref seeweb:42`` (a leading ``:`` too).

    Raises:
        JumpError: unknown command or a bad argument.
    """
    words = text.strip().removeprefix(":").split(maxsplit=1)
    if not words:
        raise JumpError(f"type a jump: {USAGE}")
    command, argument = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
    if command in ("oldest", "newest") and not argument:
        return Jump(command)  # type: ignore[arg-type]
    if command == "page":
        if not argument.isdigit() or int(argument) < 1:
            raise JumpError("page: expected a page number from 1, e.g. :page 12")
        return Jump("page", page=int(argument) - 1)
    if command == "date":
        try:
            day = date.fromisoformat(argument)
        except ValueError:
            raise JumpError("date: expected a date as YYYY-MM-DD, e.g. :date 2026-11-30") from None
        end = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() + 86_400
        return Jump("date", before=datetime.fromtimestamp(end, UTC))
    if command == "ref" and argument:
        return Jump("ref", ref=argument)
    raise JumpError(f"unknown jump {command!r}; jumps: {USAGE}")


@dataclass(frozen=True)
class Landing:
    """Where a jump lands: a page, an action, deeper rows first, or nowhere (and why)."""

    page: int | None = None
    """Open this 0-based page on its first row (``last_row``: its last)."""
    last_row: bool = False
    ref: str | None = None
    """Select this action."""
    load: bool = False
    """Load deeper rows from the servers, then try again."""
    missing: str | None = None
    """Why there is nowhere to go (one line)."""


def land(
    jump: Jump,
    refs: Sequence[str],
    size: int,
    *,
    time_of: Callable[[str], datetime],
    more: bool,
) -> Landing:
    """Where ``jump`` lands in ``refs`` (newest first, ``size`` a page; ``more``: the
    servers hold older rows than are loaded). ``ref`` jumps are the screen's."""
    pages = max(1, -(-len(refs) // max(1, size)))
    if jump.kind == "newest":
        return Landing(page=0)
    if jump.kind == "oldest":
        return Landing(load=True) if more else Landing(page=pages - 1, last_row=True)
    if jump.kind == "page":
        if jump.page < pages:
            return Landing(page=jump.page)
        if more:
            return Landing(load=True)
        return Landing(page=pages - 1, missing=f"there are only {pages:,} pages")
    if jump.kind == "date" and jump.before is not None:
        limit = -jump.before.timestamp()
        at = bisect.bisect_right(refs, limit, key=lambda ref: -time_of(ref).timestamp())
        if at < len(refs):
            return Landing(ref=refs[at])
        if more:
            return Landing(load=True)
        day = (jump.before - timedelta(days=1)).date().isoformat()
        return Landing(missing=f"nothing on or before {day} (the end of history)")
    return Landing(missing="nowhere to go")


class JumpBar(ModalScreen[Jump | None]):
    """A one-line prompt at the bottom; Enter returns the jump, Esc nothing."""

    DEFAULT_CSS = """
    JumpBar {
        align: left bottom;
        background: transparent;
        & > #jump {
            height: auto;
            width: 100%;
            background: $panel;
        }
        & #jump-line { height: 1; }
        & #jump-colon { width: 2; padding-left: 1; color: $accent; }
        & #jump-input { border: none; height: 1; padding: 0; width: 1fr; }
        & #jump-hint { color: $text-muted; height: 1; padding: 0 1; }
        & #jump-hint.-error { color: $error; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def compose(self) -> ComposeResult:
        """The prompt and a line of usage (or of what was wrong)."""
        with Vertical(id="jump"):
            yield Static(Text(USAGE), id="jump-hint")
            with Horizontal(id="jump-line"):
                yield Static(Text(":"), id="jump-colon")
                yield Input(id="jump-input", select_on_focus=False)

    def on_mount(self) -> None:
        """Type at once."""
        self.set_focus(self.query_one(Input))

    @on(Input.Submitted)
    def submit(self, message: Input.Submitted) -> None:
        """Enter: go there, or say what is wrong and stay."""
        try:
            jump = parse_jump(message.value)
        except JumpError as error:
            hint = self.query_one("#jump-hint", Static)
            hint.update(Text(str(error)))
            hint.add_class("-error")
            return
        self.dismiss(jump)

    def action_close(self) -> None:
        """Esc: go nowhere."""
        self.dismiss(None)
