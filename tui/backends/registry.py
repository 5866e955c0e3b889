"""A registry of backend families that imports a family only when it is asked for.

:data:`tui.backends.REGISTRY` names each family by its type and the package
that exports its :class:`~tui.backends.spec.BackendSpec` as ``SPEC``. Listing
the types (the config's "type must be one of …", the tags in error
locations) imports nothing; looking a type up imports that family's light
``spec`` module, once. So a Seeweb-only config never builds the OpenStack
settings models, and a command that reads no config imports no family at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

from tui.backends.spec import BackendSpec


class LazyRegistry(MutableMapping[str, BackendSpec]):
    """Backend specs by type, each imported from its package on first access."""

    def __init__(self, packages: dict[str, str]) -> None:
        """``packages``: type → the package exporting that family's ``SPEC``, in order."""
        self._entries: dict[str, BackendSpec | str] = dict(packages)

    def __getitem__(self, backend_type: str) -> BackendSpec:
        entry = self._entries[backend_type]
        if isinstance(entry, BackendSpec):
            return entry
        spec = importlib.import_module(entry).SPEC
        if not isinstance(spec, BackendSpec) or spec.type != backend_type:
            raise TypeError(f"{entry}.SPEC is not the spec of backend type {backend_type!r}")
        self._entries[backend_type] = spec
        return spec

    def __setitem__(self, backend_type: str, spec: BackendSpec) -> None:
        self._entries[backend_type] = spec

    def __delitem__(self, backend_type: str) -> None:
        del self._entries[backend_type]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, backend_type: object) -> bool:
        return backend_type in self._entries

    def loaded(self) -> list[str]:
        """The types whose family has been imported so far (for tests and diagnostics)."""
        return [name for name, entry in self._entries.items() if isinstance(entry, BackendSpec)]
