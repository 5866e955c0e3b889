"""The configuration: a TOML file validated with pydantic, and its backends' secrets.

:mod:`~tui.config.loading` finds and validates the file (each backend entry by
its family's settings model, from :data:`tui.backends.REGISTRY`);
:mod:`~tui.config.checks` holds the checks the schema cannot make and the
wording of every problem; :mod:`~tui.config.secrets` resolves secrets, and is
the only place that does. Everything callers need is importable from here.
"""

from tui.config.checks import ca_bundle_problem, check_theme, find_key_line
from tui.config.errors import ConfigError
from tui.config.loading import (
    CONFIG_ENV,
    Config,
    HistoryConfig,
    LoadedConfig,
    RefreshConfig,
    UiConfig,
    default_config_path,
    default_history_path,
    load_config,
    parse_config,
    resolve_config_path,
    user_themes_dir,
    validate_backends,
)
from tui.config.secrets import resolve_secret

__all__ = [
    "CONFIG_ENV",
    "Config",
    "ConfigError",
    "HistoryConfig",
    "LoadedConfig",
    "RefreshConfig",
    "UiConfig",
    "ca_bundle_problem",
    "check_theme",
    "default_config_path",
    "default_history_path",
    "find_key_line",
    "load_config",
    "parse_config",
    "resolve_config_path",
    "resolve_secret",
    "user_themes_dir",
    "validate_backends",
]
