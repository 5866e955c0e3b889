"""The schema of the config file (pydantic): what each table may say, and its messages.

Each ``[[backends]]`` entry is validated by the schema of its ``type``, looked
up in :data:`tui.backends.REGISTRY` (an unknown type, like an unknown key, is
an error that names it). A valid file becomes the plain classes of
:mod:`tui.config.values` (:func:`validate_config`). Imported only to read a
config file: the embedded simulator's config never loads pydantic.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from tui.backends import REGISTRY
from tui.backends.settings import BackendSettings as PlainBackendSettings
from tui.backends.settings_schema import BackendSettings, Strict, to_plain
from tui.config import values
from tui.config.values import NotifyMode


@functools.cache
def _entries_adapter(schemas: tuple[type[BackendSettings], ...]) -> TypeAdapter[Any]:
    """Validates a list of entries, each by the model its ``type`` tag names."""
    union: Any = functools.reduce(lambda left, right: left | right, schemas)  # type: ignore[arg-type, return-value]
    return TypeAdapter(list[Annotated[union, Field(discriminator="type")]])


def _validated_entries(entries: Any) -> list[BackendSettings]:
    """``entries`` validated, each by the schema of its registered type.

    Raises:
        ValidationError: located as ``backends[N].TYPE.key`` (pydantic's union tags).
    """
    schemas = tuple(REGISTRY[tag].schema() for tag in _families_named(entries))
    return list(_entries_adapter(schemas).validate_python(entries))


def validate_backends(entries: Any) -> list[PlainBackendSettings]:
    """``entries`` validated, each by the schema of its registered type, as settings.

    Raises:
        ValidationError: located as ``backends[N].TYPE.key`` (pydantic's union tags).
    """
    plain: list[PlainBackendSettings] = to_plain(_validated_entries(entries))
    return plain


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

    PLAIN = values.RefreshConfig

    busy_interval: float = Field(default=2.0, ge=0.2, le=3600)
    idle_interval: float = Field(default=10.0, ge=0.5, le=3600)
    max_backoff: float = Field(default=120.0, ge=1, le=3600)
    stale_after: float = Field(default=60.0, ge=1, le=86400)


class SavedSearch(Strict):
    """A named search of ``[[ui.searches]]``, offered in the command palette."""

    PLAIN = values.SavedSearch

    name: str = Field(min_length=1, max_length=80)
    query: str = Field(max_length=1000)


class UiConfig(Strict):
    """How the console looks."""

    PLAIN = values.UiConfig

    theme: str = "actiondeck-dark"
    page_size: int = Field(default=0, ge=0, le=1000)
    bell: bool = False
    notify: NotifyMode = "auto"
    searches: list[SavedSearch] = Field(default_factory=list, max_length=200)
    clipboard: Literal["osc52", "off"] = "osc52"


class StuckConfig(Strict):
    """When an in-flight action is flagged as stuck (``[stuck]``; see :mod:`tui.stuck`)."""

    PLAIN = values.StuckConfig

    factor: float = Field(default=3.0, ge=1.1, le=1000)
    min_samples: int = Field(default=5, ge=1, le=10_000)
    floor_minutes: float = Field(default=30.0, gt=0, le=100_000)
    heartbeat_minutes: float = Field(default=5.0, gt=0, le=100_000)


class HistoryConfig(Strict):
    """The action journal: a local SQLite file that remembers every action seen."""

    PLAIN = values.HistoryConfig

    enabled: bool = True
    path: Path | None = None
    keep_days: float = Field(default=30, gt=0, le=36500)

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


class Config(Strict):
    """The whole configuration file."""

    PLAIN = values.Config

    backends: list[BackendSettings] = Field(default_factory=list)
    refresh: RefreshConfig = Field(default_factory=RefreshConfig)
    ui: UiConfig = Field(default_factory=UiConfig)
    stuck: StuckConfig = Field(default_factory=StuckConfig)

    history: HistoryConfig = Field(default_factory=HistoryConfig)

    @field_validator("backends", mode="wrap")
    @classmethod
    def _by_type(cls, value: Any, _handler: ValidatorFunctionWrapHandler) -> list[BackendSettings]:
        return _validated_entries(value)

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        names = [backend.name for backend in self.backends]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"backend names must be unique; repeated: {', '.join(duplicates)}")
        return self


def validate_config(data: Any) -> values.Config:
    """The config ``data`` (a parsed TOML document) says, validated.

    Raises:
        ValidationError: what is wrong, located by key (worded by :mod:`tui.config.checks`).
    """
    config: values.Config = to_plain(Config.model_validate(data))
    return config
