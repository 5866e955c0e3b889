"""ActionDeck: a terminal console for long-running cloud and cluster actions."""

import time as _time

__version__ = "0.1.0"

STARTED = _time.monotonic()
"""When this process imported ActionDeck: ``wait --timeout`` counts from here."""
