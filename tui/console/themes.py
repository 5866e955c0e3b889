"""Console themes: the built-in theme files and the user's own, as Textual themes.

A theme is a small TOML file (see ``docs/themes.md``): Textual's base colours
plus ``[variables]``, among them the ``status-*`` colours the console uses
for action states. Built-in files ship in the package (``tui/_themes`` in a
wheel, the repository's ``themes/`` in a source checkout); user files live
in :func:`tui.config.user_themes_dir`. A broken file is reported in
:attr:`ThemeLoadResult.failed` and skipped: loading themes never raises and
never stops the console from starting. This module reads files only; it does
not register themes (the app does that).

A user's file is validated by :class:`~tui.console.theme_file.ThemeFile`
(pydantic, imported only then); the built-in files, the package's own, are
read as they are (tests/unit/test_themes.py holds them to the same themes
the validation gives), so a start without theme files of its own builds no
validator and loads no pydantic for its themes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from textual.color import Color, ColorParseError
from textual.theme import Theme

if TYPE_CHECKING:
    from pydantic import ValidationError

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

THEME_KEYS = frozenset(
    {
        "name",
        "dark",
        "primary",
        "secondary",
        "accent",
        "background",
        "surface",
        "panel",
        "foreground",
        "success",
        "warning",
        "error",
    }
)
"""The keys of a theme file besides ``[variables]`` (the fields of ``ThemeFile``)."""

_FALLBACK_COLOURS = {
    "status-running": ("primary", "#4f9ee8"),
    "status-failed": ("error", "#e5675c"),
    "status-completed": ("success", "#5fb878"),
    "status-pending": ("accent", "#b48ead"),
    "status-cancelled": ("secondary", "#8a94a3"),
    "status-unknown": ("foreground", "#a0a8b4"),
    "status-stale": ("warning", "#e5b94e"),
}


def check_colour(value: str) -> str:
    """``value`` when Textual can parse it as a colour; else ``ValueError`` naming it."""
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"not a colour: {value!r}") from None
    return value


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
    builtins = builtin_themes_dir()
    for directory in (builtins, user_dir):
        for path in _theme_files(directory):
            theme, error = load_theme_file(path, trusted=directory == builtins)
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


def load_theme_file(path: Path, *, trusted: bool = False) -> tuple[Theme | None, str]:
    """Read one theme file.

    Args:
        path: the file.
        trusted: a built-in file, read without validation (one that does not
            make a theme as it is is then validated, and reported as any other).

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
    if trusted and (theme := trusted_theme(document)) is not None:
        return theme, ""
    return parse_theme(document)


def trusted_theme(document: dict[str, object]) -> Theme | None:
    """The theme of a built-in document, as validation would make it, unvalidated.

    ``None`` when the document does not make a theme as it is (an unknown key,
    a value of the wrong kind): the caller then validates it.
    """
    colours = {key: value for key, value in document.items() if key != "variables"}
    variables = document.get("variables", {})
    plain = all(
        isinstance(value, bool) if key == "dark" else isinstance(value, str)
        for key, value in colours.items()
    )
    if not (plain and set(colours) <= THEME_KEYS and {"name", "primary"} <= set(colours)):
        return None
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        return None
    theme = Theme(**colours)  # type: ignore[arg-type]  # str values, bool dark: checked above
    theme.variables = {**status_variable_defaults(theme), **variables}
    return theme


def parse_theme(document: dict[str, object]) -> tuple[Theme | None, str]:
    """Validate a decoded theme document.

    Returns:
        ``(theme, "")`` on success, ``(None, reason)`` naming each bad key.
    """
    from pydantic import ValidationError

    from tui.console.theme_file import ThemeFile

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
                check_colour(value)
            except ValueError as error:
                raise ValueError(f"variables.{name}: {error}") from None


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors(include_url=False):
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{key}: {message}")
    return "; ".join(problems)
