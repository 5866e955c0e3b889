"""The list's own cell layout gives exactly the segments Rich renders for the same cell."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from tui.console.widgets.action_table import CLOCK_COLUMNS, COLUMNS
from tui.console.widgets.cell_render import cell_segments, changed_span
from tui.console.widgets.cells import RowFrame, list_cell, plain_text, server_text
from tui.model import Action, Status

CONSOLE = Console(width=200, color_system="truecolor", force_terminal=True)
RED = Style(color="red", bold=True)
CURSOR = Style(color="white", bgcolor="blue")
META = Style.from_meta({"column": 3})

CELLS = [
    server_text("create_server"),
    server_text("a-resource-name-much-longer-than-the-cell"),
    server_text("日本語のサーバー名前"),
    server_text(""),
    server_text("web  ", RED),
    plain_text("● running", RED),
    plain_text("12.4s", justify="right"),
    plain_text("1m 20s  ", justify="right"),
    plain_text("centred", justify="center"),
    plain_text("left", RED, justify="left"),
    Text("★", style=RED, end=""),
    Text("mixed", end="").append("bold", "bold"),
]


def same_form(segments: list[Segment]) -> list[Segment]:
    """No style and the null style are the same thing on a terminal: one form for both."""
    return list(Segment.simplify(Segment(text, style or Style()) for text, style, _ in segments))


def rich_segments(cell: Text, width: int, pre: Style, post: Style) -> list[Segment]:
    """The reference: what Rich renders for ``Styled(Padding(cell))`` on one line."""
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    styled = Styled(Padding(cell, (0, 1)), pre_style=pre, post_style=post)
    return same_form(CONSOLE.render_lines(styled, options)[0])


@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: repr(cell.plain))
@pytest.mark.parametrize("width", [2, 3, 6, 10, 30])
@pytest.mark.parametrize(
    ("pre", "post"), [(Style(), Style()), (CURSOR + META, Style(color="white"))]
)
def test_a_cell_lays_out_as_rich_renders_it(
    cell: Text, width: int, pre: Style, post: Style
) -> None:
    ours = same_form(cell_segments(CONSOLE, cell, width, 1, pre, post))
    assert ours == rich_segments(cell, width, pre, post)


def test_changed_span_is_the_characters_that_differ_on_screen() -> None:
    def span(old: Text, new: Text) -> tuple[int, int] | None:
        return changed_span(CONSOLE, old, new, 10, 1)

    def right(value: str, style: Style | str = "") -> Text:
        return plain_text(value, style, justify="right")

    # " " + "     12s" + " ": only the 2 → 3 moves, at cell 7
    assert span(right("12s"), right("13s")) == (7, 8)
    assert span(right("9s"), right("10s")) == (6, 8)
    assert span(right("12s"), right("12s")) == (0, 0)
    # A change of style alone counts (a line's style covers its justification blanks).
    assert span(right("12s"), right("12s", RED)) == (1, 9)
    # Wide characters cannot be compared cell by cell: the whole cell is redrawn.
    assert span(server_text("日本"), server_text("日本語")) is None


def reference_span(old: Text, new: Text, width: int) -> tuple[int, int] | None:
    """Cell by cell, from the full layout: where the characters or their styles differ."""
    laid_out = []
    for cell in (old, new):
        cells = []
        for text, style, _ in cell_segments(CONSOLE, cell, width, 1, Style(), Style()):
            if len(text) != cell_len(text):
                return None
            cells += [(char, style) for char in text]
        laid_out.append(cells)
    differ = [i for i, (a, b) in enumerate(zip(*laid_out, strict=True)) if a != b]
    return (differ[0], differ[-1] + 1) if differ else (0, 0)


PAIRED = [
    *CELLS,
    server_text("create_snapshot"),
    server_text("create_server  "),
    plain_text("3m ago"),
    plain_text("12s", justify="right"),
    plain_text("1m 20s", justify="right"),
    plain_text("● running", RED),
]


def kept_layout(cell: Text, width: int) -> list[Segment]:
    """A caller's layout that keeps what it laid out (as the list does)."""
    key = (cell.plain, cell.style, tuple(cell.spans), cell.justify, width)
    if key not in LAID_OUT:
        LAID_OUT[key] = cell_segments(CONSOLE, cell, width, 1, Style(), Style())
    return LAID_OUT[key]


LAID_OUT: dict[tuple[object, ...], list[Segment]] = {}


@pytest.mark.parametrize("layout", [None, kept_layout], ids=["own layout", "caller's layout"])
@pytest.mark.parametrize("width", [3, 10, 30])
def test_changed_span_agrees_with_the_full_layout_for_every_pair(
    width: int, layout: Callable[[Text, int], list[Segment]] | None
) -> None:
    """The quick comparison of one-style cells finds what the full layout finds."""
    for old, new in itertools.product(PAIRED, repeat=2):
        expected = reference_span(old, new, width)
        if expected is None:
            continue  # a wide character: the whole cell is redrawn (tested above)
        assert changed_span(CONSOLE, old, new, width, 1, layout) == expected, (old, new)


@pytest.mark.parametrize("status", list(Status))
def test_only_the_clock_columns_read_the_clock(status: Status) -> None:
    """A tick works out only :data:`CLOCK_COLUMNS` again: no other cell may move with time."""
    start = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    action = Action(
        ref="sw:1", backend="sw", backend_type="seeweb", id="1", name="create_server",
        status=status, progress=40.0, resource="ec1", user="bob", created_at=start,
        started_at=start, finished_at=start + timedelta(seconds=30) if status.is_final else None,
    )  # fmt: skip

    def cells(seconds: float) -> dict[str, Text]:
        frame = RowFrame(start + timedelta(seconds=seconds), {"sw:1"}, {"sw"}, lambda _: RED)
        return {spec.key: list_cell(spec.key, action, frame) for spec in COLUMNS}

    now, later = cells(5), cells(90_000)
    moved = {key for key in now if now[key].plain != later[key].plain}
    assert moved <= CLOCK_COLUMNS
    assert "started" in moved  # the test can see a cell move
