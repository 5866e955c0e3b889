"""Console themes: the built-in theme files and the user's own, as Textual themes.

A theme is a small TOML file (see ``docs/themes.md``): Textual's base colours
plus ``[variables]``, among them the ``status-*`` colours the console uses
for action states. Built-in files ship in the package (``tui/_themes`` in a
wheel, the repository's ``themes/`` in a source checkout); user files live
in :func:`tui.config.user_themes_dir`. A broken file is reported in
:attr:`ThemeLoadResult.failed` and skipped: loading themes never raises and
never stops the console from starting. This module reads files only; it does
not register themes (the app does that).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "actiondeck-dark"
"""The theme used unless the config or ``--theme`` names another."""

BUILTIN_THEME_NAMES = ("actiondeck-dark", "actiondeck-light", "actiondeck-high-contrast")
"""The themes shipped with ActionDeck."""

STATUS_VARIABLES = (
    "status-running",
    "status-failed",
    "status-completed",
    "status-pending",
    "status-cancelled",
    "status-unknown",
    "status-stale",
)
"""Theme variables every ActionDeck theme defines (CSS: ``$status-failed`` …)."""

MAX_THEME_BYTES = 64 * 1024
"""A theme file larger than this is refused (it is certainly not a theme)."""

_FALLBACK_COLOURS = {
    "status-running": ("primary", "#4f9ee8"),
    "status-failed": ("error", "#e5675c"),
    "status-completed": ("success", "#5fb878"),
    "status-pending": ("accent", "#b48ead"),
    "status-cancelled": ("secondary", "#8a94a3"),
    "status-unknown": ("foreground", "#a0a8b4"),
    "status-stale": ("warning", "#e5b94e"),
}


def _colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"not a colour: {value!r}") from None
    return value


ColourStr = Annotated[str, AfterValidator(_colour)]


class ThemeFile(BaseModel):
    """The contents of one theme file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    """How the theme is chosen (``ui.theme``, ``--theme``, the command palette)."""
    dark: bool = True
    """Whether this is a dark theme (Textual derives shades from it)."""
    primary: ColourStr
    secondary: ColourStr | None = None
    accent: ColourStr | None = None
    background: ColourStr | None = None
    surface: ColourStr | None = None
    panel: ColourStr | None = None
    foreground: ColourStr | None = None
    success: ColourStr | None = None
    warning: ColourStr | None = None
    error: ColourStr | None = None
    variables: dict[str, str] = Field(default_factory=dict)
    """Extra Textual variables; ``status-*`` ones must be colours."""

    def to_theme(self) -> Theme:
        """The Textual theme, with every status variable filled in."""
        colours = self.model_dump(exclude={"variables"})
        theme = Theme(**colours)
        theme.variables = {**status_variable_defaults(theme), **self.variables}
        return theme


class ThemeLoadResult(NamedTuple):
    """Themes read from disk, and the files that could not be used."""

    loaded: list[Theme]
    """Usable themes; a later one with the same name replaces an earlier one."""
    failed: list[tuple[Path, str]]
    """Each unusable file and why, in one line."""


DIVIDER_VARIABLE = "divider"
"""The line between the list and the detail pane (CSS: ``$divider``)."""

_DIVIDER_SHADE = "panel-lighten-2"
"""What the divider is unless the theme says otherwise."""
_DIVIDER_FALLBACK = "#404b58"
"""The divider without a theme (the dark theme's ``$panel-lighten-2``)."""


def status_variable_defaults(theme: Theme | None = None) -> dict[str, str]:
    """Status colours and the divider for a theme that does not define them (e.g. Textual's own).

    Each status falls back to a related base colour of ``theme`` (failed →
    error, completed → success …), or to a fixed colour when the theme lacks
    that too; the divider to the theme's ``$panel-lighten-2``. Meant for
    ``App.get_theme_variable_defaults``, so CSS using ``$status-*`` and
    ``$divider`` parses under any theme.
    """
    defaults = {}
    for variable, (attribute, colour) in _FALLBACK_COLOURS.items():
        defaults[variable] = getattr(theme, attribute, None) or colour
    if theme is not None:
        defaults[DIVIDER_VARIABLE] = theme.to_color_system().generate()[_DIVIDER_SHADE]
    else:
        defaults[DIVIDER_VARIABLE] = _DIVIDER_FALLBACK
    return defaults


def builtin_themes_dir(package_dir: Path | None = None) -> Path:
    """The directory of the built-in theme files.

    Args:
        package_dir: the ``tui`` package directory (for tests).

    Returns:
        ``tui/_themes`` when installed from a wheel, else the checkout's ``themes/``.
    """
    package = package_dir or Path(__file__).resolve().parent.parent
    packaged = package / "_themes"
    return packaged if packaged.is_dir() else package.parent / "themes"


def load_themes(user_dir: Path | None = None) -> ThemeLoadResult:
    """Read the built-in themes, then the user's (which win on equal names).

    Args:
        user_dir: the user's theme directory (usually
            :func:`tui.config.user_themes_dir`); ``None`` reads built-ins only.
            A missing directory is not an error.

    Returns:
        The loaded themes in order (built-ins first) and the failed files.
    """
    by_name: dict[str, Theme] = {}
    failed: list[tuple[Path, str]] = []
    for directory in (builtin_themes_dir(), user_dir):
        for path in _theme_files(directory):
            theme, error = load_theme_file(path)
            if theme is None:
                failed.append((path, error))
            else:
                by_name.pop(theme.name, None)
                by_name[theme.name] = theme
    return ThemeLoadResult(list(by_name.values()), failed)


def theme_names(user_dir: Path | None = None) -> list[str]:
    """Every theme name the console accepts: the usable theme files and Textual's own."""
    from textual.theme import BUILTIN_THEMES

    return sorted({theme.name for theme in load_themes(user_dir).loaded} | set(BUILTIN_THEMES))


def _theme_files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    return sorted(path for path in directory.glob("*.toml") if path.is_file())


def load_theme_file(path: Path) -> tuple[Theme | None, str]:
    """Read one theme file.

    Returns:
        ``(theme, "")`` on success, ``(None, reason)`` when the file is unusable.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, f"cannot read: {error.strerror or error}"
    if len(data) > MAX_THEME_BYTES:
        return None, f"larger than {MAX_THEME_BYTES // 1024} KiB"
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except tomllib.TOMLDecodeError as error:
        return None, f"not valid TOML: {error}"
    return parse_theme(document)


def parse_theme(document: dict[str, object]) -> tuple[Theme | None, str]:
    """Validate a decoded theme document.

    Returns:
        ``(theme, "")`` on success, ``(None, reason)`` naming each bad key.
    """
    try:
        theme_file = ThemeFile.model_validate(document)
        _check_status_variables(theme_file.variables)
    except ValidationError as error:
        return None, _describe(error)
    except ValueError as error:
        return None, str(error)
    return theme_file.to_theme(), ""


def _check_status_variables(variables: dict[str, str]) -> None:
    for name, value in variables.items():
        if name.startswith("status-") or name == DIVIDER_VARIABLE:
            try:
                _colour(value)
            except ValueError as error:
                raise ValueError(f"variables.{name}: {error}") from None


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors(include_url=False):
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{key}: {message}")
    return "; ".join(problems)
