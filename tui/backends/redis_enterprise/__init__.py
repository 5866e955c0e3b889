"""Redis Enterprise Software: ``/v1/actions`` tasks and state machines, per-shard pending ops."""
