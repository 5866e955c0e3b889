"""Keystone for the OpenStack backend: sessions, tokens, the compute endpoint.

A keystoneauth1 :class:`~keystoneauth1.session.Session` is built either from
inline parameters (password or application credential, named in
:mod:`~tui.backends.openstack.credentials`) or from a
``clouds.yaml`` cloud, resolved by openstacksdk's config loader exactly as
``openstack --os-cloud NAME`` would (``OS_CLIENT_CONFIG_FILE``,
``secure.yaml``, ``OS_*`` variables). openstacksdk is imported only then.

:class:`KeystoneAuth` hands out the token and the catalog's compute URL. It
measures a token's life on the local monotonic clock from the lifetime
Keystone states (``expires_at - issued_at``) and switches off keystoneauth's
own wall-clock check, which would re-authenticate on every call when this
machine's clock runs ahead of Keystone's; for the same reason it offers
Keystone's time (:meth:`KeystoneAuth.server_time`) to judge the age of Nova's
timestamps. A 401 from Nova renews the token once through
:meth:`KeystoneAuth.renew`.

Every session speaks to Keystone through :mod:`~tui.backends.openstack.keystone_http`:
redirects are refused (the password never travels to another origin), every
body is capped, and each token fetch runs in a daemon thread under one overall
deadline (the backend's ``timeout``), so a hanging or dripping Keystone ends
as a :class:`~tui.backends.base.BackendTimeout`.

Every keystoneauth or openstacksdk failure, and every malformed token or
catalog, becomes a typed :mod:`tui.backends.base` error naming the backend;
passwords and application-credential secrets are redacted from every message
(:func:`~tui.backends.redact.redact`) and tokens never enter one; an HTTP
refusal carries its status and request. Nothing here prints or touches the UI.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from keystoneauth1 import exceptions as ksa
from keystoneauth1.access import AccessInfo
from keystoneauth1.identity.base import BaseIdentityPlugin
from keystoneauth1.session import Session

from tui.backends.base import (
    AuthError,
    AuthRejectedError,
    BackendError,
    BackendTimeout,
    BadResponseError,
    RateLimitedError,
    Request,
    ServerError,
    UnreachableError,
)
from tui.backends.openstack.credentials import OpenStackCredentials as OpenStackCredentials
from tui.backends.openstack.keystone_http import KeystoneRefusal, harden_session, run_exchange
from tui.backends.openstack.plugins import NO_SECRET, choose_plugin, first_line
from tui.backends.openstack.plugins import names_v3 as names_v3

for _library in ("keystoneauth", "openstack"):
    # Their warnings would otherwise reach stderr through logging's last resort.
    logging.getLogger(_library).addHandler(logging.NullHandler())

MIN_TOKEN_LIFE = 120.0
"""Renew a token this many seconds before Keystone says it expires (keystoneauth's margin)."""


class OpenStackConfigError(AuthError):
    """The credentials could not even be put together (clouds.yaml, missing options)."""


@dataclass(frozen=True)
class ResolvedSession:
    """A ready keystoneauth session and where to find compute in its catalog."""

    session: Session
    interface: str = "public"
    region_name: str | None = None
    endpoint_override: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)


def session_from_credentials(backend: str, creds: OpenStackCredentials) -> ResolvedSession:
    """Build a session from inline parameters (keystoneauth1 loading plugins).

    The plugin is the one :func:`~tui.backends.openstack.plugins.choose_plugin`
    names (which :func:`~tui.backends.openstack.plugins.refusal` checks
    without keystoneauth1).

    Raises:
        OpenStackConfigError: when neither a password nor an application
            credential is given, or keystoneauth finds options missing.
    """
    chosen = choose_plugin(creds)
    if chosen is None:
        raise OpenStackConfigError(backend, NO_SECRET)
    plugin_name, options = chosen
    try:
        plugin: BaseIdentityPlugin = plugin_loader(plugin_name).load_from_options(**options)
    except ksa.ClientException as exc:  # options keystoneauth refuses: missing or contradictory
        raise OpenStackConfigError(backend, first_line(exc, creds.secrets)) from None
    session = Session(auth=plugin, verify=creds.verify, app_name="actiondeck", redirect=False)
    harden_session(session, backend)
    return ResolvedSession(session, creds.interface, creds.region_name, None, creds.secrets)


_LOADERS = {
    "password": "keystoneauth1.loading._plugins.identity.generic:Password",
    "v3password": "keystoneauth1.loading._plugins.identity.v3:Password",
    "v3applicationcredential": "keystoneauth1.loading._plugins.identity.v3:ApplicationCredential",
}
"""Where keystoneauth1's entry points put the loaders we use (checked by a unit test)."""


def plugin_loader(name: str) -> Any:
    """keystoneauth1's loader for the auth plugin ``name``, as its entry point names it.

    Imported from where the entry point points rather than looked up through
    ``loading.get_plugin_loader``, whose stevedore scan of every installed
    package's entry points costs 20-70 ms on each start; should a keystoneauth1
    release move the class, the lookup is used after all.
    """
    module_name, _, class_name = _LOADERS[name].partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, class_name)()
    except (ImportError, AttributeError):
        from keystoneauth1 import loading

        return loading.get_plugin_loader(name)


