"""The Keystone v3 options, named once: the config's keys, what auth sends to keystoneauth.

Each group is a pydantic model; :class:`~tui.backends.openstack.spec.OpenStackSettings`
(the config entry) and :class:`OpenStackCredentials` (what
:mod:`~tui.backends.openstack.auth` turns into a session) both inherit them, so a
key added here is at once settable in the config, handed over by ``build()`` and
given to keystoneauth. The names are keystoneauth's own option names.

Light on purpose: pydantic only, no keystoneauth1.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class UserOptions(_Options):
    """Who authenticates (by name within a domain, or by id)."""

    username: str | None = None
    user_id: str | None = None
    user_domain_name: str | None = None
    user_domain_id: str | None = None


class ProjectOptions(_Options):
    """The project a password token is scoped to (an application credential has its own)."""

    project_name: str | None = None
    project_id: str | None = None
    project_domain_name: str | None = None
    project_domain_id: str | None = None


class AppCredentialOptions(_Options):
    """An application credential, by id, or by name with the user's name and domain."""

    application_credential_id: str | None = None
    application_credential_name: str | None = None


class CatalogOptions(_Options):
    """Where compute is found in the catalog."""

    region_name: str | None = None
    interface: str = "public"


class OpenStackCredentials(UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions):
    """Inline Keystone v3 parameters, secrets resolved: a password or an application credential."""

    auth_url: str
    password: str | None = Field(default=None, repr=False)
    application_credential_secret: str | None = Field(default=None, repr=False)
    verify: bool | str = True
    """``False``, ``True`` or the path of a CA bundle."""

    @classmethod
    def taking_options(cls, source: BaseModel, **rest: Any) -> OpenStackCredentials:
        """Credentials with every option group's fields copied from ``source`` (the settings).

        Made without validation (``model_construct``): ``source`` is validated
        settings with these very fields, and ``rest`` is what ``build()`` made
        of them (``auth_url``, the resolved secrets, ``verify``), so validating
        again would only build this model's validator on every start (about
        20 ms before the console's first rows). tests/backends/test_openstack_auth.py
        holds that validation gives the same credentials.
        """
        groups = (UserOptions, ProjectOptions, AppCredentialOptions, CatalogOptions)
        options = {name: getattr(source, name) for group in groups for name in group.model_fields}
        return cls.model_construct(**options, **rest)

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

    def _options(self, *groups: type[BaseModel], **secret: str | None) -> dict[str, Any]:
        """``auth_url``, the fields of ``groups`` and ``secret``, each only when set."""
        options = {"auth_url": self.auth_url, **secret}
        options.update(
            (name, getattr(self, name)) for group in groups for name in group.model_fields
        )
        return {name: value for name, value in options.items() if value}
