"""``actiondeck list [QUERY]`` and its formats, run as the installed command on the simulator."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.helpers.cli import ACTIONDECK, lines, on_pty, run
from tui.cli.formats import ALL_FIELDS, CSV_FIELDS
from tui.sim import Simulator


def listed(config: Path, *args: str) -> list[dict[str, object]]:
    done = run("list", "--config", str(config), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


def test_a_query_is_the_console_search_language(sim_config: Path) -> None:
    found = listed(sim_config, "status:failed backend:seeweb", "--limit", "200")
    assert found and all(a["status"] == "failed" and a["backend"] == "seeweb" for a in found)
    name = str(found[0]["name"])
    typed = listed(sim_config, f"type:{name} status:failed", "--limit", "200")
    assert typed and all(a["name"] == name and a["status"] == "failed" for a in typed)


def test_a_query_combines_with_backend_and_status_flags(sim_config: Path) -> None:
    both = listed(sim_config, "status:failed", "--backend", "redis", "--limit", "200")
    assert both and all(a["backend"] == "redis" and a["status"] == "failed" for a in both)
    # Every part must match: a query and a --status that disagree keep nothing.
    assert listed(sim_config, "status:running", "--status", "completed") == []
    free_text = str(both[0]["resource"])
    matched = listed(sim_config, free_text, "--backend", "redis", "--limit", "200")
    assert matched and all(free_text in json.dumps(a) for a in matched)


def test_json_flag_is_the_alias_of_format_json(sim_config: Path) -> None:
    alias = run("list", "--config", str(sim_config), "--json", "--limit", "5")
    spelled = run("list", "--config", str(sim_config), "--format", "json", "--limit", "5")
    assert alias.returncode == spelled.returncode == 0
    assert alias.stdout == spelled.stdout
    assert [set(a) for a in json.loads(alias.stdout)] == [set(ALL_FIELDS)] * 5


def test_csv_through_the_csv_module_with_chosen_fields(sim_config: Path) -> None:
    done = run("list", "--config", str(sim_config), "--format", "csv", "--limit", "20")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 20 and tuple(rows[0]) == CSV_FIELDS
    as_json = listed(sim_config, "--limit", "20")
    assert [r["ref"] for r in rows] == [a["ref"] for a in as_json]
    chosen = run(
        "list", "--config", str(sim_config), "--format", "csv", "--fields", "ref,status,progress"
    )
    header, *body = list(csv.reader(io.StringIO(chosen.stdout)))
    assert header == ["ref", "status", "progress"] and body
    assert all(row[2] == "" or 0 <= float(row[2]) <= 100 for row in body)


def test_tsv_without_headers_and_ndjson(sim_config: Path) -> None:
    tsv = run(
        "list", "--config", str(sim_config), "--format", "tsv", "--no-headers",
        "--fields", "ref,backend", "--limit", "7",
    )  # fmt: skip
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert len(rows) == 7 and all(ref.startswith(f"{backend}:") for ref, backend in rows)
    nd = run("list", "--config", str(sim_config), "--format", "ndjson", "--limit", "7")
    records = [json.loads(line) for line in nd.stdout.splitlines()]
    assert [r["ref"] for r in records] == [ref for ref, _ in rows]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", "--format", "csv"], "--json is --format json"),
        (["--fields", "ref,colour"], "unknown field 'colour'"),
        (["--format", "xml"], "invalid choice"),
    ],
)
def test_bad_output_flags_are_usage_errors(sim_config: Path, args: list[str], message: str) -> None:
    done = run("list", "--config", str(sim_config), *args)
    assert done.returncode == 2 and message in done.stderr and done.stdout == ""
    assert "Traceback" not in done.stderr


def test_the_piped_table_has_a_backend_column_whole_refs_and_no_icons(sim_config: Path) -> None:
    done = run("list", "--config", str(sim_config), "--limit", "300", env={"COLUMNS": "60"})
    header, *rows = done.stdout.splitlines()
    assert header.split() == [
        "STATUS", "PROG", "ACTION", "RESOURCE", "STARTED", "(UTC)", "BACKEND", "REF",
    ]  # fmt: skip
    refs = {a["ref"] for a in listed(sim_config, "--limit", "300")}
    assert {row.split()[-1] for row in rows} == refs  # piped: never narrowed, never cut
    assert not any(icon in done.stdout for icon in "✔✖●◌⊘")


def test_on_a_terminal_the_table_fits_its_width_with_icons_and_short_refs(
    sim_config: Path,
) -> None:
    code, out = on_pty("list", "--config", str(sim_config), "--limit", "60", columns=100)
    table = lines(out)
    assert code == 0 and len(table) == 61
    assert max(len(line) for line in table) <= 100
    assert any("✔ completed" in line for line in table)
    long_refs = [line.split()[-1] for line in table if "openstack:" in line]
    assert long_refs and all("…" in ref and ref.startswith("openstack:") for ref in long_refs)


def test_hostile_text_is_data_in_csv_and_inert_on_a_terminal(
    fresh_sim: Simulator, fresh_sim_config: Path
) -> None:
    for server in fresh_sim.servers:
        server.faults.update(hostile_text=True)
    config = str(fresh_sim_config)
    piped = run("list", "--config", config, "--format", "csv", "--limit", "50")
    csv.field_size_limit(64 * 1024 * 1024)  # hostile strings are long on purpose
    names = [row["name"] for row in csv.DictReader(io.StringIO(piped.stdout))]
    exact = json.loads(run("list", "--config", config, "--json", "--limit", "50").stdout)
    assert names == [a["name"] for a in exact] and any("\x1b" in n for n in names)
    for fmt in ("csv", "json", "ndjson", "table"):
        code, out = on_pty("list", "--config", config, "--format", fmt, "--limit", "20")
        assert code == 0
        bad = {c for c in out if unicodedata.category(c) in {"Cc", "Cf"} and c != "\n"}
        assert bad == set(), (fmt, bad)
    code, out = on_pty("list", "--config", config, "--format", "json", "--limit", "50")
    assert json.loads(out)[0]["name"] == exact[0]["name"]  # still the same data
    code, out = on_pty("show", exact[0]["ref"], "--config", config, "--json")
    assert code == 0 and not {c for c in out if unicodedata.category(c) in {"Cc", "Cf"}} - {"\n"}
    assert json.loads(out)["name"] == exact[0]["name"]


def test_a_closed_pipe_is_success(sim_config: Path) -> None:
    shell = f"'{ACTIONDECK}' list --config '{sim_config}' --limit 1000 | head -1"
    done = subprocess.run(
        ["bash", "-c", f'{shell}; echo "exit=${{PIPESTATUS[0]}}"'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    first, status = done.stdout.splitlines()
    assert first.startswith("STATUS") and status == "exit=0", done.stderr
    assert done.stderr == ""
