"""Theme files: the built-ins load completely, broken user files are reported, never raised."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import Theme

from tui.console.theme_file import ThemeFile
from tui.console.themes import (
    BUILTIN_THEME_NAMES,
    DEFAULT_THEME,
    DIVIDER_VARIABLE,
    STATUS_VARIABLES,
    THEME_KEYS,
    builtin_themes_dir,
    load_theme_file,
    load_themes,
    parse_theme,
    status_variable_defaults,
)

MINIMAL = 'name = "mine"\nprimary = "#336699"\n'


def _write(directory: Path, filename: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    path.write_text(text, encoding="utf-8")
    return path


def _by_name(themes: list[Theme]) -> dict[str, Theme]:
    return {theme.name: theme for theme in themes}


def test_builtin_themes_load_without_failures() -> None:
    result = load_themes(None)

    assert result.failed == []
    assert set(_by_name(result.loaded)) == set(BUILTIN_THEME_NAMES)
    assert DEFAULT_THEME in BUILTIN_THEME_NAMES


@pytest.mark.parametrize("name", BUILTIN_THEME_NAMES)
def test_each_builtin_defines_every_status_colour_itself(name: str) -> None:
    path = builtin_themes_dir() / f"{name}.toml"
    text = path.read_text(encoding="utf-8")
    theme = _by_name(load_themes(None).loaded)[name]

    for variable in STATUS_VARIABLES:
        assert f"{variable} =" in text, f"{path.name} lacks {variable}"
        Color.parse(theme.variables[variable])
    for colour in ("background", "surface", "panel", "foreground", "error", "success"):
        assert getattr(theme, colour), f"{name} lacks {colour}"


@pytest.mark.parametrize("name", BUILTIN_THEME_NAMES)
def test_each_builtin_read_unvalidated_is_the_theme_validation_makes(name: str) -> None:
    path = builtin_themes_dir() / f"{name}.toml"

    trusted, _ = load_theme_file(path, trusted=True)
    validated, reason = load_theme_file(path)

    assert reason == ""
    assert trusted is not None and validated is not None
    assert trusted == validated
    assert trusted.variables == validated.variables


def test_theme_keys_are_the_theme_files_fields() -> None:
    assert set(ThemeFile.model_fields) == THEME_KEYS | {"variables"}


@pytest.mark.parametrize(
    "text",
    [
        MINIMAL + 'tint = "#123456"\n',
        'name = "mine"\nprimary = 7\n',
        'primary = "#336699"\n',
        MINIMAL + "[variables]\nstatus-failed = 3\n",
        MINIMAL + 'variables = "none"\n',
    ],
)
def test_a_builtin_that_makes_no_theme_as_it_is_is_validated_and_reported(
    tmp_path: Path, text: str
) -> None:
    path = _write(tmp_path, "odd.toml", text)

    assert load_theme_file(path, trusted=True) == load_theme_file(path)
    assert load_theme_file(path)[0] is None


def test_validating_a_theme_file_still_names_the_bad_key() -> None:
    theme, reason = parse_theme({"name": "mine", "primary": "greyish"})

    assert theme is None
    assert reason.startswith("primary:")


def test_light_theme_is_light_and_dark_theme_is_dark() -> None:
    themes = _by_name(load_themes(None).loaded)

    assert themes["actiondeck-dark"].dark is True
    assert themes["actiondeck-light"].dark is False


def test_user_theme_overrides_builtin_of_same_name(tmp_path: Path) -> None:
    _write(tmp_path, "override.toml", 'name = "actiondeck-dark"\nprimary = "#ff0000"\n')

    result = load_themes(tmp_path)

    [dark] = [theme for theme in result.loaded if theme.name == "actiondeck-dark"]
    assert dark.primary == "#ff0000"
    assert result.failed == []


def test_user_theme_without_status_colours_gets_them_from_its_base_colours(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "mine.toml", MINIMAL + 'error = "#aa0000"\n')

    mine = _by_name(load_themes(tmp_path).loaded)["mine"]

    assert set(STATUS_VARIABLES) <= set(mine.variables)
    assert mine.variables["status-failed"] == "#aa0000"
    assert mine.variables["status-running"] == "#336699"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param('name = "x"\nprimary = \n', "not valid TOML", id="toml-syntax"),
        pytest.param('name = "x"\n', "primary", id="missing-primary"),
        pytest.param('name = "x"\nprimary = "#zz0000"\n', "not a colour", id="bad-colour"),
        pytest.param(MINIMAL + 'colour = "#000000"\n', "colour", id="unknown-key-typo"),
        pytest.param('name = "a b"\nprimary = "#000000"\n', "name", id="bad-name"),
        pytest.param(
            MINIMAL + '[variables]\nstatus-failed = "reddish"\n',
            "variables.status-failed",
            id="bad-status-variable",
        ),
        pytest.param(
            MINIMAL + '[variables]\ndivider = "greyish"\n', "variables.divider", id="bad-divider"
        ),
    ],
)
def test_broken_user_theme_is_reported_with_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = _write(tmp_path, "broken.toml", text)
    _write(tmp_path, "good.toml", MINIMAL)

    result = load_themes(tmp_path)

    assert [(failed_path, reason in why) for failed_path, why in result.failed] == [(path, True)]
    assert "mine" in _by_name(result.loaded)


def test_binary_user_theme_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00name")

    result = load_themes(tmp_path)

    assert result.failed == [(path, "not UTF-8 text")]


def test_huge_user_theme_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "huge.toml", MINIMAL + "# " + "x" * 70_000 + "\n")

    [(failed_path, reason)] = load_themes(tmp_path).failed

    assert failed_path == path
    assert "larger than" in reason


def test_missing_user_dir_is_not_an_error(tmp_path: Path) -> None:
    result = load_themes(tmp_path / "does-not-exist")

    assert result.failed == []
    assert len(result.loaded) == len(BUILTIN_THEME_NAMES)


def test_only_toml_files_are_read(tmp_path: Path) -> None:
    _write(tmp_path, "notes.txt", "not a theme")
    _write(tmp_path, "mine.toml", MINIMAL)

    result = load_themes(tmp_path)

    assert result.failed == []
    assert "mine" in _by_name(result.loaded)


def test_builtin_dir_prefers_the_wheel_location(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "tui"
    (package / "_themes").mkdir(parents=True)

    assert builtin_themes_dir(package) == package / "_themes"


def test_builtin_dir_falls_back_to_the_checkout(tmp_path: Path) -> None:
    package = tmp_path / "checkout" / "tui"
    package.mkdir(parents=True)

    assert builtin_themes_dir(package) == tmp_path / "checkout" / "themes"


def test_wheel_maps_the_themes_directory_where_the_loader_looks() -> None:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"

    assert '"themes" = "tui/_themes"' in pyproject.read_text(encoding="utf-8")


def test_status_defaults_follow_a_foreign_theme_and_fill_gaps() -> None:
    foreign = Theme(name="foreign", primary="#010203", error="#aa0000")

    defaults = status_variable_defaults(foreign)

    assert set(defaults) == {*STATUS_VARIABLES, DIVIDER_VARIABLE}
    assert defaults["status-failed"] == "#aa0000"
    assert defaults["status-running"] == "#010203"
    for value in defaults.values():
        Color.parse(value)
