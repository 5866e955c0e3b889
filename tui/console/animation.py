"""How much the console animates: nothing, unless ``TEXTUAL_ANIMATIONS`` asks for more.

Textual animates scrolling (End, ``G``, PgDn in a long view) by default. Over
SSH each animation frame is a repaint sent down the wire, and a view that is
still gliding when the operator reads it shows the wrong lines. So scrolling
jumps. Set ``TEXTUAL_ANIMATIONS=basic`` or ``full`` to have animations back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from textual.app import App

ANIMATIONS_VARIABLE = "TEXTUAL_ANIMATIONS"
"""Textual's own setting; when it is set, the console leaves Textual's choice alone."""


def calm_animations(app: App[Any], environ: Mapping[str, str] = os.environ) -> None:
    """Turn ``app``'s animations off, unless the environment chose a level."""
    if ANIMATIONS_VARIABLE not in environ:
        app.animation_level = "none"
