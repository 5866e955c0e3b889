"""What a Pilot-driven app writes to its terminal, kept instead of thrown away.

Textual's headless driver discards the app's output (and the app does not
even render to it). :class:`RecordingDriver` says it is not headless, so the
app paints as it would on a real terminal, and keeps every write, so a test
can read the bytes (hostile text) or count them (an idle console writes
nothing). Install it with :func:`record_terminal` before ``run_test()``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

import pytest
from rich.cells import cell_len
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.drivers import headless_driver


class RecordingDriver(headless_driver.HeadlessDriver):
    """The headless driver, but the app renders to it and every write is kept."""

    written: list[str]

    @property
    def is_headless(self) -> bool:
        """Not headless, so that the app paints through :meth:`write`."""
        return False

    def write(self, data: str) -> None:
        """Keep what the app writes."""
        self.__dict__.setdefault("written", []).append(data)


def record_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``run_test()`` apps write into a :class:`RecordingDriver`."""
    monkeypatch.setattr(headless_driver, "HeadlessDriver", RecordingDriver)


def terminal_output(app: App[Any]) -> str:
    """Everything ``app`` has written to its terminal so far."""
    driver = app._driver
    assert isinstance(driver, RecordingDriver)
    return "".join(driver.__dict__.get("written", []))


def written_bytes(app: App[Any]) -> int:
    """How many bytes (UTF-8) ``app`` has written to its terminal so far."""
    return len(terminal_output(app).encode())


_SEQUENCE = re.compile(r"\x1b\[([0-9;?<>=]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|([^\x1b])")
"""A CSI sequence (its parameters and final letter), an OSC sequence, or one character."""

_SHOWN_ON_BLANK = {"4", "7", "9", "21", "53"}
"""SGR attributes a blank cell shows (underline, reverse, strike, double underline, overline)."""

_STEPS = {"A": (0, -1), "B": (0, 1), "C": (1, 0), "D": (-1, 0)}
"""Relative cursor moves: up, down, right, left (stopping at the screen's edges)."""

Screen = list[list[tuple[str, tuple[str, ...]]]]
"""Each line's cells: the character and the SGR parameters in force when it was written."""


def replay(output: str, size: tuple[int, int], screen: Screen | None = None) -> Screen:
    """The screen a terminal of ``size`` shows after ``output`` (on top of ``screen``).

    Knows what Textual writes: cursor moves (absolute and relative), SGR colours and attributes,
    text; other sequences (modes, links) change no cell.
    """
    width, height = size
    cells = screen or [[(" ", ())] * width for _ in range(height)]
    x = y = 0
    sgr: tuple[str, ...] = ()
    for match in _SEQUENCE.finditer(output):
        params, final, char = match.groups()
        if final == "H":
            row, _, column = (params or "1;1").partition(";")
            y, x = int(row or 1) - 1, int(column or 1) - 1
        elif final in _STEPS:
            dx, dy = _STEPS[final]
            count = int(params or 1)
            x, y = max(0, min(width - 1, x + dx * count)), max(0, min(height - 1, y + dy * count))
        elif final == "m":
            sgr = _apply_sgr(sgr, params.split(";"))
        elif char is not None and char not in "\r\n" and 0 <= y < height and 0 <= x < width:
            cells[y][x] = (char, sgr)
            if cell_len(char) == 2 and x + 1 < width:
                cells[y][x + 1] = ("", sgr)
            x += cell_len(char)
    return cells


def _apply_sgr(sgr: tuple[str, ...], codes: list[str]) -> tuple[str, ...]:
    """The attributes in force after ``codes``: an empty code or 0 resets, colours take their
    arguments along (``38;2;0;0;0`` is one colour, not a reset)."""
    index = 0
    while index < len(codes):
        code, step = codes[index], _colour_step(codes, index)
        sgr = () if code in ("", "0") else (*sgr, *codes[index : index + step])
        index += step
    return sgr


def _colour_step(codes: Sequence[str], index: int) -> int:
    """How many codes the attribute at ``index`` takes (a colour takes its arguments)."""
    if codes[index] in ("38", "48") and index + 1 < len(codes):
        return 2 + {"5": 1, "2": 3}.get(codes[index + 1], 0)
    return 1


def _background(codes: tuple[str, ...]) -> tuple[str, ...]:
    """What of ``codes`` a blank cell shows: its background and the marks drawn on blanks."""
    kept: list[str] = []
    index = 0
    while index < len(codes):
        code = codes[index]
        step = _colour_step(codes, index)
        if code == "48" or code == "49" or code in _SHOWN_ON_BLANK:
            kept += codes[index : index + step]
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            kept.append(code)
        index += step
    return tuple(kept)


def looks(screen: Screen) -> list[list[tuple[str, tuple[str, ...]]]]:
    """``screen`` as it looks: a blank keeps only its background (its text colour shows not)."""
    return [
        [(char, _background(sgr) if char == " " else sgr) for char, sgr in line] for line in screen
    ]


def full_paint(app: App[Any]) -> str:
    """What a full repaint of ``app``'s screen, as it is now, would write.

    Call it once the app has painted what it had to: it takes the compositor's
    pending dirty regions with it.
    """
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert update is not None
    return cast(CompositorUpdate, update).render_segments(app.console)
