"""Console screens (UI layer: may import Textual; never talks to backends)."""
