"""Block-by-block highlighting looks exactly like highlighting the whole text at once."""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.highlight import highlight

from tests.ui.bigdata import long_traceback
from tui.console.widgets.highlighted_lines import (
    MAX_BLOCK_LINES,
    MAX_HIGHLIGHTED_LINE,
    TRACEBACK_FRAME,
    HighlightedLines,
)
from tui.console.widgets.raw_json import pretty_json, raw_json_lines
from tui.sim.openstack.catalog import FAILURES, format_traceback
from tui.text import safe_text


def _look(line: Content) -> tuple[str, list[tuple[int, int, str]]]:
    return line.plain, [(span.start, span.end, str(span.style)) for span in line.spans]


def _simulated_tracebacks(repeat: int) -> str:
    frames = "".join(format_traceback(failure) for failure in FAILURES.values())
    return (frames * repeat).rstrip("\n")


CHAINED = "\n".join(
    ["Traceback (most recent call last):"]
    + [f'  File "x{n}.py", line {n}, in f{n}\n    x = [1,\n      2]' for n in range(400)]
    + ["ValueError: first", "", "During handling of the above exception, another exception "
       "occurred:", "", "Traceback (most recent call last):", '  File "a.py", line 1, in <module>',
       "    raise KeyError(x)", "KeyError: 'x'"]
)  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [long_traceback(5_000), _simulated_tracebacks(40), CHAINED],
    ids=["long", "sim", "chain"],
)
def test_blocks_highlight_like_the_whole_traceback(text: str) -> None:
    whole = highlight(text, language="pytb").split("\n")
    lines = HighlightedLines(text, "pytb", TRACEBACK_FRAME)

    assert len(lines) == len(whole) > 1000
    assert [_look(lines.line(i)) for i in range(len(lines))] == [_look(line) for line in whole]


def test_text_without_fresh_starts_is_still_cut_into_bounded_blocks() -> None:
    text = "\n".join(f"    value_{n} = {n}" for n in range(3 * MAX_BLOCK_LINES))
    lines = HighlightedLines(text, "pytb", TRACEBACK_FRAME)

    assert [lines.line(i).plain for i in range(len(lines))] == text.split("\n")


def test_an_overlong_line_is_kept_whole_and_plain() -> None:
    huge = "x" * (MAX_HIGHLIGHTED_LINE + 1)
    text = f'Traceback (most recent call last):\n  File "a.py", line 1, in f\n    {huge}\nE: z'
    lines = HighlightedLines(text, "pytb", TRACEBACK_FRAME)

    assert lines.line(2).plain == f"    {huge}"
    assert lines.line(2).spans == []
    assert lines.line(3).spans  # the lines around it are still highlighted


def test_pretty_json_highlights_by_blocks_like_the_whole_text() -> None:
    payload = {
        "actions": [
            {"id": n, "ok": n % 2 == 0, "none": None, "f": 1.5e3,
             "nested": {"a": [1, 2, "x: y"], "b": 'q"uote: {'}}
            for n in range(300)
        ]
    }  # fmt: skip
    text = safe_text(pretty_json(payload), multiline=True)
    whole = highlight(text, language="json").split("\n")
    lines = raw_json_lines(payload)

    assert len(lines) == len(whole) > 3 * MAX_BLOCK_LINES
    assert [_look(lines.line(i)) for i in range(len(lines))] == [_look(line) for line in whole]
