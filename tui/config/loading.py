"""The TOML configuration: where it lives, what it may say, and its secrets.

Validated with pydantic. Every error names the file, the key (and the line
when it can be found) and what was expected, in one line, without a
traceback. URLs must be http(s) URLs that parse; a ``ca_cert`` (when TLS is
verified) must be a readable PEM bundle when the file is loaded. Secrets come
from an environment variable (``*_env``) or a command's output
(``*_command``, stopped after 10 s or 64 KiB of output); a plain-text secret
works but warns unless the file is private (mode 0600). This module does no network I/O and
imports nothing from the UI.
"""

from __future__ import annotations

import os
import re
import selectors
import shlex
import signal
import ssl
import stat
import subprocess
import time
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    model_validator,
)

CONFIG_ENV = "ACTIONDECK_CONFIG"
"""Environment variable naming the config file (``--config`` wins over it)."""

SEEWEB_DEFAULT_URL = "https://api.seeweb.it/ecs/v2"

SECRET_COMMAND_TIMEOUT = 10.0
"""Seconds a ``*_command`` may run before it is stopped."""

SECRET_COMMAND_MAX_BYTES = 64 * 1024
"""A ``*_command`` printing more than this is stopped: no secret is that long."""


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


def default_config_path() -> Path:
    """The config file in the platformdirs user config dir (may not exist)."""
    return platformdirs.user_config_path("actiondeck") / "config.toml"


def user_themes_dir() -> Path:
    """Where users put their own theme files."""
    return platformdirs.user_config_path("actiondeck") / "themes"


def _http_url(value: str) -> str:
    """``value`` when it is an http(s) URL with a host that parses; else ``ValueError``."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if not parts.hostname or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("not a valid URL (no host, or spaces or control characters)")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
"""An ``http(s)://host[:port][/path]`` URL, checked when the config is read."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _BackendBase(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    """Used in action refs (``NAME:ID``) and filters; letters, digits, ``_ . -``."""
    timeout: float = Field(default=15.0, gt=0, le=300)
    """Seconds to wait for one answer."""
    verify: bool = True
    """Verify TLS certificates. Turn off only for a cluster you trust."""
    ca_cert: Path | None = None
    """A CA bundle to trust instead of the system ones."""

    def tls_verify(self) -> bool | str:
        """What to pass to the HTTP client as ``verify``."""
        if not self.verify:
            return False
        return str(self.ca_cert.expanduser()) if self.ca_cert else True


class SeewebConfig(_BackendBase):
    """A Seeweb ECS account."""

    type: Literal["seeweb"]
    url: HttpUrl = SEEWEB_DEFAULT_URL
    token: SecretStr | None = None
    token_env: str | None = None
    token_command: str | None = None
    page_size: int = Field(default=50, ge=1, le=1000)


class RedisEnterpriseConfig(_BackendBase):
    """A Redis Enterprise Software cluster (REST API, usually port 9443)."""

    type: Literal["redis-enterprise"]
    url: HttpUrl
    username: str
    password: SecretStr | None = None
    password_env: str | None = None
    password_command: str | None = None


class OpenStackConfig(_BackendBase):
    """An OpenStack cloud: a clouds.yaml cloud, or inline Keystone v3 credentials."""

    type: Literal["openstack"]
    cloud: str | None = None
    """A cloud from clouds.yaml, resolved as ``openstack --os-cloud NAME`` does."""
    auth_url: HttpUrl | None = None
    username: str | None = None
    user_id: str | None = None
    password: SecretStr | None = None
    password_env: str | None = None
    password_command: str | None = None
    project_name: str | None = None
    project_id: str | None = None
    user_domain_name: str | None = None
    user_domain_id: str | None = None
    project_domain_name: str | None = None
    project_domain_id: str | None = None
    application_credential_id: str | None = None
    application_credential_secret: SecretStr | None = None
    application_credential_secret_env: str | None = None
    application_credential_secret_command: str | None = None
    region_name: str | None = None
    interface: Literal["public", "internal", "admin"] = "public"
    servers: list[str] | None = None
    """Only these servers (ids or names); all servers of the project when omitted."""

    @model_validator(mode="after")
    def _cloud_or_auth_url(self) -> OpenStackConfig:
        if not self.cloud and not self.auth_url:
            raise ValueError("give either 'cloud' (a clouds.yaml cloud) or 'auth_url'")
        return self


BackendConfig = Annotated[
    SeewebConfig | OpenStackConfig | RedisEnterpriseConfig, Field(discriminator="type")
]


