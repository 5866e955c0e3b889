"""Which lines of a widget a repaint must resend, and up to where."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.console.widgets.line_diff import changed_lines

BOLD = Style(bold=True)


def line(*parts: tuple[str, Style | None]) -> Strip:
    return Strip([Segment(text, style) for text, style in parts])


def test_equal_lines_need_nothing() -> None:
    lines = [line(("created  ", BOLD), ("12:00 (5s ago)   ", None))]
    assert changed_lines(lines, list(lines)) == []


def test_a_changed_line_is_resent_up_to_its_last_changed_cell() -> None:
    before = [line(("a", None)), line(("age (5s ago)      ", None)), line(("z", None))]
    after = [line(("a", None)), line(("age (10s ago)     ", None)), line(("z", None))]
    # "(5s ago)" -> "(10s ago)": from cell 5 to the end of the longer text, cell 12
    assert changed_lines(before, after) == [(1, 13)]


def test_a_change_of_style_alone_counts() -> None:
    before = [line(("ok", None), ("   ", None))]
    after = [line(("ok", BOLD), ("   ", None))]
    assert changed_lines(before, after) == [(0, 2)]


def test_a_line_with_a_wide_character_is_resent_whole() -> None:
    assert changed_lines([line(("日本", None))], [line(("日本語", None))]) == [(0, 6)]


def test_lines_only_one_side_has_are_resent() -> None:
    assert changed_lines([line(("a", None))], [line(("a", None)), line(("new", None))]) == [(1, 3)]
