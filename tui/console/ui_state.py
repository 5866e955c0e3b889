"""What the console remembers between runs: the theme last chosen in the palette.

A small JSON file in the platformdirs user *state* dir
(``~/.local/state/actiondeck/console.json`` on Linux). Reading never fails
(a missing, unreadable, oversized or malformed file reads as nothing
remembered); writing raises :class:`OSError` for the caller to report. It
holds no secrets and is not the config: the config's ``ui.theme`` applies
until a theme is chosen in the palette, and ``--theme`` wins over both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

STATE_LIMIT = 64 * 1024
"""Bytes of the state file read at most."""


def state_path() -> Path:
    """Where the console's state file is."""
    return platformdirs.user_state_path("actiondeck") / "console.json"


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as file:
            raw = file.read(STATE_LIMIT + 1)
        if len(raw) > STATE_LIMIT:
            return {}
        data = json.loads(raw or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme(path: Path | None = None) -> str | None:
    """The theme last chosen in the palette, if any."""
    theme = _read(path or state_path()).get("theme")
    return theme if isinstance(theme, str) and 0 < len(theme) <= 200 else None


def remember_theme(name: str, path: Path | None = None) -> None:
    """Remember ``name`` as the chosen theme (written atomically).

    Raises:
        OSError: the state dir cannot be written.
    """
    path = path or state_path()
    state = _read(path)
    state["theme"] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
