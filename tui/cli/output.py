"""Where the commands write: stdout for results, stderr for one-line errors.

Its own module so that starting the console (which needs only this) does not
import the scriptable commands; :mod:`tui.cli.commands` re-exports it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from tui.text import display_text


@dataclass
class Output:
    """Where commands write (a seam for tests)."""

    out: TextIO = sys.stdout
    err: TextIO = sys.stderr

    def error(self, message: str) -> None:
        """One clear line on stderr (server text in it is neutralised and bounded)."""
        print(f"actiondeck: {display_text(message)}", file=self.err)
