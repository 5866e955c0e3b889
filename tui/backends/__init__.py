"""Backends: one module per API family behind the :class:`~tui.backends.base.Backend` interface."""
