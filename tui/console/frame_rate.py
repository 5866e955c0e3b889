"""How often the console may draw: Textual's frame rate, set before Textual is imported.

Textual draws a frame only when something changed, at most ``TEXTUAL_FPS``
times a second (its default is 60), and reads that setting once, when it
is imported. After a rest, its first frame is drawn at once and the next
comes 1 to 2 frame periods later. A search key is two frames: the key in
the box, then the list it filters. At 60 frames a second the list came
17–33 ms after the echo. At 120 it comes 8–17 ms after it: a filter
keystroke at 100,000 actions showed its list in 27.9 ms against 41.0, a
pasted ``status:failed`` in 37.3 ms against 49.6 (same run, tmux 160×45).

The higher cap costs nothing where nothing moves: frames still follow
changes only. Loading 100,000 actions wrote 84 KB to the terminal against
88 KB, and an idle or ticking console draws at most a frame a second
either way (docs/performance.md).
"""

from __future__ import annotations

import os
import sys

FRAMES_PER_SECOND = 120
"""The console's frame cap (Textual's ``TEXTUAL_FPS``), unless the user set one."""


def prefer_frame_rate() -> bool:
    """Ask Textual for :data:`FRAMES_PER_SECOND`; True if it will take effect.

    A ``TEXTUAL_FPS`` the user set is kept. Once Textual is imported the
    setting is read already, so nothing is changed then.
    """
    if "textual" in sys.modules:
        return False
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
    return True


__all__ = ["FRAMES_PER_SECOND", "prefer_frame_rate"]
