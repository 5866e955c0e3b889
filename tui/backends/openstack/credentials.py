"""The Keystone v3 options, named once: the config's keys, what auth sends to keystoneauth.

Each group is a plain frozen class; :class:`~tui.backends.openstack.spec.OpenStackSettings`
(the config entry) and :class:`OpenStackCredentials` (what
:mod:`~tui.backends.openstack.auth` turns into a session) both inherit them, so a
key added here is at once held in the settings, handed over by ``build()`` and
given to keystoneauth (the config file's schema, :mod:`~tui.backends.openstack.schema`,
names the same keys; a test holds them equal). The names are keystoneauth's own
option names.

Light on purpose: no pydantic, no keystoneauth1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, kw_only=True)
class UserOptions:
    """Who authenticates (by name within a domain, or by id)."""

    username: str | None = None
    user_id: str | None = None
    user_domain_name: str | None = None
    user_domain_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProjectOptions:
    """The project a password token is scoped to (an application credential has its own)."""

    project_name: str | None = None
    project_id: str | None = None
    project_domain_name: str | None = None
    project_domain_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class AppCredentialOptions:
    """An application credential, by id, or by name with the user's name and domain."""

    application_credential_id: str | None = None
    application_credential_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class CatalogOptions:
    """Where compute is found in the catalog."""

    region_name: str | None = None
    interface: str = "public"


OPTION_GROUPS = (UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions)
"""Every group of options, in the order the settings inherit them."""


def option_names(*groups: type[Any]) -> list[str]:
    """The option names of ``groups`` (each group's fields, in order)."""
    return [each.name for group in groups for each in fields(group)]


@dataclass(frozen=True, kw_only=True)
class OpenStackCredentials(UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions):
    """Inline Keystone v3 parameters, secrets resolved: a password or an application credential."""

    auth_url: str
    password: str | None = field(default=None, repr=False)
    application_credential_secret: str | None = field(default=None, repr=False)
    verify: bool | str = True
    """``False``, ``True`` or the path of a CA bundle."""

    @classmethod
    def taking_options(cls, source: object, **rest: Any) -> OpenStackCredentials:
        """Credentials with every option group's fields copied from ``source`` (the settings).

        ``rest`` is what ``build()`` made of the settings (``auth_url``, the
        resolved secrets, ``verify``).
        """
        options = {name: getattr(source, name) for name in option_names(*OPTION_GROUPS)}
        return cls(**options, **rest)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values that must never appear in a message."""
        return tuple(s for s in (self.password, self.application_credential_secret) if s)

    def password_options(self) -> dict[str, Any]:
        """keystoneauth ``password`` plugin options: user, project scope, password."""
        return self._options(UserOptions, ProjectOptions, password=self.password)

    def app_credential_options(self) -> dict[str, Any]:
        """keystoneauth ``v3applicationcredential`` options (never a scope: it has its own)."""
        secret = self.application_credential_secret
        return self._options(
            UserOptions, AppCredentialOptions, application_credential_secret=secret
        )

    def _options(self, *groups: type[Any], **secret: str | None) -> dict[str, Any]:
        """``auth_url``, the fields of ``groups`` and ``secret``, each only when set."""
        options = {"auth_url": self.auth_url, **secret}
        options.update((name, getattr(self, name)) for name in option_names(*groups))
        return {name: value for name, value in options.items() if value}
