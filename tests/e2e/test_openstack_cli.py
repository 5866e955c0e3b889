"""The real OpenStack CLI (python-openstackclient) against the embedded simulator.

``actiondeck sim`` promises that the OpenStack CLI can be pointed at it; these
tests hold it to that. They run the ``openstack`` executable named by
``ACTIONDECK_OPENSTACK_CLI`` or found on ``PATH`` (it is not a dependency of
ActionDeck: install python-openstackclient in a separate virtualenv) and skip
when there is none. Each command runs once per module; what it prints is
compared with the simulator's own world, read in process at the same frozen
clock reading.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.sim import deterministic_sim
from tui.sim import Simulator
from tui.sim.openstack.inventory import server_state
from tui.sim.openstack.plan import US, ActionPlan, EventRow, message, updated_at_us
from tui.sim.openstack.render import naive
from tui.sim.openstack.world import ServerPlan

CLI_ENV = "ACTIONDECK_OPENSTACK_CLI"
"""Path of the ``openstack`` executable to test (else ``PATH`` is searched)."""
TIMEOUT = 60.0
"""Seconds one CLI command may take."""
SERVER = "web-01"


def _find_cli() -> tuple[str | None, str]:
    """Locate the ``openstack`` executable: ``$ACTIONDECK_OPENSTACK_CLI`` first, then ``PATH``.

    Returns:
        The executable's path and ``""``, or ``None`` and why the tests skip.
    """
    named = os.environ.get(CLI_ENV)
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named, ""
        return None, f"{CLI_ENV}={named} is not an executable file"
    found = shutil.which("openstack")
    why = f"no openstack CLI: set {CLI_ENV} or put python-openstackclient on PATH"
    return found, "" if found else why


CLI, NO_CLI_REASON = _find_cli()
"""Resolved at import: the autouse fixture that isolates tests clears ``ACTIONDECK_*``."""

Run = Callable[..., Any]


@pytest.fixture(scope="module")
def cloud() -> Iterator[Simulator]:
    """A deterministic simulator of this module's own (seed 7, frozen clock)."""
    if CLI is None:
        pytest.skip(NO_CLI_REASON)
    with deterministic_sim() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory, cloud: Simulator) -> Path:
    """An empty home and working directory, with a ``clouds.yaml`` for the simulator."""
    home = tmp_path_factory.mktemp("osc-home")
    creds = cloud.credentials
    (home / "clouds.yaml").write_text(
        f"""\
clouds:
  actiondeck-sim:
    auth:
      auth_url: {cloud.auth_url}
      username: {creds.os_username}
      password: {creds.os_password}
      project_name: {creds.os_project}
      user_domain_name: {creds.os_domain}
      project_domain_name: {creds.os_domain}
    region_name: RegionOne
    identity_api_version: 3
""",
        encoding="utf-8",
    )
    return home


@pytest.fixture(scope="module")
def openstack(cloud: Simulator, workdir: Path) -> Run:
    """Run ``openstack ARGS`` (password auth from ``OS_*`` unless told otherwise), cached."""
    creds = cloud.credentials
    password_env = {
        "OS_AUTH_URL": cloud.auth_url,
        "OS_USERNAME": creds.os_username,
        "OS_PASSWORD": creds.os_password,
        "OS_PROJECT_NAME": creds.os_project,
        "OS_USER_DOMAIN_NAME": creds.os_domain,
        "OS_PROJECT_DOMAIN_NAME": creds.os_domain,
        "OS_IDENTITY_API_VERSION": "3",
    }
    outputs: dict[tuple[tuple[str | tuple[str, str], ...], bool], str] = {}

    def run(*args: str, env: dict[str, str] | None = None, as_json: bool = True) -> Any:
        key = (args + tuple(sorted((env or {}).items())), as_json)
        if key not in outputs:
            chosen = password_env if env is None else env
            outputs[key] = _invoke(args, chosen, workdir, as_json)
        text = outputs[key]
        return json.loads(text) if as_json else text

    return run


