"""What a Pilot-driven app writes to its terminal, kept instead of thrown away.

Textual's headless driver discards the app's output (and the app does not
even render to it). :class:`RecordingDriver` says it is not headless, so the
app paints as it would on a real terminal, and keeps every write, so a test
can read the bytes (hostile text) or count them (an idle console writes
nothing). Install it with :func:`record_terminal` before ``run_test()``.
"""

from __future__ import annotations

from typing import Any

import pytest
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
