"""ActionDeck: a terminal console for long-running cloud and cluster actions."""

__version__ = "0.1.0"
