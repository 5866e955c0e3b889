"""The keystoneauth1 auth plugin inline credentials use, and what it refuses, without it.

Importing keystoneauth1 (with requests and urllib3) costs about a tenth of a
second, so a backend built from inline credentials imports it only for its
first request (:mod:`~tui.backends.openstack.deferred`). A bad config must
still be refused when the backend is built, with keystoneauth1's own words:
:func:`refusal` restates the checks of keystoneauth1's ``load_from_options``
for the three plugins used here (``password``, ``v3password``,
``v3applicationcredential``), in its order and with its messages.
tests/backends/test_openstack_plugins.py compares the two on every combination
of the options, so a keystoneauth1 release that changes a rule fails a test
rather than a start. Light on purpose: the standard library and
:mod:`tui.backends.redact` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.backends.redact import redact

if TYPE_CHECKING:
    from tui.backends.openstack.credentials import OpenStackCredentials

NO_SECRET = "no password and no application credential given"
"""Why credentials with neither a password nor an application credential are refused."""

_REQUIRED = {
    "password": ("auth_url",),
    "v3password": ("auth_url",),
    "v3applicationcredential": ("auth_url", "application_credential_secret"),
}
"""Each plugin's required options, in the order keystoneauth1 lists them."""

_USERNAME_NEEDS_DOMAIN = (
    "You have provided a username. In the V3 identity API a "
    "username is only unique within a domain so you must "
    "also provide either a user_domain_id or user_domain_name."
)
_PROJECT_NEEDS_DOMAIN = (
    "You have provided a project_name. In the V3 identity API a "
    "project_name is only unique within a domain so you must "
    "also provide either a project_domain_id or "
    "project_domain_name."
)
_APP_CREDENTIAL_NEEDS_ID = (
    "You must provide either an application credential ID or an "
    "application credential name and user."
)
_APP_CREDENTIAL_NEEDS_SECRET = "You must provide an auth secret."


def choose_plugin(creds: OpenStackCredentials) -> tuple[str, dict[str, Any]] | None:
    """The plugin and its options for ``creds``; ``None`` when there is no secret at all.

    A password goes to Keystone v3 directly when ``auth_url`` names v3
    (:func:`names_v3`) and the user is named within a domain (or by id), else
    through keystoneauth's version discovery.
    """
    if creds.application_credential_secret:
        return "v3applicationcredential", creds.app_credential_options()
    if creds.password:
        direct = names_v3(creds.auth_url) and _user_is_named(creds)
        return ("v3password" if direct else "password"), creds.password_options()
    return None


def refusal(plugin: str, options: dict[str, Any]) -> str | None:
    """keystoneauth1's message refusing ``options`` for ``plugin``; ``None`` when it takes them."""
    v3 = plugin != "password"
    user_domain = options.get("user_domain_name") or options.get("user_domain_id")
    if v3 and options.get("username") and not user_domain:
        return _USERNAME_NEEDS_DOMAIN
    if plugin == "v3applicationcredential":
        if not (
            options.get("application_credential_id") or options.get("application_credential_name")
        ):
            return _APP_CREDENTIAL_NEEDS_ID
        if not options.get("application_credential_secret"):
            return _APP_CREDENTIAL_NEEDS_SECRET
    project_domain = options.get("project_domain_name") or options.get("project_domain_id")
    if v3 and options.get("project_name") and not project_domain:
        return _PROJECT_NEEDS_DOMAIN
    missing = [name for name in _REQUIRED[plugin] if options.get(name) is None]
    if missing:
        return "Auth plugin requires parameters which were not given: " + ", ".join(missing)
    return None


def names_v3(auth_url: str) -> bool:
    """Whether ``auth_url`` is a Keystone v3 URL (its path ends in ``/v3``).

    Such a URL is used as given, with the v3 plugin: keystoneauth's generic
    plugin would first GET it to discover the versions it already names (one
    round trip, a new TLS connection), then send the password to whatever URL
    that document links to. An unversioned URL is still discovered.
    """
    return urlsplit(auth_url).path.rstrip("/").endswith("/v3")


def _user_is_named(creds: OpenStackCredentials) -> bool:
    """A user id, or a name within a domain: what v3 needs (else discovery decides, as before)."""
    return bool(creds.user_id or creds.user_domain_id or creds.user_domain_name)


def first_line(exc: BaseException | str, secrets: tuple[str, ...] = (), size: int = 240) -> str:
    """The first line of a library message, redacted before it is cut to ``size``."""
    text = (exc if isinstance(exc, str) else str(exc)).strip() or type(exc).__name__
    return redact(text, secrets).splitlines()[0][:size]
