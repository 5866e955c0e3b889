"""``actiondeck wait REF [REF…] [--any]``: wait for several actions, with a live line.

Each ref is waited for by :func:`tui.cli.commands.wait_command` (its polling,
deadline, retries and exit codes), all at once. Without ``--any`` the exit
code is 0 when every action completed, else the code of the first ref (in
the order given) that did not; with ``--any`` it is the code of the first
action to end, and the others are left alone.

On a terminal (stderr is one) a progress line shows each action's state,
progress and the time elapsed, redrawn in place and cleared before any other
output; piped, nothing extra is written.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TextIO

from tui.backends.base import Backend
from tui.cli.commands import Output, WaitOptions, find_backend, wait_command
from tui.cli.exits import EXIT_OK
from tui.format import duration_text, progress_text, status_text
from tui.model import Action
from tui.text import safe_text

TICK = 1.0
"""Seconds between redraws of the elapsed time."""


class ProgressLine:
    """One line on a terminal, redrawn in place: every action's state and the time elapsed."""

    def __init__(self, stream: TextIO, refs: Sequence[str], started: float) -> None:
        self._stream = stream
        self._started = started
        self._states: dict[str, Action | None] = dict.fromkeys(refs)
        self._drawn = False

    def update(self, ref: str, action: Action) -> None:
        """Record the latest state of ``ref`` and redraw."""
        self._states[ref] = action
        self.draw()

    def text(self, now: float) -> str:
        """What the line says at monotonic time ``now``."""
        parts = []
        for ref, action in self._states.items():
            if action is None:
                parts.append(f"{safe_text(ref)} …")
            else:
                state = f"{status_text(action.status)} {progress_text(action.progress)}"
                parts.append(f"{safe_text(ref)} {state}")
        elapsed = duration_text(max(0.0, now - self._started))
        return f"{' · '.join(parts)} · {elapsed}"

    def draw(self) -> None:
        """Write the line over the previous one (cut to the terminal's width)."""
        import shutil

        width = max(10, shutil.get_terminal_size().columns - 1)
        line = self.text(time.monotonic())
        if len(line) > width:
            line = line[: width - 1] + "…"
        self._stream.write(f"\r\x1b[K{line}")
        self._stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Remove the line (before other output, and at the end)."""
        if self._drawn:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._drawn = False


class _Clearing(io.TextIOBase):
    """A stream that clears the progress line before anything is written to it."""

    def __init__(self, stream: TextIO, line: ProgressLine) -> None:
        self._target = stream
        self._line = line

    def write(self, text: str) -> int:
        self._line.clear()
        return self._target.write(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return self._target.isatty()


async def wait_many(
    backends: Sequence[Backend],
    output: Output,
    refs: Sequence[str],
    options: WaitOptions,
    *,
    first: bool = False,
) -> int:
    """Wait for every ref (or, with ``first``, the first to end); the exit code.

    Raises:
        UsageError: a ref names no configured backend or is not a ref.
    """
    unique = list(dict.fromkeys(refs))
    for ref in unique:
        find_backend(backends, ref)  # a bad ref is a usage error before anything starts
    started = time.monotonic() if options.started is None else options.started
    options = replace(options, started=started)
    line = ProgressLine(output.err, unique, started) if output.err.isatty() else None
    if line is not None:
        output = Output(out=_Clearing(output.out, line), err=_Clearing(output.err, line))  # type: ignore[arg-type]
    tasks = [
        asyncio.create_task(wait_command(backends, output, ref, _watched(options, line, ref)))
        for ref in unique
    ]
    ticker = asyncio.create_task(_tick(line)) if line is not None else None
    try:
        if first:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return next(task.result() for task in tasks if task in done)
        codes = await asyncio.gather(*tasks)
        return next((code for code in codes if code != EXIT_OK), EXIT_OK)
    finally:
        for task in [*tasks, *([ticker] if ticker else [])]:
            task.cancel()
        await asyncio.gather(*tasks, *([ticker] if ticker else []), return_exceptions=True)
        if line is not None:
            line.clear()


def _watched(options: WaitOptions, line: ProgressLine | None, ref: str) -> WaitOptions:
    if line is None:
        return options
    return replace(options, on_poll=lambda action: line.update(ref, action))


async def _tick(line: ProgressLine | None) -> None:
    while line is not None:
        await asyncio.sleep(TICK)
        line.draw()