class RefreshConfig(_Strict):
    """How often backends are polled (seconds)."""

    busy_interval: float = Field(default=2.0, ge=0.2, le=3600)
    idle_interval: float = Field(default=10.0, ge=0.5, le=3600)
    max_backoff: float = Field(default=120.0, ge=1, le=3600)
    stale_after: float = Field(default=60.0, ge=1, le=86400)


class UiConfig(_Strict):
    """How the console looks."""

    theme: str = "actiondeck-dark"
    page_size: int = Field(default=0, ge=0, le=1000)
    """Rows per page; 0 follows the terminal height."""
    bell: bool = False
    """Ring the terminal bell when a watched action ends."""


class Config(_Strict):
    """The whole configuration file."""

    backends: list[BackendConfig] = Field(default_factory=list)
    refresh: RefreshConfig = Field(default_factory=RefreshConfig)
    ui: UiConfig = Field(default_factory=UiConfig)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        names = [backend.name for backend in self.backends]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"backend names must be unique; repeated: {', '.join(duplicates)}")
        return self


class LoadedConfig(BaseModel):
    """A validated config and where it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: Config
    path: Path | None
    """None for a config built in memory (the embedded simulator)."""
    warnings: tuple[str, ...] = ()


def resolve_config_path(explicit: Path | str | None) -> tuple[Path, bool]:
    """The config path to use and whether the user named it explicitly."""
    if explicit:
        return Path(explicit).expanduser(), True
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser(), True
    return default_config_path(), False


def load_config(explicit: Path | str | None = None) -> LoadedConfig | None:
    """Load and validate the config; ``None`` when there is none (use the simulator).

    Raises:
        ConfigError: the file is named but missing, unreadable or invalid.
    """
    path, named = resolve_config_path(explicit)
    if not path.exists():
        if named:
            raise ConfigError(f"{path}: no such config file")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> LoadedConfig:
    """Parse and validate config text (``path`` is used in messages and for the mode check)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe_validation_error(exc, text, path)) from None
    _check_ca_certs(config, text, path)
    return LoadedConfig(config=config, path=path, warnings=tuple(_plaintext_warnings(config, path)))


def _check_ca_certs(config: Config, text: str, path: Path) -> None:
    """Every ``ca_cert`` used (TLS verified) is a readable PEM bundle; else ``ConfigError``."""
    problems = []
    for index, backend in enumerate(config.backends):
        if backend.ca_cert is None or not backend.verify:
            continue
        reason = ca_bundle_problem(backend.ca_cert.expanduser())
        if reason:
            line = find_key_line(text, ("backends", index, "ca_cert"))
            where = f"{path}:{line}" if line else f"{path}"
            problems.append(f"{where}: backends[{index}].ca_cert: {reason} ({backend.ca_cert})")
    if problems:
        raise ConfigError("\n".join(problems))


def ca_bundle_problem(bundle: Path) -> str | None:
    """Why ``bundle`` cannot serve as a CA bundle, or ``None`` when it can."""
    try:
        with bundle.open("rb"):
            pass
        ssl.create_default_context(cafile=str(bundle))
    except FileNotFoundError:
        return "no such file"
    except IsADirectoryError:
        return "is a directory, not a CA bundle file"
    except PermissionError:
        return "cannot read the file (permission denied)"
    except (ssl.SSLError, ValueError):
        return "not a PEM CA bundle"
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or type(exc).__name__})"
    return None


def check_theme(loaded: LoadedConfig, available: Iterable[str]) -> None:
    """Fail when ``ui.theme`` names no available theme (``config check``; the console only warns).

    Raises:
        ConfigError: naming the file, line and key, and listing ``available``.
    """
    names = sorted(set(available))
    theme = loaded.config.ui.theme
    if theme in names:
        return
    where = f"{loaded.path}" if loaded.path else "config"
    try:
        text = loaded.path.read_text(encoding="utf-8") if loaded.path else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    line = find_key_line(text, ("ui", "theme")) if text else None
    if line:
        where = f"{where}:{line}"
    raise ConfigError(
        f"{where}: ui.theme: no theme named {theme!r} (available: {', '.join(names)})"
    )


