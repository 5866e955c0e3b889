"""``actiondeck exporter`` end to end: a real process, a real socket, the real parser.

Each test runs the command in a subprocess on an ephemeral loopback port,
pointed at a simulator through a config file, scrapes ``/metrics`` over HTTP
and reads it with ``prometheus_client``'s text parser.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.exporter import (
    ROOT,
    ExporterProcess,
    Samples,
    matching,
    scrape,
    sim_refresh,
    value,
    wait_for,
)
from tests.helpers.sim import advance
from tui.sim import Simulator

BACKENDS = {"seeweb": "seeweb", "openstack": "openstack", "redis": "redis-enterprise"}


def _up(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], backend: str) -> float | None:
    return value(samples, "actiondeck_backend_up", backend=backend, backend_type=BACKENDS[backend])


def _all_up(samples: dict[tuple[str, frozenset[tuple[str, str]]], float]) -> bool:
    return all(_up(samples, name) == 1.0 for name in BACKENDS)


@pytest.fixture
def fast_config(fresh_sim_config: Path) -> Path:
    """The private simulator's config, polled every fraction of a second."""
    with fresh_sim_config.open("a", encoding="utf-8") as file:
        file.write(sim_refresh())
    return fresh_sim_config


def test_a_scrape_shows_every_backend_and_its_actions(fast_config: Path) -> None:
    with ExporterProcess(["--config", str(fast_config)]) as exporter:
        assert exporter.url.startswith("http://127.0.0.1:") and exporter.url.endswith("/metrics")
        samples = wait_for(exporter.url, _all_up)
        for name, kind in BACKENDS.items():
            labels = {"backend": name, "backend_type": kind}
            last = value(samples, "actiondeck_backend_last_success_timestamp_seconds", **labels)
            assert last is not None and last > 1.7e9
            assert (
                value(samples, "actiondeck_backend_polls_total", **labels, result="ok") or 0
            ) >= 1
            assert value(samples, "actiondeck_backend_poll_duration_seconds_count", **labels)
            known = matching(samples, "actiondeck_actions", **labels)
            assert sum(known.values()) > 0, name
            assert all(dict(key)["name"] for key in known)
        # The simulator's OpenStack backend keeps request stats: the count is real.
        requests = value(samples, "actiondeck_backend_requests_total", **_labels("openstack"))
        assert requests is not None and requests >= 1
        info = matching(samples, "actiondeck_build_info")
        assert [dict(key)["simulator"] for key in info] == ["false"]


def _labels(backend: str) -> dict[str, str]:
    return {"backend": backend, "backend_type": BACKENDS[backend]}


def test_a_failing_backend_is_down_the_others_are_not_and_it_recovers(
    fast_config: Path, fresh_sim: Simulator
) -> None:
    with ExporterProcess(["--config", str(fast_config)]) as exporter:
        wait_for(exporter.url, _all_up)
        fresh_sim.seeweb.faults.update(status=503)
        down = wait_for(exporter.url, lambda s: _up(s, "seeweb") == 0.0)
        assert _up(down, "openstack") == 1.0 and _up(down, "redis") == 1.0
        errors = value(
            down, "actiondeck_backend_poll_errors_total", **_labels("seeweb"), error="server_error"
        )
        assert errors is not None and errors >= 1
        # Its last good data stays: the actions it knew are still counted.
        assert sum(matching(down, "actiondeck_actions", backend="seeweb").values()) > 0
        fresh_sim.seeweb.faults.clear()
        back = wait_for(exporter.url, _all_up)
        failures = value(back, "actiondeck_backend_consecutive_failures", **_labels("seeweb"))
        assert failures == 0.0


def test_a_scrape_does_not_wait_for_a_slow_backend(fast_config: Path, fresh_sim: Simulator) -> None:
    with ExporterProcess(["--config", str(fast_config)]) as exporter:
        wait_for(exporter.url, _all_up)
        fresh_sim.redis.faults.update(latency=8.0)
        time.sleep(1.5)  # past Redis's next poll, which now hangs for 8 s
        polls = []
        # While it hangs, every scrape answers at once with the last poll's state.
        for _ in range(5):
            began = time.monotonic()
            samples = scrape(exporter.url, timeout=2.0)
            assert time.monotonic() - began < 2.0
            assert _up(samples, "redis") == 1.0
            polls.append(
                value(samples, "actiondeck_backend_polls_total", **_labels("redis"), result="ok")
            )
            time.sleep(0.2)
        assert len(set(polls)) == 1, polls  # no Redis poll ended meanwhile: it was hanging
        fresh_sim.redis.faults.clear()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_it_with_exit_0_and_no_traceback(fast_config: Path, signum: int) -> None:
    with ExporterProcess(["--config", str(fast_config)]) as exporter:
        scrape(exporter.url)
        assert exporter.stop(signum) == 0
        assert "Traceback" not in exporter.stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(exporter.url, timeout=2.0)


