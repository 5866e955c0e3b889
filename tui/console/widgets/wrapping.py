"""Line wrapping with hanging indents for the detail widgets.

Textual wraps a long line back to column 0, so a wrapped value slides under
its label and a wrapped event detail under its heading. These helpers wrap
``Content`` themselves, at a width the widget measured, and indent the
continuation lines so the text stays in its column. They only lay out text
already made safe (see :func:`tui.console.widgets.formatting.literal`); they never
read a clock or widget state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from textual.content import Content

MIN_BODY_WIDTH = 8
"""Narrower than this, a body is not pre-wrapped (Textual folds it as a last resort)."""

REF_BREAKS = "/:"
"""Where a ref may break: after its separators, never inside a UUID."""


@dataclass(frozen=True)
class Token:
    """One word with no spaces (a ref) that may break only after ``breaks``."""

    text: Content
    breaks: str = REF_BREAKS

    def pieces(self) -> list[Content]:
        """The parts between breaks, each ending with its separator."""
        plain = self.text.plain
        cuts = [index + 1 for index, char in enumerate(plain) if char in self.breaks]
        edges = [0, *(cut for cut in cuts if cut < len(plain)), len(plain)]
        return [self.text[start:end] for start, end in pairwise(edges)]


Body = Content | Sequence[Content] | Token
"""One line of text, the unbreakable pieces of one (joined by single spaces), or a token."""


def flow_lines(
    pieces: Sequence[Content],
    width: int | None,
    *,
    separator: str = " ",
    indent: int = 0,
) -> list[Content]:
    """``pieces`` joined by ``separator``, starting a new line where the next would overflow.

    A piece is never broken (an icon stays beside its word) unless it is
    wider than a whole line, which Textual then folds.

    Args:
        pieces: the unbreakable parts, in order.
        width: the cells available; ``None`` keeps everything on one line.
        separator: what goes between two pieces on the same line.
        indent: cells the caller puts before every line but the first.
    """
    lines: list[list[Content]] = [[]]
    used = 0
    for piece in pieces:
        gap = len(separator) if lines[-1] else 0
        if width is not None and lines[-1] and used + gap + piece.cell_length > width:
            lines.append([])
            used, gap = indent, 0
        lines[-1].append(piece)
        used += gap + piece.cell_length
    return [Content(separator).join(line) for line in lines]


def _token_lines(token: Token, room: int) -> list[Content]:
    """Break after the token's separators; a part wider than a line is cut (the last resort)."""
    parts = [
        piece[start : start + room]
        for piece in token.pieces()
        for start in range(0, max(len(piece.plain), 1), room)
    ]
    return flow_lines(parts, room, separator="")


def _body_lines(body: Body, room: int | None) -> list[Content]:
    if isinstance(body, Token):
        fits = room is None or body.text.cell_length <= room
        return [body.text] if fits or room is None else _token_lines(body, room)
    if not isinstance(body, Content):
        return flow_lines(body, room)
    if room is None or body.cell_length <= room:
        return [body]
    return [line.rstrip() for line in body.wrap(room)]


def hang(prefix: Content, body: Body, width: int | None) -> Content:
    """``prefix`` then ``body``; lines of ``body`` that wrap start under its first character.

    Args:
        prefix: the label or indent before the body (its width is the hanging indent).
        body: the text to wrap, or its unbreakable pieces.
        width: the cells available; ``None`` leaves wrapping to Textual.
    """
    room = None if width is None else width - prefix.cell_length
    if room is not None and room < MIN_BODY_WIDTH:
        room = None
    indent = Content(" " * prefix.cell_length)
    lines = _body_lines(body, room)
    return Content("\n").join(
        (prefix if index == 0 else indent) + line for index, line in enumerate(lines)
    )


def flow(
    pieces: Sequence[Content], width: int | None, *, separator: str = " ", indent: int = 2
) -> Content:
    """Like :func:`flow_lines`, as one text whose continuation lines are indented by ``indent``."""
    lines = flow_lines(pieces, width, separator=separator, indent=indent)
    pad = Content(" " * indent)
    return Content("\n").join(
        (pad if index else Content("")) + line for index, line in enumerate(lines)
    )
