"""What the config's schema cannot say, and how its problems are worded.

Checks made when a file is loaded (every ``ca_cert`` in use is a readable
PEM bundle; plain-text secrets in a file others can read are warned about),
``config check``'s theme check, and the wording of validation errors: one line
per problem, ``file:line: key: what was expected``. The backend tags in
messages come from :data:`tui.backends.REGISTRY`. Reads files only; no network.
"""

from __future__ import annotations

import re
import ssl
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.backends import REGISTRY
from tui.backends.settings import BackendSettings
from tui.config.errors import ConfigError

if TYPE_CHECKING:
    from pydantic import ValidationError

    from tui.config.loading import LoadedConfig


def check_ca_certs(backends: Sequence[BackendSettings], text: str, path: Path) -> None:
    """Every ``ca_cert`` used (TLS verified) is a readable PEM bundle; else ``ConfigError``."""
    problems = []
    for index, backend in enumerate(backends):
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


def describe_validation_error(exc: ValidationError, text: str, path: Path) -> str:
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
            message = f"type must be one of {', '.join(map(repr, REGISTRY))}"
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
    tags = set(REGISTRY)
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


def plaintext_warnings(backends: Sequence[BackendSettings], path: Path) -> list[str]:
    """A warning per plain-text secret (a family's ``secret_fields``) unless the file is private."""
    plain = [
        f"backends[{index}].{field}"
        for index, backend in enumerate(backends)
        for field in _secret_fields(backend)
        if getattr(backend, field, None) is not None
    ]
    if not plain or _is_private(path):
        return []
    return [
        f"{path}: {key} is a plain-text secret in a file others can read; "
        f"use {key.split('.')[-1]}_env / _command, or chmod 600 {path}"
        for key in plain
    ]


def _secret_fields(backend: BackendSettings) -> tuple[str, ...]:
    spec = REGISTRY.get(backend.type)
    return spec.secret_fields if spec else ()


def _is_private(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)
