"""Plain helper modules shared by the tests (no fixtures here)."""
