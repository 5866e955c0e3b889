"""``actiondeck config init`` and ``config check --probe``, as the installed command."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.helpers.cli import run
from tui.backends import REGISTRY
from tui.cli.config_init import STARTER
from tui.sim import Simulator


def test_init_writes_a_private_commented_config_that_passes_check(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "config.toml"
    done = run("config", "init", str(path))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert all(line.startswith("#") for line in text.splitlines() if line.strip())
    checked = run("--config", str(path), "config", "check")
    assert checked.returncode == 0 and "OK (no backends)" in checked.stdout, checked.stderr


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n", encoding="utf-8")
    path.chmod(0o644)
    refused = run("config", "init", str(path))
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    forced = run("config", "init", str(path), "--force")
    assert forced.returncode == 0 and path.read_text(encoding="utf-8") == STARTER
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_init_without_a_path_writes_where_config_path_says(tmp_path: Path) -> None:
    target = tmp_path / "env.toml"
    done = run("config", "init", env={"ACTIONDECK_CONFIG": str(target)})
    assert done.returncode == 0 and target.read_text(encoding="utf-8") == STARTER


def test_the_starter_has_one_example_of_every_backend_type(tmp_path: Path) -> None:
    types = re.findall(r'^# type = "([a-z-]+)"', STARTER, flags=re.MULTILINE)
    assert sorted(types) == sorted(REGISTRY)


def test_probe_reports_each_backend_on_one_line(sim_config: Path) -> None:
    done = run("--config", str(sim_config), "config", "check", "--probe")
    assert done.returncode == 0, done.stderr
    report = done.stdout.splitlines()[1:]
    assert [line.split()[0] for line in report] == ["seeweb", "openstack", "redis"]
    assert all(" ok " in line and "auth accepted" in line and " ms " in line for line in report)
    assert all(re.search(r"\d+ actions? seen", line) for line in report)
    nova = report[1]
    assert re.search(r"compute microversion 2\.\d+", nova) and re.search(r"\d+ requests?", nova)


def test_probe_exits_3_and_says_which_backend_failed_and_why(
    fresh_sim: Simulator, fresh_sim_config: Path
) -> None:
    fresh_sim.redis.faults.update(status=503)
    fresh_sim.seeweb.faults.update(status=401)
    done = run("--config", str(fresh_sim_config), "config", "check", "--probe")
    assert done.returncode == 3
    lines = {line.split()[0]: line for line in done.stdout.splitlines()[1:]}
    assert "FAIL" in lines["redis"] and "503" in lines["redis"]
    assert "credentials refused" in lines["seeweb"]
    assert " ok " in lines["openstack"]
    assert "sim-seeweb-token" not in done.stdout + done.stderr
