"""The configuration as the program holds it: plain frozen classes, one per table.

:mod:`tui.config.schema` validates a config file and makes these of it; the
embedded simulator's config (:mod:`tui.embedded`) is made of them directly, so
a console on the demo never imports pydantic. The defaults here are the
schema's (a test holds them equal). Each backend entry is its family's
settings class (:data:`tui.backends.REGISTRY`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tui.backends.settings import BackendSettings

if TYPE_CHECKING:
    from tui.stuck import StuckRule


@dataclass(frozen=True, kw_only=True)
class RefreshConfig:
    """How often backends are polled (seconds)."""

    busy_interval: float = 2.0
    idle_interval: float = 10.0
    max_backoff: float = 120.0
    stale_after: float = 60.0


@dataclass(frozen=True, kw_only=True)
class SavedSearch:
    """A named search of ``[[ui.searches]]``, offered in the command palette."""

    name: str
    query: str


NotifyMode = Literal["auto", "osc9", "osc777", "bell", "off"]
"""How a watched action's end reaches the desktop (see ``docs/console.md``)."""


@dataclass(frozen=True, kw_only=True)
class UiConfig:
    """How the console looks."""

    theme: str = "actiondeck-dark"
    page_size: int = 0
    """Rows per page; 0 follows the terminal height."""
    bell: bool = False
    """Ring the terminal bell when a watched action ends."""
    notify: NotifyMode = "auto"
    """Desktop notifications through the terminal (OSC 9, OSC 777), the bell, or none."""
    searches: list[SavedSearch] = field(default_factory=list)
    """Saved searches, listed in the command palette."""
    clipboard: Literal["osc52", "off"] = "osc52"
    """Copy through the terminal (OSC 52), or never (``off``: copies are saved to files)."""


@dataclass(frozen=True, kw_only=True)
class StuckConfig:
    """When an in-flight action is flagged as stuck (``[stuck]``; see :mod:`tui.stuck`)."""

    factor: float = 3.0
    """Slow after this many times the p95 duration of completed actions of its kind."""
    min_samples: int = 5
    """Completed actions of a kind needed before their p95 is used."""
    floor_minutes: float = 30.0
    """Slow after this long when there is not enough history."""
    heartbeat_minutes: float = 5.0
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


@dataclass(frozen=True, kw_only=True)
class HistoryConfig:
    """The action journal: a local SQLite file that remembers every action seen."""

    enabled: bool = True
    """Keep the journal (false: the console starts empty and forgets on quit)."""
    path: Path | None = None
    """The database file; the default is ``actions.sqlite3`` in the platformdirs data dir."""
    keep_days: float = 30
    """Actions not seen for this many days are pruned."""

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


@dataclass(frozen=True, kw_only=True)
class Config:
    """The whole configuration file."""

    backends: list[BackendSettings] = field(default_factory=list)
    """Each entry is the settings of its ``type`` (see :data:`tui.backends.REGISTRY`)."""
    refresh: RefreshConfig = field(default_factory=RefreshConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    stuck: StuckConfig = field(default_factory=StuckConfig)
    history: HistoryConfig = field(default_factory=HistoryConfig)


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and where it came from."""

    config: Config
    path: Path | None
    """None for a config built in memory (the embedded simulator)."""
    warnings: tuple[str, ...] = ()
