"""The scriptable CLI against the simulator over loopback: output, JSON and exit codes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.sim import Simulator

JSON_FIELDS = {
    "ref",
    "backend",
    "backend_type",
    "id",
    "name",
    "status",
    "raw_status",
    "progress",
    "resource",
    "resource_type",
    "user",
    "project_id",
    "created_at",
    "started_at",
    "finished_at",
    "updated_at",
    "message",
    "events",
    "pending_ops",
    "state",
    "node",
    "object_name",
    "action_type",
    "error_code",
    "gone",
    "raw",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_merges_all_three_backends_newest_first(
    sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", "--config", str(sim_config), "--json", "--limit", "200")
    assert code == 0, err
    actions = json.loads(out)
    assert len(actions) == 200
    assert {a["backend_type"] for a in actions} == {"seeweb", "openstack", "redis-enterprise"}
    assert all(set(a) == JSON_FIELDS for a in actions)
    times = [datetime.fromisoformat(a["created_at"] or a["started_at"]) for a in actions]
    assert times == sorted(times, reverse=True)
    assert all(t.utcoffset() is not None for t in times)
    assert all(a["created_at"] is None or a["created_at"].endswith("+00:00") for a in actions)
    assert len({a["ref"] for a in actions}) == 200


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["--backend", "redis"], lambda a: a["backend"] == "redis"),
        (["--status", "failed"], lambda a: a["status"] == "failed"),
        (["--status", "running"], lambda a: a["status"] == "running"),
    ],
)
def test_list_filters(
    sim_config: Path, capsys: pytest.CaptureFixture[str], args: list[str], check: object
) -> None:
    code, out, _ = run(capsys, "list", "--config", str(sim_config), "--json", *args)
    actions = json.loads(out)
    assert code == 0 and actions
    assert all(check(a) for a in actions)  # type: ignore[operator]


def test_list_by_resource_finds_the_same_resource_on_seeweb(
    sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "list", "--config", str(sim_config), "--json", "--backend", "seeweb")
    resource = json.loads(out)[0]["resource"]
    code, out, _ = run(
        capsys,
        "list",
        "--config",
        str(sim_config),
        "--json",
        "--backend",
        "seeweb",
        "--resource",
        resource,
    )
    found = json.loads(out)
    assert code == 0 and found and {a["resource"] for a in found} == {resource}


def test_human_list_is_a_table(sim_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--config", str(sim_config), "--limit", "5")
    header, *rows = out.splitlines()
    assert code == 0 and header.startswith("STATUS") and header.endswith("REF") and len(rows) == 5


def test_show_json_of_every_backend_type(
    sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "list", "--config", str(sim_config), "--json", "--limit", "300")
    by_type: dict[str, str] = {}
    for action in json.loads(out):
        by_type.setdefault(action["backend_type"], action["ref"])
    assert set(by_type) == {"seeweb", "openstack", "redis-enterprise"}
    for ref in by_type.values():
        code, out, err = run(capsys, "show", ref, "--config", str(sim_config), "--json")
        assert code == 0, err
        shown = json.loads(out)
        assert shown["ref"] == ref and set(shown) == JSON_FIELDS


def test_show_of_a_failed_openstack_action_has_events_and_traceback(
    sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys,
        "list",
        "--config",
        str(sim_config),
        "--json",
        "--backend",
        "openstack",
        "--status",
        "failed",
        "--limit",
        "1",
    )
    [failed] = json.loads(out)
    code, out, _ = run(capsys, "show", failed["ref"], "--config", str(sim_config))
    assert code == 0
    assert "events (oldest first):" in out and "✖" in out and 'File "' in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["show", "nobackend"], 2, "not an action reference"),
        (["show", "nosuch:1"], 2, "no backend named 'nosuch'"),
        (["show", "seeweb:999999999"], 5, "no such action"),
        (["list", "--status", "sideways"], 2, "unknown status"),
        (["list", "--limit", "0"], 2, "must be a positive integer"),
        (["wait"], 2, "the following arguments are required: REF"),
    ],
)
def test_usage_errors_and_unknown_actions(
    sim_config: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    with_config = [*argv[:1], "--config", str(sim_config), *argv[1:]]
    try:
        got, _, err = run(capsys, *with_config)
    except SystemExit as exit_:
        got, err = int(exit_.code or 0), capsys.readouterr().err
    assert got == code
    assert message in err and err.startswith("actiondeck: ") and "Traceback" not in err


def test_bad_config_exits_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[backends]]\nname = "x"\ntype = "nope"\n')
    code, _, err = run(capsys, "list", "--config", str(bad))
    assert code == 2 and f"{bad}:3: backends[0].type" in err


def test_unreachable_backend_exits_3_and_keeps_the_others(
    tmp_path: Path,
    sim: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOKEN", sim.credentials.seeweb_token)
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[backends]]\nname = "good"\ntype = "seeweb"\nurl = "{sim.seeweb_url}"\n'
        'token_env = "TOKEN"\n'
        '[[backends]]\nname = "down"\ntype = "seeweb"\nurl = "http://127.0.0.1:9/ecs/v2"\n'
        'token_env = "TOKEN"\ntimeout = 2\n'
    )
    code, out, err = run(capsys, "list", "--config", str(config), "--json", "--limit", "3")
    assert code == 3
    assert len(json.loads(out)) == 3 and "down:" in err
    assert sim.credentials.seeweb_token not in err


def test_refused_credentials_exit_3_without_leaking_the_secret(
    tmp_path: Path,
    sim: Simulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOKEN", "wrong-secret-value")
    config = tmp_path / "c.toml"
    config.write_text(
        f'[[backends]]\nname = "sw"\ntype = "seeweb"\nurl = "{sim.seeweb_url}"\n'
        'token_env = "TOKEN"\n'
    )
    code, _, err = run(capsys, "list", "--config", str(config))
    assert code == 3 and "401" in err and "wrong-secret-value" not in err


def _first(capsys: pytest.CaptureFixture[str], config: Path, *filters: str) -> dict[str, object]:
    _, out, _ = run(capsys, "list", "--config", str(config), "--json", "--limit", "1", *filters)
    return json.loads(out)[0]  # type: ignore[no-any-return]


def test_wait_exit_codes(sim_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    completed = _first(capsys, sim_config, "--status", "completed", "--backend", "seeweb")
    code, out, _ = run(capsys, "wait", str(completed["ref"]), "--config", str(sim_config))
    assert code == 0 and out.strip() == f"{completed['ref']}: completed"
    failed = _first(capsys, sim_config, "--status", "failed", "--backend", "seeweb")
    assert run(capsys, "wait", str(failed["ref"]), "--config", str(sim_config))[0] == 1
    running = _first(capsys, sim_config, "--status", "running")
    code, _, err = run(
        capsys,
        "wait",
        str(running["ref"]),
        "--config",
        str(sim_config),
        "--timeout",
        "2",
        "--interval",
        "0.2",
    )
    # Two seconds: the first answer must arrive before the deadline (else it is exit 3,
    # "gave up"), also on a loaded machine; the frozen simulator keeps it running.
    assert code == 4 and "still running after 2s" in err


def test_wait_sees_a_running_action_complete(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    running = _first(capsys, fresh_sim_config, "--status", "running", "--backend", "seeweb")
    fresh_sim.clock.advance(3600)  # type: ignore[attr-defined]
    code, out, _ = run(
        capsys, "wait", str(running["ref"]), "--config", str(fresh_sim_config), "--json"
    )
    final = json.loads(out)
    assert final["ref"] == running["ref"] and final["status"] in ("completed", "failed")
    assert code == (0 if final["status"] == "completed" else 1)


def test_config_path_and_check(
    sim_config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "config", "path")
    assert code == 0 and out.strip().endswith("actiondeck/config.toml")
    code, out, _ = run(capsys, "config", "check", "--config", str(sim_config))
    assert code == 0 and "OK (seeweb, openstack, redis)" in out
    monkeypatch.delenv("SIM_REDIS_PASSWORD")
    code, _, err = run(capsys, "config", "check", "--config", str(sim_config))
    assert code == 2 and "SIM_REDIS_PASSWORD is not set" in err


@pytest.mark.parametrize("before", [True, False])
def test_config_is_honoured_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: bool
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("backends = 3\n")
    argv = ["--config", str(bad), "list"] if before else ["list", "--config", str(bad)]
    code, _, err = run(capsys, *argv)
    assert code == 2 and str(bad) in err


def test_no_secret_reaches_json_or_tables(
    sim: Simulator, sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    creds = sim.credentials
    secrets = {creds.seeweb_token, creds.os_password, creds.redis_password}
    outputs = []
    for argv in (["list", "--json", "--limit", "300"], ["list", "--limit", "300"]):
        outputs.append(run(capsys, *argv[:1], "--config", str(sim_config), *argv[1:]))
    refs = [a["ref"] for a in json.loads(outputs[0][1])[:60]]
    outputs += [run(capsys, "show", ref, "--config", str(sim_config), "--json") for ref in refs]
    for _, out, err in outputs:
        assert not any(secret in out or secret in err for secret in secrets)


def test_a_cloud_below_2_58_gives_no_finish_time_and_no_zero_duration(
    fresh_sim: Simulator, fresh_sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without ``updated_at`` a settled listed action's finish (and duration) is unknown.

    It used to be its ``start_time``, so the console showed a duration of ``0s``.
    """
    fresh_sim.openstack_api.max_microversion = "2.57"
    argv = ["list", "--config", str(fresh_sim_config), "--json", "--backend", "openstack"]
    code, out, err = run(capsys, *argv, "--status", "completed", "--limit", "1000")
    assert code == 0, err
    listed = json.loads(out)
    unread = [a for a in listed if not a["events"]]  # settled from the list alone
    assert unread
    assert all(a["updated_at"] is None for a in unread)
    assert all(a["finished_at"] is None for a in unread)
    assert all(a["project_id"] == a["raw"]["project_id"] for a in listed)
    assert any(a["project_id"] for a in listed)
    for action in unread[:20]:
        code, out, err = run(capsys, "show", action["ref"], "--config", str(fresh_sim_config))
        assert code == 0, err
        if "events (oldest first):" in out:  # its events give the finish time
            finished = [line for line in out.splitlines() if line.startswith("finished")]
            assert finished and finished[0].endswith("UTC")
            break
    else:
        pytest.fail("no settled action with events among the first 20")


def test_show_prints_project_type_and_error_code(
    sim_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What real payloads carry beyond the common fields reaches ``show`` and ``--json``."""
    argv = ["list", "--config", str(sim_config), "--json", "--limit", "300", "--status", "failed"]
    _, out, _ = run(capsys, *argv, "--backend", "redis")
    failed_task = next(a for a in json.loads(out) if a["raw"].get("error_code"))
    assert failed_task["error_code"] == failed_task["raw"]["error_code"]
    assert failed_task["action_type"] == "task"
    code, out, _ = run(capsys, "show", failed_task["ref"], "--config", str(sim_config))
    assert code == 0
    lines = out.splitlines()
    assert f"error code    {failed_task['error_code']}" in lines and "type          task" in lines
    _, out, _ = run(capsys, *argv, "--backend", "openstack")
    nova = next(a for a in json.loads(out) if a["project_id"])
    code, out, _ = run(capsys, "show", nova["ref"], "--config", str(sim_config))
    assert code == 0 and f"project       {nova['project_id']}" in out.splitlines()