def session_from_cloud(
    backend: str, cloud: str, *, region_name: str | None = None
) -> ResolvedSession:
    """Resolve a ``clouds.yaml`` cloud as ``openstack --os-cloud`` does (reads files).

    Raises:
        OpenStackConfigError: unknown cloud, unreadable file, incomplete auth.
    """
    import yaml
    from openstack import exceptions as sdk_exceptions
    from openstack.config import loader

    config: Any = None
    try:
        with warnings.catch_warnings():
            # openstacksdk announces its own deprecations on every load; not the user's concern.
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            config = loader.OpenStackConfig(app_name="actiondeck")
            region = config.get_one(cloud=cloud, region_name=region_name)
            session = region.get_session()
            harden_session(session, backend)
    except sdk_exceptions.ConfigException as exc:
        where = getattr(config, "config_filename", None) or "no clouds.yaml found"
        message = f"clouds.yaml: {_first_line(exc)} (config file: {where})"
        raise OpenStackConfigError(backend, message) from None
    except (ksa.ClientException, OSError, ValueError, yaml.YAMLError) as exc:
        # Only the first line: YAML errors may quote the offending line further down.
        raise OpenStackConfigError(backend, f"cloud {cloud!r}: {_first_line(exc)}") from None
    secrets = _auth_secrets(region.config.get("auth") or {})
    interface = region.get_interface("compute")
    return ResolvedSession(
        session,
        interface=interface[0] if isinstance(interface, list) else interface or "public",
        region_name=region.get_region_name("compute"),
        endpoint_override=region.get_endpoint("compute"),
        secrets=secrets,
    )


def _auth_secrets(auth: dict[str, Any]) -> tuple[str, ...]:
    names = ("password", "application_credential_secret", "token", "passcode", "client_secret")
    return tuple(str(auth[name]) for name in names if auth.get(name))


@dataclass(frozen=True)
class Grant:
    """A token and the compute endpoint it was issued with."""

    token: str = field(repr=False)
    endpoint: str
    generation: int
    """Increases with every new token; lets concurrent 401s renew only once."""


class KeystoneAuth:
    """Token and compute endpoint for one backend; safe to share between tasks."""

    def __init__(
        self,
        backend: str,
        resolved: ResolvedSession,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        timeout: float = 15.0,
    ) -> None:
        """Hand out tokens of ``resolved``; each fetch ends within ``timeout`` seconds."""
        self.backend = backend
        self.resolved = resolved
        self.timeout = timeout
        harden_session(resolved.session, backend, timeout)
        self._monotonic = monotonic
        self._grant: Grant | None = None
        self._renew_at = float("inf")
        self._issued: tuple[datetime, float] | None = None
        self._lock = asyncio.Lock()
        plugin = resolved.session.auth
        if isinstance(plugin, BaseIdentityPlugin):
            plugin.reauthenticate = False  # we judge expiry ourselves, see module docstring

    @property
    def verify(self) -> bool | str:
        """The TLS verification setting of the session (bool or CA bundle path)."""
        verify = self.resolved.session.verify
        return verify if isinstance(verify, bool | str) else True

    def server_time(self) -> datetime | None:
        """Keystone's clock now: the token's ``issued_at`` plus the local time since.

        Nova's timestamps come from the same cloud, so ages computed against this
        are right even when this machine's clock is not. ``None`` before the first
        token, or when the plugin does not say when it was issued.
        """
        if self._issued is None:
            return None
        issued, at = self._issued
        return issued + timedelta(seconds=self._monotonic() - at)

    async def grant(self) -> Grant:
        """The current token, fetching a new one when none is held or it is about to expire."""
        async with self._lock:
            if self._grant is not None and self._monotonic() < self._renew_at:
                return self._grant
            return await self._fetch(invalidate=self._grant is not None)

    async def renew(self, stale: Grant) -> Grant:
        """A new token after Nova refused ``stale`` (only one renewal per stale token)."""
        async with self._lock:
            if self._grant is not None and self._grant.generation != stale.generation:
                return self._grant
            return await self._fetch(invalidate=True)

    async def _fetch(self, *, invalidate: bool) -> Grant:
        started = self._monotonic()
        token, endpoint, lifetime, issued = await run_exchange(
            self.backend, self.timeout, lambda: self._authenticate(invalidate)
        )
        generation = self._grant.generation + 1 if self._grant is not None else 1
        self._grant = Grant(token, endpoint, generation)
        self._renew_at = started + lifetime - MIN_TOKEN_LIFE if lifetime else float("inf")
        self._issued = (issued, started) if issued is not None else None
        return self._grant

    def _authenticate(self, invalidate: bool) -> tuple[str, str, float | None, datetime | None]:
        """Blocking: token, compute URL, token lifetime and issue time, from keystoneauth."""
        with malformed_answers(self.backend, self.resolved.secrets):
            token, endpoint, access = self._ask_keystone(invalidate)
            issued = access.issued.astimezone(UTC) if access and access.issued else None
            return token, endpoint, _lifetime(access), issued

    def _ask_keystone(self, invalidate: bool) -> tuple[str, str, AccessInfo | None]:
        session, resolved = self.resolved.session, self.resolved
        with keystone_errors(self.backend, resolved.secrets):
            if invalidate:
                session.invalidate()
            token = (session.get_auth_headers() or {}).get("X-Auth-Token")
            if not token:
                raise AuthError(self.backend, "the identity service returned no token")
            endpoint = resolved.endpoint_override or session.get_endpoint(
                service_type="compute",
                interface=resolved.interface,
                region_name=resolved.region_name,
            )
            plugin = session.auth
            access = plugin.auth_ref if isinstance(plugin, BaseIdentityPlugin) else None
        if not endpoint:
            where = f"interface {resolved.interface}, region {resolved.region_name or 'any'}"
            raise BadResponseError(self.backend, f"no compute endpoint in the catalog ({where})")
        return token, endpoint, access


