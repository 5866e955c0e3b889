"""The exit codes of ``actiondeck`` (a contract, see README) and the usage error.

Light on purpose: the standard library only, so that ``--help``,
``--version`` and bad usage answer without importing the config, pydantic or
any backend.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BACKEND = 3
EXIT_TIMEOUT = 4
EXIT_NOT_FOUND = 5
EXIT_INTERNAL = 70
"""A bug in ActionDeck itself (sysexits' EX_SOFTWARE)."""


class UsageError(Exception):
    """Bad arguments: exit 2 with this message."""
