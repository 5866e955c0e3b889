"""The configuration: a TOML file validated with pydantic, and its backends' secrets.

Everything callers need is importable from here.
"""

from tui.config.loading import (
    CONFIG_ENV,
    BackendConfig,
    Config,
    ConfigError,
    LoadedConfig,
    OpenStackConfig,
    RedisEnterpriseConfig,
    RefreshConfig,
    SeewebConfig,
    UiConfig,
    ca_bundle_problem,
    check_theme,
    default_config_path,
    find_key_line,
    load_config,
    parse_config,
    resolve_config_path,
    resolve_secret,
    user_themes_dir,
)

__all__ = [
    "CONFIG_ENV",
    "BackendConfig",
    "Config",
    "ConfigError",
    "LoadedConfig",
    "OpenStackConfig",
    "RedisEnterpriseConfig",
    "RefreshConfig",
    "SeewebConfig",
    "UiConfig",
    "ca_bundle_problem",
    "check_theme",
    "default_config_path",
    "find_key_line",
    "load_config",
    "parse_config",
    "resolve_config_path",
    "resolve_secret",
    "user_themes_dir",
]