def _lifetime(access: AccessInfo | None) -> float | None:
    """Seconds the token lives according to Keystone (``None`` if unknown)."""
    if access is None or access.issued is None or access.expires is None:
        return None
    return max(0.0, (access.expires - access.issued).total_seconds())


@contextmanager
def keystone_errors(backend: str, secrets: tuple[str, ...] = ()) -> Iterator[None]:
    """Turn keystoneauth exceptions raised inside the block into typed errors."""
    try:
        yield
    except BackendError:
        raise
    except KeystoneRefusal as refusal:
        raise refusal.error from None
    except ksa.ClientException as exc:
        raise map_keystone_error(backend, exc, secrets) from None


_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


@contextmanager
def malformed_answers(backend: str, secrets: tuple[str, ...] = ()) -> Iterator[None]:
    """Turn the errors keystoneauth raises on a malformed token or catalog into typed ones.

    A token without ``expires_at``, a ``null`` or string body, a catalog of the
    wrong shape, out-of-range numbers or dates: :class:`BadResponseError`.
    """
    try:
        yield
    except BackendError:
        raise
    except (*_MALFORMED, RecursionError) as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
        detail = _first_line(what, secrets, 160) if what.strip() else type(exc).__name__
        reason = f"identity service: malformed token or catalog ({detail})"
        raise BadResponseError(backend, reason, secrets=secrets) from None


def map_keystone_error(
    backend: str, exc: ksa.ClientException, secrets: tuple[str, ...] = ()
) -> BackendError:
    """The typed error for one keystoneauth exception; its message holds no secret.

    A discovery failure caused by a connection failure counts as the latter. An
    HTTP refusal carries its status and the request keystoneauth names.
    """
    exc = _connection_cause(exc) or exc
    detail = _first_line(exc, secrets)
    if isinstance(exc, ksa.HttpError):
        return _http_refusal(backend, exc, detail, secrets)
    if isinstance(exc, ksa.AuthorizationFailure | ksa.AuthPluginException):
        return AuthError(backend, f"authentication failed: {detail}", secrets=secrets)
    if isinstance(exc, ksa.ConnectTimeout):
        return BackendTimeout(backend, f"identity service timed out: {detail}", secrets=secrets)
    if isinstance(exc, ksa.ConnectionError):
        reason = f"identity service unreachable: {detail}"
        return UnreachableError(backend, reason, secrets=secrets)
    if isinstance(exc, ksa.EndpointNotFound):
        reason = f"no compute endpoint in the catalog: {detail}"
        return BadResponseError(backend, reason, secrets=secrets)
    return BadResponseError(backend, f"identity service: {detail}", secrets=secrets)


def _http_refusal(
    backend: str, exc: ksa.HttpError, detail: str, secrets: tuple[str, ...]
) -> BackendError:
    """The typed error for an HTTP answer of Keystone (401, 403, 429, 5xx, other)."""
    status = exc.http_status
    request = Request.of(exc.method, exc.url, exc.url, secrets) if exc.method and exc.url else None
    if isinstance(exc, ksa.Unauthorized) or status == 401:
        reason = "identity service refused the credentials (HTTP 401)"
        return AuthRejectedError(backend, reason, status=401, request=request)
    if isinstance(exc, ksa.Forbidden) or status == 403:
        reason = "identity service forbids this (HTTP 403)"
        return AuthRejectedError(backend, reason, status=403, request=request)
    if status == 429:
        wait = float(exc.retry_after) if exc.retry_after else None
        reason = f"identity service rate limited us: {detail}"
        return RateLimitedError(backend, reason, wait, request=request, secrets=secrets)
    kind = ServerError if status is not None and status >= 500 else BadResponseError
    reason = f"identity service: {detail}"
    return kind(backend, reason, status=status, request=request, secrets=secrets)


def _connection_cause(exc: BaseException) -> ksa.ConnectionError | None:
    """The keystoneauth connection error behind ``exc``, if any (bounded walk)."""
    current: BaseException | None = exc
    for _ in range(8):
        if current is None:
            return None
        if isinstance(current, ksa.ConnectionError):
            return current
        current = current.__cause__ or current.__context__
    return None


_first_line = first_line
