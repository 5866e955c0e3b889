"""Backends: one package per API family behind the :class:`~tui.backends.base.Backend` interface.

:data:`REGISTRY` names every family the program knows, one line each. Adding
a backend type is one new package exporting a
:class:`~tui.backends.spec.BackendSpec` and one line here (docs/backends.md).
Importing this package loads only the families' light ``spec`` modules, never
an implementation.
"""

from __future__ import annotations

from tui.backends import openstack, redis_enterprise, seeweb
from tui.backends.spec import BackendSpec, Capabilities

REGISTRY: dict[str, BackendSpec] = {
    seeweb.SPEC.type: seeweb.SPEC,
    openstack.SPEC.type: openstack.SPEC,
    redis_enterprise.SPEC.type: redis_enterprise.SPEC,
}
"""Every backend family by its type (the config tag and each action's ``backend_type``)."""

_UNKNOWN = Capabilities()


def capabilities_of(backend_type: str) -> Capabilities:
    """What a backend type can do; the plainest capabilities for a type no family has."""
    spec = REGISTRY.get(backend_type)
    return spec.capabilities if spec else _UNKNOWN
