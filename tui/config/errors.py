"""The one error the configuration raises."""

from __future__ import annotations


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""
