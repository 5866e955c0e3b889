"""Words the command line accepts, for parsing, help and completion alike.

The standard library only (``--help`` loads nothing of the program);
tests/unit/test_cli_choices.py holds them equal to the model's.
"""

from __future__ import annotations

FORMATS = ("table", "json", "ndjson", "csv", "tsv")
"""What ``--format`` accepts (``--json`` is ``--format json``)."""

STATUSES = ("pending", "running", "completed", "failed", "cancelled", "unknown")
"""The statuses of the action model (``tui.model.Status``)."""

SHELLS = ("bash", "zsh", "fish")
"""The shells ``actiondeck completion`` writes a script for."""
