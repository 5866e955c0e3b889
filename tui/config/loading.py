"""The TOML configuration: where it lives, what it may say, how it is loaded.

Validated with pydantic. Each ``[[backends]]`` entry is validated by the
settings model of its ``type``, looked up in :data:`tui.backends.REGISTRY` (an
unknown type, like an unknown key, is an error that names it). Every error
names the file, the key (and the line when it can be found) and what was
expected, in one line, without a traceback (:mod:`tui.config.checks`).
This module does no network I/O, resolves no secret (:mod:`tui.config.secrets`)
and imports nothing from the UI.
"""

from __future__ import annotations

import functools
import os
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from tui.backends import REGISTRY
from tui.backends.settings import BackendSettings, Strict
from tui.config.checks import check_ca_certs, describe_validation_error, plaintext_warnings
from tui.config.errors import ConfigError

if TYPE_CHECKING:
    from tui.stuck import StuckRule

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


@functools.cache
def _entries_adapter(settings: tuple[type[BackendSettings], ...]) -> TypeAdapter[Any]:
    """Validates a list of entries, each by the model its ``type`` tag names."""
    union: Any = functools.reduce(lambda left, right: left | right, settings)  # type: ignore[arg-type, return-value]
    return TypeAdapter(list[Annotated[union, Field(discriminator="type")]])


def validate_backends(entries: Any) -> list[BackendSettings]:
    """``entries`` validated, each by the settings model of its registered type.

    Raises:
        ValidationError: located as ``backends[N].TYPE.key`` (pydantic's union tags).
    """
    adapter = _entries_adapter(tuple(REGISTRY[tag].settings for tag in _families_named(entries)))
    return list(adapter.validate_python(entries))


def _families_named(entries: Any) -> list[str]:
    """The registered types ``entries`` name, in registry order; every type if one is not.

    Only the families in use are imported. When an entry is not a table, has no
    ``type`` or names an unknown one, validation fails anyway and the adapter
    holds every family, so the error reads as it always has.
    """
    if not isinstance(entries, list):
        return list(REGISTRY)
    named = {entry.get("type") if isinstance(entry, dict) else None for entry in entries}
    if not named or not all(isinstance(tag, str) and tag in REGISTRY for tag in named):
        return list(REGISTRY)
    return [tag for tag in REGISTRY if tag in named]


class RefreshConfig(Strict):
    """How often backends are polled (seconds)."""

    busy_interval: float = Field(default=2.0, ge=0.2, le=3600)
    idle_interval: float = Field(default=10.0, ge=0.5, le=3600)
    max_backoff: float = Field(default=120.0, ge=1, le=3600)
    stale_after: float = Field(default=60.0, ge=1, le=86400)


class SavedSearch(Strict):
    """A named search of ``[[ui.searches]]``, offered in the command palette."""

    name: str = Field(min_length=1, max_length=80)
    query: str = Field(max_length=1000)


NotifyMode = Literal["auto", "osc9", "osc777", "bell", "off"]
"""How a watched action's end reaches the desktop (see ``docs/console.md``)."""


class UiConfig(Strict):
    """How the console looks."""

    theme: str = "actiondeck-dark"
    page_size: int = Field(default=0, ge=0, le=1000)
    """Rows per page; 0 follows the terminal height."""
    bell: bool = False
    """Ring the terminal bell when a watched action ends."""
    notify: NotifyMode = "auto"
    """Desktop notifications through the terminal (OSC 9, OSC 777), the bell, or none."""
    searches: list[SavedSearch] = Field(default_factory=list, max_length=200)
    """Saved searches, listed in the command palette."""

    clipboard: Literal["osc52", "off"] = "osc52"
    """Copy through the terminal (OSC 52), or never (``off``: copies are saved to files)."""


class StuckConfig(Strict):
    """When an in-flight action is flagged as stuck (``[stuck]``; see :mod:`tui.stuck`)."""

    factor: float = Field(default=3.0, ge=1.1, le=1000)
    """Slow after this many times the p95 duration of completed actions of its kind."""
    min_samples: int = Field(default=5, ge=1, le=10_000)
    """Completed actions of a kind needed before their p95 is used."""
    floor_minutes: float = Field(default=30.0, gt=0, le=100_000)
    """Slow after this long when there is not enough history."""
    heartbeat_minutes: float = Field(default=5.0, gt=0, le=100_000)
    """Stuck when a reported heartbeat (Redis Enterprise) is older than this."""

    def rule(self) -> StuckRule:
        """The rule these settings describe."""
        from tui.stuck import StuckRule  # the console's and the exporter's, not the CLI's

        return StuckRule(
            factor=self.factor,
            min_samples=self.min_samples,
            floor=timedelta(minutes=self.floor_minutes),
            heartbeat_stale=timedelta(minutes=self.heartbeat_minutes),
        )


class HistoryConfig(Strict):
    """The action journal: a local SQLite file that remembers every action seen."""

    enabled: bool = True
    """Keep the journal (false: the console starts empty and forgets on quit)."""
    path: Path | None = None
    """The database file; the default is ``actions.sqlite3`` in the platformdirs data dir."""
    keep_days: float = Field(default=30, gt=0, le=36500)
    """Actions not seen for this many days are pruned."""

    @field_validator("path")
    @classmethod
    def _usable_path(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        text = str(value)
        if not text.strip() or any(ord(ch) < 32 for ch in text):
            raise ValueError("must be a file path (no control characters)")
        path = value.expanduser()
        if path.is_dir():
            raise ValueError("is a directory; name the database file")
        return path

    def database_path(self, *, demo: bool = False) -> Path:
        """The file to use: ``path``, or the default in the user data dir.

        Demo mode (the embedded simulator) keeps its own file beside the
        default, so simulated actions never mix with real history.
        """
        if self.path is not None:
            return self.path
        return default_history_path(demo=demo)


def default_history_path(*, demo: bool = False) -> Path:
    """The journal file in the platformdirs user data dir (may not exist)."""
    name = "demo-actions.sqlite3" if demo else "actions.sqlite3"
    import platformdirs

    return platformdirs.user_data_path("actiondeck") / name


class Config(Strict):
    """The whole configuration file."""

    backends: list[BackendSettings] = Field(default_factory=list)
    """Each entry is the settings model of its ``type`` (see :data:`tui.backends.REGISTRY`)."""
    refresh: RefreshConfig = Field(default_factory=RefreshConfig)
    ui: UiConfig = Field(default_factory=UiConfig)
    stuck: StuckConfig = Field(default_factory=StuckConfig)

    history: HistoryConfig = Field(default_factory=HistoryConfig)

    @field_validator("backends", mode="wrap")
    @classmethod
    def _by_type(cls, value: Any, _handler: ValidatorFunctionWrapHandler) -> list[BackendSettings]:
        return validate_backends(value)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        names = [backend.name for backend in self.backends]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"backend names must be unique; repeated: {', '.join(duplicates)}")
        return self


class LoadedConfig(BaseModel):
    """A validated config and where it came from."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, defer_build=True)

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
        raise ConfigError(describe_validation_error(exc, text, path)) from None
    check_ca_certs(config.backends, text, path)
    warnings = tuple(plaintext_warnings(config.backends, path))
    return LoadedConfig(config=config, path=path, warnings=warnings)
