"""``actiondeck history``: the journal from scripts, in the console's search language."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers.journal import NOW, open_journal, sim_actions
from tui.cli.main import main
from tui.model import Action, Status, action_to_json
from tui.search import parse_filter
from tui.sim import Simulator


@pytest.fixture
def journal_config(tmp_path: Path, sim: Simulator) -> tuple[Path, list[Action]]:
    """A config whose ``[history]`` is a journal in tmp_path holding the simulator's actions."""
    path = tmp_path / "history.sqlite3"
    actions = sim_actions(sim)
    journal = open_journal(path)
    journal.record(actions, NOW)
    assert journal.flush()
    journal.close()
    config = tmp_path / "c.toml"
    config.write_text(f'[history]\npath = "{path}"\n')
    return config, actions


def _json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_a_query_in_the_search_language_selects_from_the_journal(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, actions = journal_config
    query = "status:failed backend:openstack"
    assert main(["history", query, "--json", "--limit", "1000", "--config", str(config)]) == 0
    printed = _json(capsys)
    wanted = parse_filter(query)
    expected = sorted((a for a in actions if wanted.matches(a)), key=lambda a: a.sort_time)
    assert expected, "the simulator has failed Nova actions"
    assert [item["ref"] for item in printed] == [a.ref for a in reversed(expected)]
    assert printed[0].keys() == action_to_json(expected[-1]).keys()  # the schema of show --json


def test_since_keeps_what_was_active_in_the_window(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, actions = journal_config
    assert (
        main(["history", "--since", "1000d", "--json", "--limit", "5000", "--config", str(config)])
        == 0
    )
    assert len(_json(capsys)) == len(actions)
    newest = max(a.sort_time for a in actions) + timedelta(days=1)
    assert main(["history", "--since", newest.isoformat(), "--json", "--config", str(config)]) == 0
    assert _json(capsys) == []


def test_ndjson_is_one_object_per_line_and_the_table_is_plain(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = journal_config
    assert main(["history", "--format", "ndjson", "--limit", "3", "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(json.loads(line)["ref"] for line in lines)
    assert main(["history", "status:completed", "--limit", "3", "--config", str(config)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("STATUS")
    assert len(table) == 4
    assert all(Status.COMPLETED.value in row for row in table[1:])


def test_history_speaks_the_shared_formats_with_fields_and_no_headers(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV, TSV, ``--fields`` and ``--no-headers``, as ``list`` has them."""
    config, _ = journal_config
    base = ["history", "status:failed", "--limit", "4", "--config", str(config)]
    assert main([*base, "--format", "csv", "--fields", "ref,status"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["ref", "status"]
    assert len(rows) == 5
    assert all(status == "failed" and ":" in ref for ref, status in rows[1:])
    assert main([*base, "--format", "tsv", "--fields", "ref", "--no-headers"]) == 0
    refs = capsys.readouterr().out.splitlines()
    assert refs == [row[0] for row in rows[1:]]
    assert main([*base, "--format", "ndjson", "--fields", "ref,name"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [list(line) for line in lines] == [["ref", "name"]] * 4
    assert main([*base, "--no-headers"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 4
    assert not table[0].startswith("STATUS")


def test_json_with_another_format_or_an_unknown_field_is_a_usage_error(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = journal_config
    assert main(["history", "--json", "--format", "csv", "--config", str(config)]) == 2
    assert "--json" in capsys.readouterr().err
    assert main(["history", "--fields", "ref,nope", "--config", str(config)]) == 2
    assert "nope" in capsys.readouterr().err


def test_history_never_writes_the_journal(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config, _ = journal_config
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    runs = db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert main(["history", "--config", str(config)]) == 0
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == runs
    capsys.readouterr()


def test_no_journal_yet_is_an_empty_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[history]\npath = "{tmp_path}/none.sqlite3"\n')
    assert main(["history", "--json", "--config", str(config)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "no journal yet" in captured.err
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_corrupt_journal_is_one_line_and_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"not a database at all\n" * 200)
    config = tmp_path / "c.toml"
    config.write_text(f'[history]\npath = "{path}"\n')
    assert main(["history", "--config", str(config)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("actiondeck: history ")
    assert "\n" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize("since", ["yesterday", "24x", ""])
def test_a_bad_since_is_a_usage_error(
    journal_config: tuple[Path, list[Action]], capsys: pytest.CaptureFixture[str], since: str
) -> None:
    config, _ = journal_config
    assert main(["history", "--since", since, "--config", str(config)]) == 2
    assert "--since" in capsys.readouterr().err


def test_history_loads_no_console(journal_config: tuple[Path, list[Action]]) -> None:
    config, _ = journal_config
    code = (
        "import contextlib, io, json, sys\n"
        "from tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['history', '--json', '--config', sys.argv[1]])\n"
        "print(json.dumps([code, sorted(n for n in sys.modules if n.split('.')[0] in "
        "('textual', 'rich'))]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(config)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [0, []]
