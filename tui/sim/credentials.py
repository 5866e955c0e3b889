"""The simulator's demo credentials, as one value (imports nothing else of the simulator)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SimCredentials:
    """The simulator's well-known demo credentials (not secrets: they open nothing real)."""

    seeweb_token: str
    os_username: str
    os_password: str
    os_project: str
    os_domain: str
    os_app_credential_id: str
    os_app_credential_secret: str
    redis_username: str
    redis_password: str