def _invoke(args: tuple[str, ...], os_env: dict[str, str], home: Path, as_json: bool) -> str:
    """One CLI run in a clean environment; fails the test on a non-zero exit."""
    assert CLI is not None
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"}
    command = [CLI, *args, *(["-f", "json"] if as_json else [])]
    done = subprocess.run(
        command,
        env={**env, **os_env},
        cwd=home,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stderr[-2000:]}"
    return done.stdout


# -- the simulator's own view, for comparison -----------------------------------------------


def now_us(cloud: Simulator) -> int:
    """The frozen clock reading, in microseconds."""
    return round(cloud.clock.now() * US)


def server(cloud: Simulator, name: str = SERVER) -> ServerPlan:
    """A server of the simulated world by name."""
    return next(s for s in cloud.openstack_api.world.servers if s.name == name)


def actions(cloud: Simulator, name: str = SERVER) -> list[ActionPlan]:
    """The server's actions, newest first."""
    return cloud.openstack_api.world.actions(server(cloud, name).id, now_us(cloud))


def failed_action(cloud: Simulator) -> tuple[str, ActionPlan, EventRow]:
    """A live server, one of its settled actions and an event row that still says ``Error``.

    Rows a retry later rewrote to ``Success`` (Nova's duplicate-row quirk) are skipped.
    """
    moment = now_us(cloud)
    for plan_server in sorted(cloud.openstack_api.world.servers, key=lambda s: s.name):
        if plan_server.deleted(moment):
            continue
        for plan in actions(cloud, plan_server.name):
            rows = [r for r in plan.events if r.result == "Error" and r.rewrite_us is None]
            if rows and plan.settled_us <= moment:
                return plan_server.name, plan, rows[0]
    raise AssertionError("the seed-7 world has no failed action")


# -- identity ------------------------------------------------------------------------------


def test_token_issue(openstack: Run, cloud: Simulator) -> None:
    """A project-scoped token for ``demo`` from the ``OS_*`` variables."""
    token = openstack("token", "issue")
    ident = cloud.openstack_api.world.identity
    assert token["id"].startswith("gAAAAAB")
    assert (token["project_id"], token["user_id"]) == (ident.project_id, ident.admin_id)


def test_catalog_list(openstack: Run, cloud: Simulator) -> None:
    """Identity, compute and image services, at devstack's paths."""
    services = {entry["Type"]: entry for entry in openstack("catalog", "list")}
    compute = {e["interface"]: e["url"] for e in services["compute"]["Endpoints"]}
    assert {"identity", "compute", "image"} <= set(services)
    assert services["compute"]["Name"] == "nova"
    assert compute["public"] == cloud.openstack_api.compute_url


def test_application_credential(openstack: Run, cloud: Simulator) -> None:
    """``v3applicationcredential`` auth gets a token and reads Nova."""
    creds = cloud.credentials
    args = (
        "--os-auth-type",
        "v3applicationcredential",
        "--os-application-credential-id",
        creds.os_app_credential_id,
        "--os-application-credential-secret",
        creds.os_app_credential_secret,
    )
    env = {"OS_AUTH_URL": cloud.auth_url, "OS_IDENTITY_API_VERSION": "3"}
    token = openstack(*args, "token", "issue", env=env)
    names = {row["Name"] for row in openstack(*args, "server", "list", env=env)}
    assert token["project_id"] == cloud.openstack_api.world.identity.project_id
    assert SERVER in names


# -- servers -------------------------------------------------------------------------------


def test_server_list(openstack: Run, cloud: Simulator) -> None:
    """The live servers with statuses, networks, image and flavor names."""
    rows = {row["Name"]: row for row in openstack("server", "list")}
    moment = now_us(cloud)
    live = {s.name for s in cloud.openstack_api.world.servers if not s.deleted(moment)}
    web = rows[SERVER]
    assert set(rows) == live
    assert {"REBOOT", "MIGRATING", "RESIZE", "REBUILD"} <= {row["Status"] for row in rows.values()}
    assert web["Image"] == "ubuntu-24.04-server-cloudimg-amd64"
    assert web["Flavor"] == "m1.small"
    assert server(cloud).equipment.fixed_ip in web["Networks"]["private"]
    assert rows["db-01"]["Image"] == "N/A (booted from volume)"


