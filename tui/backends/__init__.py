"""Backends: one package per API family behind the :class:`~tui.backends.base.Backend` interface.

:data:`REGISTRY` names every family the program knows, one line each. Adding
a backend type is one new package exporting a
:class:`~tui.backends.spec.BackendSpec` as ``SPEC`` and one line here
(docs/backends.md). A family's package is imported only when its type is
looked up (:mod:`~tui.backends.registry`), and then only its light ``spec``
module, never an implementation.
"""

from __future__ import annotations

from typing import Any

from tui.backends.registry import LazyRegistry
from tui.backends.spec import BackendSpec, Capabilities

REGISTRY: LazyRegistry = LazyRegistry(
    {
        "seeweb": "tui.backends.seeweb",
        "openstack": "tui.backends.openstack",
        "redis-enterprise": "tui.backends.redis_enterprise",
    }
)
"""Every backend family by its type (the config tag and each action's ``backend_type``)."""

_UNKNOWN = Capabilities()


def capabilities_of(backend_type: str) -> Capabilities:
    """What a backend type can do; the plainest capabilities for a type no family has."""
    spec: BackendSpec | None = REGISTRY.get(backend_type)
    return spec.capabilities if spec else _UNKNOWN


def native_command(settings: Any, action_id: str) -> str | None:
    """The family's own client command showing one action (no secrets), if it has one.

    Args:
        settings: the backend's validated settings (``settings.type`` names the family).
        action_id: the action's id, already neutralised for a terminal.
    """
    spec: BackendSpec | None = REGISTRY.get(settings.type)
    if spec is None or spec.native_command is None:
        return None
    return spec.native_command(settings, action_id)
