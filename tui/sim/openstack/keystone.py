"""Simulated Keystone v3 (under ``/identity``): discovery, tokens, catalog.

Enough of the identity API for keystoneauth1 and the OpenStack CLI: the
version documents, ``POST /v3/auth/tokens`` with the ``password`` and
``application_credential`` methods (201, token in ``X-Subject-Token``, a
catalog with identity, compute and image endpoints), and ``GET /v3/auth/tokens`` to
validate one. Tokens live 3600 s of the simulated clock. The
``expire_tokens`` fault revokes every token issued so far, once, so clients
must re-authenticate. Error bodies are Keystone's ``{"error": {...}}``.

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

from tui.sim.clock import Clock
from tui.sim.faults import Faults
from tui.sim.http import Route, SimRequest, SimResponse
from tui.sim.openstack.world import Identity

TOKEN_LIFETIME = 3600.0
"""Seconds a token stays valid (Keystone's default)."""
REGION = "RegionOne"
API_VERSION = "v3.14"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DOMAIN = {"id": "default", "name": "Default"}


@dataclass(frozen=True)
class User:
    """A Keystone user of the demo project."""

    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class TokenInfo:
    """What Keystone knows about one issued token."""

    user: User
    project_scoped: bool
    methods: tuple[str, ...]
    issued: float
    expires: float
    app_credential: dict[str, Any] | None = None

    @property
    def is_admin(self) -> bool:
        """True when the token carries the admin role (Nova's default admin policy)."""
        return self.project_scoped and "admin" in self.user.roles


@dataclass(frozen=True)
class KeystoneCredentials:
    """The secrets the simulated Keystone accepts (demo values, they open nothing real)."""

    password: str
    project_name: str
    app_credential_id: str
    app_credential_name: str
    app_credential_secret: str


@dataclass
class Keystone:
    """The identity service of the simulated cloud."""

    seed: int
    clock: Clock
    base_url: str
    faults: Faults
    identity: Identity
    credentials: KeystoneCredentials
    tokens_issued: int = field(default=0, init=False)
    """How many tokens have been issued (tests count re-authentications with it)."""
    _tokens: dict[str, TokenInfo] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    @property
    def users(self) -> dict[str, User]:
        """Users by name: ``demo`` (admin) and ``viewer`` (reader, not admin)."""
        ident = self.identity
        return {
            "demo": User(ident.admin_id, "demo", ("admin", "member", "reader")),
            "viewer": User(ident.viewer_id, "viewer", ("member", "reader")),
        }

    def routes(self) -> list[Route]:
        """The identity routes."""
        return [
            Route("GET", r"/identity", self._versions),
            Route("GET", r"/identity/v3", self._version),
            Route("POST", r"/identity/v3/auth/tokens", self._issue),
            Route("GET", r"/identity/v3/auth/tokens", self._show),
        ]

    # -- validation, used by the compute service ----------------------------

    def validate(self, token: str | None) -> TokenInfo | None:
        """The token's record when it is valid now, else ``None``.

        A pending ``expire_tokens`` fault first revokes every token issued so far.
        """
        with self._lock:
            if self.faults.expire_tokens:
                self.faults.expire_tokens = False
                self._tokens.clear()
            info = self._tokens.get(token or "")
        if info is None or self.clock.now() >= info.expires:
            return None
        return info

    def unauthorized(self) -> SimResponse:
        """keystonemiddleware's answer to a missing, invalid or expired token."""
        response = error(401, "Unauthorized", "The request you have made requires authentication.")
        response.headers["WWW-Authenticate"] = f'Keystone uri="{self.base_url}/identity"'
        return response

    # -- handlers ------------------------------------------------------------

    def _versions(self, request: SimRequest) -> SimResponse:
        return SimResponse({"versions": {"values": [self._version_doc()]}}, status=300)

    def _version(self, request: SimRequest) -> SimResponse:
        return SimResponse({"version": self._version_doc()})

    def _version_doc(self) -> dict[str, Any]:
        return {
            "id": API_VERSION,
            "status": "stable",
            "updated": "2020-04-07T00:00:00Z",
            "links": [{"rel": "self", "href": f"{self.base_url}/identity/v3/"}],
            "media-types": [
                {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
            ],
        }

    def _issue(self, request: SimRequest) -> SimResponse:
        body = request.json()
        auth = body.get("auth") if isinstance(body, dict) else None
        if not isinstance(auth, dict) or not isinstance(auth.get("identity"), dict):
            return error(400, "Bad Request", "Expecting to find auth in request body.")
        info = self._authenticate(auth["identity"], auth.get("scope"))
        if info is None:
            return error(401, "Unauthorized", "The request you have made requires authentication.")
        token = self._store(info)
        catalog = "nocatalog" not in request.query
        return SimResponse(
            {"token": self._token_body(info, catalog)},
            status=201,
            headers={"X-Subject-Token": token},
        )

    def _show(self, request: SimRequest) -> SimResponse:
        if self.validate(request.headers.get("x-auth-token")) is None:
            return self.unauthorized()
        subject = request.headers.get("x-subject-token", "")
        info = self.validate(subject)
        if info is None:
            return error(404, "Not Found", "Could not find token.")
        return SimResponse(
            {"token": self._token_body(info, True)}, headers={"X-Subject-Token": subject}
        )

    # -- authentication ------------------------------------------------------

    def _authenticate(self, identity: dict[str, Any], scope: Any) -> TokenInfo | None:
        methods = identity.get("methods")
        if not isinstance(methods, list) or not methods:
            return None
        if methods == ["application_credential"]:
            return self._by_app_credential(identity.get("application_credential"))
        if methods == ["password"]:
            user = self._by_password(identity.get("password"))
            if user is None:
                return None
            scoped = _scope_project(scope, self.identity.project_id, self.credentials.project_name)
            return None if scoped is None else self._info(user, scoped, ("password",))
        return None

    def _by_password(self, payload: Any) -> User | None:
        user = _dig(payload, "user")
        if not isinstance(user, dict) or user.get("password") != self.credentials.password:
            return None
        for candidate in self.users.values():
            if user.get("id") == candidate.id:
                return candidate
            if user.get("name") == candidate.name and _is_default_domain(user.get("domain")):
                return candidate
        return None

    def _by_app_credential(self, payload: Any) -> TokenInfo | None:
        creds = self.credentials
        if not isinstance(payload, dict) or payload.get("secret") != creds.app_credential_secret:
            return None
        by_id = payload.get("id") == creds.app_credential_id
        by_name = payload.get("name") == creds.app_credential_name and _names_demo(
            payload.get("user"), self.identity.admin_id
        )
        if not (by_id or by_name):
            return None
        app = {"id": creds.app_credential_id, "name": creds.app_credential_name, "restricted": True}
        return self._info(self.users["demo"], True, ("application_credential",), app)

    def _info(
        self,
        user: User,
        scoped: bool,
        methods: tuple[str, ...],
        app: dict[str, Any] | None = None,
    ) -> TokenInfo:
        now = self.clock.now()
        return TokenInfo(user, scoped, methods, now, now + TOKEN_LIFETIME, app)

    def _store(self, info: TokenInfo) -> str:
        with self._lock:
            self.tokens_issued += 1
            digest = sha256(f"{self.seed}:keystone:{self.tokens_issued}".encode()).hexdigest()
            token = f"gAAAAAB{digest}"
            self._tokens[token] = info
        return token

    # -- token body ----------------------------------------------------------

    def _token_body(self, info: TokenInfo, with_catalog: bool) -> dict[str, Any]:
        ident = self.identity
        body: dict[str, Any] = {
            "methods": list(info.methods),
            "user": {
                "domain": dict(_DOMAIN),
                "id": info.user.id,
                "name": info.user.name,
                "password_expires_at": None,
            },
            "audit_ids": [sha256(f"{info.issued}:{info.user.id}".encode()).hexdigest()[:22]],
            "expires_at": _iso_z(info.expires),
            "issued_at": _iso_z(info.issued),
        }
        if info.project_scoped:
            body["project"] = {"domain": dict(_DOMAIN), "id": ident.project_id, "name": "demo"}
            body["is_domain"] = False
            body["roles"] = [{"id": _role_id(name), "name": name} for name in info.user.roles]
            if with_catalog:
                body["catalog"] = self.catalog()
        if info.app_credential is not None:
            body["application_credential"] = dict(info.app_credential)
        return body

    def catalog(self) -> list[dict[str, Any]]:
        """The service catalog: identity, compute, image and devstack's ``compute_legacy``."""
        base = self.base_url
        return [
            _service("identity", "keystone", f"{base}/identity"),
            _service("compute", "nova", f"{base}/compute/v2.1"),
            _service("image", "glance", f"{base}/image"),
            _service(
                "compute_legacy", "nova_legacy", f"{base}/compute/v2/{self.identity.project_id}"
            ),
        ]


def error(code: int, title: str, message: str) -> SimResponse:
    """Keystone's (and keystonemiddleware's) error body."""
    return SimResponse({"error": {"code": code, "title": title, "message": message}}, status=code)


def _service(kind: str, name: str, url: str) -> dict[str, Any]:
    endpoints = [
        {
            "id": sha256(f"{kind}:{interface}".encode()).hexdigest()[:32],
            "interface": interface,
            "region": REGION,
            "region_id": REGION,
            "url": url,
        }
        for interface in ("public", "internal", "admin")
    ]
    return {
        "endpoints": endpoints,
        "id": sha256(kind.encode()).hexdigest()[:32],
        "type": kind,
        "name": name,
    }


def _scope_project(scope: Any, project_id: str, project_name: str) -> bool | None:
    """True for the demo project, False for no scope (unscoped token), None for anything else."""
    if scope is None:
        return False
    project = _dig(scope, "project")
    if not isinstance(project, dict):
        return None
    if project.get("id") == project_id:
        return True
    named = project.get("name") == project_name and _is_default_domain(project.get("domain"))
    return True if named else None


def _names_demo(user: Any, admin_id: str) -> bool:
    if not isinstance(user, dict):
        return False
    if user.get("id") == admin_id:
        return True
    return user.get("name") == "demo" and _is_default_domain(user.get("domain"))


def _is_default_domain(domain: Any) -> bool:
    if not isinstance(domain, dict):
        return False
    return domain.get("id") == "default" or str(domain.get("name", "")).lower() == "default"


def _dig(payload: Any, key: str) -> Any:
    return payload.get(key) if isinstance(payload, dict) else None


def _role_id(name: str) -> str:
    return sha256(f"role:{name}".encode()).hexdigest()[:32]


def _iso_z(seconds: float) -> str:
    """Keystone's timestamp form: microseconds and ``Z``."""
    moment = _EPOCH + timedelta(microseconds=round(seconds * 1_000_000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