def test_without_a_config_it_exports_the_embedded_simulator(tmp_path: Path) -> None:
    with ExporterProcess([], env={"XDG_CONFIG_HOME": str(tmp_path)}) as exporter:
        samples = wait_for(exporter.url, _all_up, timeout=30)
        info = matching(samples, "actiondeck_build_info")
        assert [dict(key)["simulator"] for key in info] == ["true"]
        code = exporter.stop()
    assert code == 0
    assert "embedded simulator" in exporter.stderr


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize("listen", ["0.0.0.0:9477", "example.com:9477", "[::]:9477"])
def test_a_non_loopback_address_needs_allow_remote(listen: str, sim_config: Path) -> None:
    done = _run("exporter", "--config", str(sim_config), "--listen", listen)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--allow-remote" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("listen", ["9477", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:port"])
def test_a_malformed_listen_address_is_one_usage_line(listen: str, sim_config: Path) -> None:
    done = _run("exporter", "--config", str(sim_config), "--listen", listen)
    assert done.returncode == 2
    assert done.stderr.startswith("actiondeck: --listen") and done.stderr.count("\n") == 1


def test_a_port_in_use_is_one_line_and_exit_2(sim_config: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run("exporter", "--config", str(sim_config), "--listen", f"127.0.0.1:{port}")
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == f"actiondeck: cannot listen on 127.0.0.1:{port}: Address already in use"
    )


def test_help_has_examples_and_loads_no_prometheus_library() -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['exporter', '--help'])\n"
        "    except SystemExit as exit:\n"
        "        code = exit.code\n"
        "print(json.dumps({'code': code, 'out': out.getvalue(), 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["code"] == 0
    assert "--listen 127.0.0.1:0" in result["out"] and "--allow-remote" in result["out"]
    heavy = ("prometheus_client", "tui.exporter", "tui.poller", "asyncio", "pydantic")
    loaded = [m for m in result["modules"] if any(m == h or m.startswith(f"{h}.") for h in heavy)]
    assert loaded == []


def test_actions_ending_while_it_runs_are_counted_and_timed(
    fast_config: Path, fresh_sim: Simulator
) -> None:
    def endings(samples: dict[tuple[str, frozenset[tuple[str, str]]], float]) -> float:
        return sum(matching(samples, "actiondeck_action_endings_total").values())

    with ExporterProcess(["--config", str(fast_config)]) as exporter:
        first = wait_for(exporter.url, _all_up)
        # The frozen world's history ended before the exporter started: no endings yet.
        assert endings(first) == 0.0
        in_flight = sum(matching(first, "actiondeck_actions_in_flight").values())
        assert in_flight > 0
        advance(fresh_sim, 6 * 3600)  # every in-flight action of the world ends
        # Seeweb reports when every action finished, so each completed ending is
        # timed. Nova does for an action with events (their finish times) or an
        # updated_at; one without either (a lock, an unlock, caught while in
        # flight) has an unknown duration (docs/model.md), so it is counted but
        # not timed. Redis Enterprise's actions carry no end time (only their
        # endings are counted, docs/exporter.md).
        later = wait_for(
            exporter.url,
            lambda s: all(_completed(s, b) > 0 for b in TIMED) and endings(s) > 0,
        )
        assert _timed(later, "seeweb") == _completed(later, "seeweb")
        assert 0 < _timed(later, "openstack") <= _completed(later, "openstack")
        assert _timed(later, "redis-enterprise") <= _completed(later, "redis-enterprise")


TIMED = ("seeweb", "openstack")
"""Backend types whose actions say when they finished."""


def _completed(samples: Samples, backend_type: str) -> float:
    """Completed endings of one backend type counted in one scrape."""
    found = matching(
        samples,
        "actiondeck_action_endings_total",
        outcome="completed",
        backend_type=backend_type,
    )
    return sum(found.values())


def _timed(samples: Samples, backend_type: str) -> float:
    """Completed actions of one backend type whose duration one scrape has observed."""
    found = matching(samples, "actiondeck_action_duration_seconds_count", backend_type=backend_type)
    return sum(found.values())