def _describe_validation_error(exc: ValidationError, text: str, path: Path) -> str:
    """One line per problem: ``file:line: key: what was expected``."""
    lines = []
    for error in exc.errors()[:5]:
        loc = _clean_loc(error["loc"])
        if error["type"] == "union_tag_invalid":
            loc = (*loc, "type")
        key = _dotted(loc)
        line = find_key_line(text, loc)
        where = f"{path}:{line}" if line else f"{path}"
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "union_tag_invalid":
            message = "type must be one of 'seeweb', 'openstack', 'redis-enterprise'"
        elif "input" in error and error["type"] not in ("missing",) and "SecretStr" not in key:
            message = f"{message} (got {_short(error['input'])})"
        lines.append(f"{where}: {key or '(top level)'}: {message}")
    return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, dict | list):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop pydantic's union tags (``backends.0.seeweb.url`` → ``backends.0.url``)."""
    tags = {"seeweb", "openstack", "redis-enterprise"}
    cleaned = []
    for index, part in enumerate(loc):
        if (
            index > 0
            and loc[index - 1] != "type"
            and part in tags
            and isinstance(loc[index - 1], int)
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def find_key_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort 1-based line of a key path such as ``("backends", 1, "url")``."""
    if not loc:
        return None
    lines = text.splitlines()
    table, index, key = _split_loc(loc)
    headers = [
        number
        for number, line in enumerate(lines, 1)
        if re.match(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*$", line)
    ]
    if index is not None and index < len(headers):
        start = headers[index]
    elif headers:
        start = headers[0]
    else:
        start = 0
    if key is None:
        return start or None
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if number > start + 1 and line.lstrip().startswith("["):
            break
        if re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return start or None


def _split_loc(loc: tuple[int | str, ...]) -> tuple[str, int | None, str | None]:
    table = str(loc[0])
    index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    rest = loc[2:] if index is not None else loc[1:]
    key = str(rest[0]) if rest else None
    return table, index, key


def _plaintext_warnings(config: Config, path: Path) -> list[str]:
    plain = [
        f"backends[{index}].{field}"
        for index, backend in enumerate(config.backends)
        for field in ("token", "password", "application_credential_secret")
        if getattr(backend, field, None) is not None
    ]
    if not plain or _is_private(path):
        return []
    return [
        f"{path}: {key} is a plain-text secret in a file others can read; "
        f"use {key.split('.')[-1]}_env / _command, or chmod 600 {path}"
        for key in plain
    ]


def _is_private(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


def resolve_secret(backend: BaseModel, field: str, *, required: bool = True) -> str | None:
    """The secret ``field`` of a backend, from ``field_env``, ``field_command`` or ``field``.

    Raises:
        ConfigError: when a named variable is unset, a command fails, or nothing is given.
    """
    name = getattr(backend, "name", "?")
    env_name = getattr(backend, f"{field}_env", None)
    if env_name:
        value = os.environ.get(env_name)
        if not value:
            raise ConfigError(f"backend {name!r}: environment variable {env_name} is not set")
        return value
    command = getattr(backend, f"{field}_command", None)
    if command:
        return _run_secret_command(name, field, command)
    plain = getattr(backend, field, None)
    if isinstance(plain, SecretStr):
        return plain.get_secret_value()
    if required:
        raise ConfigError(f"backend {name!r}: give {field}_env or {field}_command")
    return None


def _run_secret_command(backend: str, field: str, command: str) -> str:
    """Run a secret command for at most :data:`SECRET_COMMAND_TIMEOUT` s and
    :data:`SECRET_COMMAND_MAX_BYTES` of output; past either it is stopped, children too."""
    what = f"backend {backend!r}: {field}_command"
    try:
        process = subprocess.Popen(
            shlex.split(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{what} failed: {type(exc).__name__}") from None
    try:
        output, problem = _read_bounded(process)
    finally:
        _stop(process)
    if problem:
        raise ConfigError(f"{what} {problem}")
    if process.returncode != 0:
        raise ConfigError(f"{what} exited with {process.returncode}")
    value = output.decode("utf-8", errors="replace").strip()
    if not value:
        raise ConfigError(f"{what} printed nothing")
    return value


def _read_bounded(process: subprocess.Popen[bytes]) -> tuple[bytes, str | None]:
    """The command's output, or why it must be stopped (too slow, too much output)."""
    assert process.stdout is not None
    slow = f"did not finish within {SECRET_COMMAND_TIMEOUT:g} s and was stopped"
    deadline = time.monotonic() + SECRET_COMMAND_TIMEOUT
    chunks: list[bytes] = []
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            size += len(chunk)
            if size > SECRET_COMMAND_MAX_BYTES:
                return (
                    b"",
                    f"printed more than {SECRET_COMMAND_MAX_BYTES // 1024} KiB and was stopped",
                )
            chunks.append(chunk)
        else:
            return b"", slow
    try:
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return b"", slow
    return b"".join(chunks), None


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the command's whole session if it still runs; always reap it and close its pipe."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()
