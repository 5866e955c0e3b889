"""Seeweb ECS v2: ``/ecs/v2/actions`` (offset-paged, newest first, ``resource`` search)."""

from tui.backends.seeweb.spec import SPEC, SeewebSettings

__all__ = ["SPEC", "SeewebSettings"]
