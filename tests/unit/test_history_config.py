"""The ``[history]`` table: defaults, a path of one's own, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from tui.config import ConfigError, default_history_path, parse_config


def test_history_is_on_by_default_in_the_user_data_dir() -> None:
    history = parse_config("", Path("/etc/c.toml")).config.history
    assert history.enabled
    assert history.keep_days == 30
    assert history.database_path() == default_history_path()
    assert default_history_path().parent == platformdirs.user_data_path("actiondeck")


def test_a_path_and_keep_days_of_ones_own(tmp_path: Path) -> None:
    text = f'[history]\npath = "{tmp_path}/h.sqlite3"\nkeep_days = 7\nenabled = false\n'
    history = parse_config(text, Path("/etc/c.toml")).config.history
    assert history.database_path() == tmp_path / "h.sqlite3"
    assert history.keep_days == 7
    assert not history.enabled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[history]\nkeep_days = 0\n", "c.toml:2: history.keep_days: Input should be greater"),
        ('[history]\nenabled = "maybe"\n', "c.toml:2: history.enabled: Input should be a valid"),
        ("[history]\nkeep = 3\n", "c.toml:2: history.keep: unknown key"),
        ('[history]\npath = "/tmp"\n', "c.toml:2: history.path: is a directory"),
    ],
)
def test_history_errors_name_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("/etc/c.toml"))
    assert expected in str(caught.value)
