"""Redis Enterprise Software: ``/v1/actions`` tasks and state machines, per-shard pending ops."""

from tui.backends.redis_enterprise.spec import SPEC, RedisEnterpriseSettings

__all__ = ["SPEC", "RedisEnterpriseSettings"]
