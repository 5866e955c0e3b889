"""The console's frame cap reaches Textual only when asked for before Textual is imported."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tui.console.frame_rate import FRAMES_PER_SECOND

ASK_THEN_IMPORT = """
import sys
from tui.console.frame_rate import prefer_frame_rate
took = prefer_frame_rate()
import textual.constants
print(took, textual.constants.MAX_FPS)
"""

IMPORT_THEN_ASK = """
import textual.constants
from tui.console.frame_rate import prefer_frame_rate
print(prefer_frame_rate(), textual.constants.MAX_FPS)
"""


def _run(code: str, fps: str | None) -> str:
    """What ``code`` prints in a fresh interpreter, with ``TEXTUAL_FPS`` as given."""
    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_FPS"}
    if fps is not None:
        env["TEXTUAL_FPS"] = fps
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_console_rate_is_what_textual_reads() -> None:
    assert FRAMES_PER_SECOND != 60  # Textual's default: the test would prove nothing
    assert _run(ASK_THEN_IMPORT, None) == f"True {FRAMES_PER_SECOND}"


@pytest.mark.parametrize("fps", ["30", "200"])
def test_a_rate_the_user_set_is_kept(fps: str) -> None:
    assert _run(ASK_THEN_IMPORT, fps) == f"True {fps}"


def test_after_textual_is_imported_nothing_changes() -> None:
    assert _run(IMPORT_THEN_ASK, None) == "False 60"
