"""``actiondeck exporter``: poll the backends headless and serve Prometheus metrics.

The listen address is checked here (loopback unless ``--allow-remote``), the
config is loaded (no config: the embedded simulator, as the console does) and
the backends are built; :func:`tui.exporter.run.run_exporter` does the rest.
Ctrl+C and ``SIGTERM`` end it with exit 0 at any moment, without a traceback.
"""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING

from tui.cli.exits import EXIT_OK, EXIT_USAGE, UsageError
from tui.config import RefreshConfig, load_config
from tui.poller import PollSettings

if TYPE_CHECKING:
    from tui.config import Config

DEFAULT_LISTEN = "127.0.0.1:9477"
"""Where the exporter listens unless told otherwise (9477: the exporter's port)."""

DEMO_NOTICE = (
    "no config file: exporting the embedded simulator's demo backends "
    "(add real ones: actiondeck config path)"
)


def parse_listen(text: str, *, allow_remote: bool = False) -> tuple[str, int]:
    """``HOST:PORT`` (``[V6]:PORT`` for IPv6) as a host and a port.

    Raises:
        UsageError: not ``HOST:PORT``, a port out of range, or a host that is
            not loopback (``localhost``, ``127.0.0.0/8``, ``::1``) without
            ``allow_remote``.
    """
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit() or int(port_text) > 65535:
        raise UsageError(f"--listen {text!r}: expected HOST:PORT, e.g. {DEFAULT_LISTEN}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not allow_remote and not is_loopback(host):
        raise UsageError(
            f"--listen {text!r}: not a loopback address; add --allow-remote to serve "
            "the metrics to other hosts"
        )
    return host, int(port_text)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (no name is looked up)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def poll_settings(refresh: RefreshConfig) -> PollSettings:
    """The poller's settings from the config's ``[refresh]`` table."""
    return PollSettings(
        busy_interval=refresh.busy_interval,
        idle_interval=refresh.idle_interval,
        max_backoff=refresh.max_backoff,
        stale_after=refresh.stale_after,
    )


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_exporter_command(
    config_path: str | None, listen: str, *, allow_remote: bool, sim_seed: int
) -> int:
    """Serve until interrupted; the exit code (0 when stopped by a signal)."""
    host, port = parse_listen(listen, allow_remote=allow_remote)
    previous = signal.signal(signal.SIGTERM, _interrupted)
    try:
        return _serve(config_path, host, port, sim_seed)
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(config_path: str | None, host: str, port: int, sim_seed: int) -> int:
    loaded = load_config(config_path)
    if loaded is not None:
        for warning in loaded.warnings:
            print(f"actiondeck: warning: {warning}", file=sys.stderr)
        return _serve_config(loaded.config, host, port, simulator=False)
    from tui.embedded import simulator_config, start_simulator

    print(f"actiondeck: {DEMO_NOTICE}", file=sys.stderr, flush=True)
    sim = start_simulator(seed=sim_seed)
    try:
        return _serve_config(simulator_config(sim), host, port, simulator=True)
    finally:
        sim.stop()


def _serve_config(config: Config, host: str, port: int, *, simulator: bool) -> int:
    from tui.connect import build_backends
    from tui.exporter.run import run_exporter
    from tui.exporter.server import ListenError

    backends = build_backends(config)

    def ready(url: str) -> None:
        print(f"actiondeck exporter: serving {url}", flush=True)

    try:
        asyncio.run(
            run_exporter(
                backends,
                host=host,
                port=port,
                poll=poll_settings(config.refresh),
                rule=config.stuck.rule(),
                simulator=simulator,
                ready=ready,
            )
        )
    except ListenError as error:
        print(f"actiondeck: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
