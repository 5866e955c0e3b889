"""The TOML configuration: where it lives, what it may say, how it is loaded.

Validated with pydantic (:mod:`tui.config.schema`, imported only then) into
the plain classes of :mod:`tui.config.values`. Each ``[[backends]]`` entry is
validated by the schema of its ``type``, looked up in
:data:`tui.backends.REGISTRY` (an unknown type, like an unknown key, is an
error that names it). Every error
names the file, the key (and the line when it can be found) and what was
expected, in one line, without a traceback (:mod:`tui.config.checks`).
This module does no network I/O, resolves no secret (:mod:`tui.config.secrets`)
and imports nothing from the UI.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from tui.backends.settings import BackendSettings
from tui.config.checks import check_ca_certs, describe_validation_error, plaintext_warnings
from tui.config.errors import ConfigError
from tui.config.values import (
    Config,
    HistoryConfig,
    LoadedConfig,
    NotifyMode,
    RefreshConfig,
    SavedSearch,
    StuckConfig,
    UiConfig,
    default_history_path,
)

CONFIG_ENV = "ACTIONDECK_CONFIG"
"""Environment variable naming the config file (``--config`` wins over it)."""


def default_config_path() -> Path:
    """The config file in the platformdirs user config dir (may not exist)."""
    import platformdirs  # only when no config is named: a command naming one skips it

    return platformdirs.user_config_path("actiondeck") / "config.toml"


def user_themes_dir() -> Path:
    """Where users put their own theme files."""
    import platformdirs

    return platformdirs.user_config_path("actiondeck") / "themes"


def validate_backends(entries: Any) -> list[BackendSettings]:
    """``entries`` validated, each by the schema of its registered type, as settings.

    Raises:
        ValidationError: located as ``backends[N].TYPE.key`` (pydantic's union tags).
    """
    from tui.config.schema import validate_backends as validated

    return validated(entries)


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
    from pydantic import ValidationError

    from tui.config.schema import validate_config

    try:
        config = validate_config(data)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, text, path)) from None
    check_ca_certs(config.backends, text, path)
    warnings = tuple(plaintext_warnings(config.backends, path))
    return LoadedConfig(config=config, path=path, warnings=warnings)


__all__ = [
    "CONFIG_ENV",
    "Config",
    "HistoryConfig",
    "LoadedConfig",
    "NotifyMode",
    "RefreshConfig",
    "SavedSearch",
    "StuckConfig",
    "UiConfig",
    "default_config_path",
    "default_history_path",
    "load_config",
    "parse_config",
    "resolve_config_path",
    "user_themes_dir",
    "validate_backends",
]