def test_server_show(openstack: Run, cloud: Simulator) -> None:
    """``server show NAME``: found by name, with image, flavor and addresses."""
    shown = openstack("server", "show", SERVER)
    kit = server(cloud).equipment
    assert shown["id"] == server(cloud).id
    assert shown["status"] == server_state(actions(cloud), now_us(cloud), deleted=False).status
    assert shown["image"] == f"ubuntu-24.04-server-cloudimg-amd64 ({kit.image_id})"
    assert (shown["flavor"]["original_name"], shown["flavor"]["ram"]) == ("m1.small", 2048)
    assert kit.fixed_ip in shown["addresses"]["private"]
    assert shown["OS-EXT-SRV-ATTR:host"] == server(cloud).host


# -- server events (os-instance-actions) ------------------------------------------------------


def test_server_event_list(openstack: Run, cloud: Simulator) -> None:
    """The table lists every request id of the server, newest first."""
    table = openstack("server", "event", "list", SERVER, as_json=False)
    expected = [plan.request_id for plan in actions(cloud)]
    positions = [table.index(request_id) for request_id in expected]
    assert "| Request ID" in table
    assert positions == sorted(positions)


def test_server_event_list_long(openstack: Run, cloud: Simulator) -> None:
    """``--long`` adds message, project and user; failed actions say ``Error``."""
    rows = openstack("server", "event", "list", "--long", SERVER)
    moment = now_us(cloud)
    expected = {plan.request_id: message(plan, moment) for plan in actions(cloud)}
    assert "Error" in expected.values()
    assert {row["Request ID"]: row["Message"] for row in rows} == expected
    assert {row["Server ID"] for row in rows} == {server(cloud).id}
    assert all("Project ID" in row and "User ID" in row for row in rows)


def test_server_event_show_failed_action(openstack: Run, cloud: Simulator) -> None:
    """At 2.84 an admin sees each event's result, host, details and traceback."""
    name, plan, row = failed_action(cloud)
    shown = openstack(
        "--os-compute-api-version", "2.84", "server", "event", "show", name, plan.request_id
    )
    [failed] = [e for e in shown["events"] if e["start_time"] == naive(row.start_us)]
    assert (shown["request_id"], shown["action"], shown["message"]) == (
        plan.request_id,
        plan.action,
        "Error",
    )
    assert len(shown["events"]) == len(plan.events)
    assert (failed["event"], failed["result"], failed["host"]) == (row.name, "Error", row.host)
    assert failed["traceback"] == row.traceback
    assert failed["traceback"].startswith('  File "/usr/lib/python3/dist-packages/')
    assert failed["details"] == row.details


def test_server_event_list_changes_since(openstack: Run, cloud: Simulator) -> None:
    """At 2.58 ``--changes-since`` keeps the actions updated at or after the given time."""
    moment = now_us(cloud)
    stamps = sorted(u for p in actions(cloud) if (u := updated_at_us(p, moment)) is not None)
    since = stamps[len(stamps) // 2]
    rows = openstack(
        "--os-compute-api-version",
        "2.58",
        "server",
        "event",
        "list",
        "--changes-since",
        f"{naive(since)}Z",
        SERVER,
    )
    expected = [p.request_id for p in actions(cloud) if (updated_at_us(p, moment) or -1) >= since]
    assert [row["Request ID"] for row in rows] == expected
    assert 0 < len(expected) < len(actions(cloud))


def test_clouds_yaml(openstack: Run, cloud: Simulator, workdir: Path) -> None:
    """The same through ``clouds.yaml`` (``OS_CLIENT_CONFIG_FILE``) and ``--os-cloud``."""
    env = {"OS_CLIENT_CONFIG_FILE": str(workdir / "clouds.yaml")}
    rows = openstack("--os-cloud", "actiondeck-sim", "server", "event", "list", SERVER, env=env)
    assert [row["Request ID"] for row in rows] == [plan.request_id for plan in actions(cloud)]
