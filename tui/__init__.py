"""ActionDeck: a terminal console for long-running cloud and cluster actions."""

import sys as _sys
import time as _time

__version__ = "0.1.0"

STARTED = _time.monotonic()
"""When this process imported ActionDeck: ``wait --timeout`` counts from here."""

if "httpx" not in _sys.modules:
    # httpx imports its own command-line client on import whenever click, rich and
    # pygments are installed (they are, beside Textual): 40-100 ms that no command
    # of ours needs, and Rich in processes that must not load it. Without the
    # module httpx falls back to a stub ``httpx.main``; nothing else changes.
    _sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
