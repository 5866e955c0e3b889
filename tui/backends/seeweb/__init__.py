"""Seeweb ECS v2: ``/ecs/v2/actions`` (offset-paged, newest first, ``resource`` search)."""
