"""The CLI against a hostile simulator: people see inert text, scripts get the exact data."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.sim import Simulator
from tui.sim.hostile import HOSTILE

INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_inert(text: str) -> None:
    """Only newlines: no control, format or invisible character reached the terminal."""
    found = {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in INVISIBLE and c != "\n"}
    assert found == set()


@pytest.fixture
def hostile_sim(fresh_sim: Simulator) -> Simulator:
    for server in fresh_sim.servers:
        server.faults.update(hostile_text=True)
    return fresh_sim


def test_list_and_show_print_no_control_character_and_json_keeps_the_exact_strings(
    hostile_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(fresh_sim_config)
    code, out, err = run(capsys, "list", "--config", config, "--limit", "300")
    assert code == 0, err
    assert_inert(out)
    assert "[bold]x[/bold]" in out

    code, listed, err = run(capsys, "list", "--config", config, "--json", "--limit", "300")
    assert code == 0, err
    actions = json.loads(listed)
    by_type = {action["backend_type"]: action for action in actions}
    assert set(by_type) == {"seeweb", "openstack", "redis-enterprise"}
    assert all(action["name"].startswith(HOSTILE) for action in by_type.values())

    for action in by_type.values():
        code, out, err = run(capsys, "show", action["ref"], "--config", config)
        assert code == 0, err
        assert_inert(out)
        assert "␛]52;c;cHduZWQ=␇" in out  # shown, as visible placeholders
        code, out, err = run(capsys, "show", action["ref"], "--config", config, "--json")
        assert code == 0, err
        shown = json.loads(out)
        assert shown["name"] == action["name"]  # exactly what the server sent
        assert shown["raw"] == json.loads(json.dumps(shown["raw"]))


def test_a_hostile_error_message_reaches_stderr_inert_on_one_line(
    hostile_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_sim.seeweb.faults.update(status=503)
    hostile_sim.redis.faults.update(status=500)
    code, out, err = run(capsys, "list", "--config", str(fresh_sim_config), "--json")
    assert code == 3
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("actiondeck: ") for line in lines)
    assert "␛]0;pwned␇" in err  # the server's message is there, as text
    assert_inert(err)
    assert json.loads(out)  # the healthy backend's actions are still printed

    code, _, err = run(capsys, "show", "seeweb:1", "--config", str(fresh_sim_config))
    assert code == 3 and len(err.splitlines()) == 1 and "pwned" in err
    assert_inert(err)
