"""The simulator in a child process of the console: forked at start, ended with it.

The console and the simulator are both Python: in one process they share one
interpreter lock, so every page the simulator draws or renders is time the
console cannot spend painting. Forked before the console imports Textual, the
child builds its world and answers on another core while the console starts.
It reports where it listens on a pipe, then serves until a second pipe, whose
other end only the console holds, closes: the child ends with the console,
however the console ends (even killed), and never touches the terminal.

Where ``os.fork`` does not exist :func:`fork_simulator` returns ``None`` and
the caller starts the simulator in-process. Like the rest of :mod:`tui.sim`
this module imports nothing of the product, and at import it loads nothing
of the simulator itself (the child does, after the fork).
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
import time
from dataclasses import asdict, dataclass

from tui.sim.credentials import SimCredentials

START_TIMEOUT = 60.0
"""Seconds the console waits for the child to listen (a lazy world takes well under one)."""

STOP_TIMEOUT = 2.0
"""Seconds the child may take to end once told; then it is killed."""


class SimulatorStartError(RuntimeError):
    """The child simulator did not report its addresses (it failed, or took too long)."""


@dataclass(frozen=True)
class Endpoints:
    """Where a running simulator listens, and its demo credentials (what a config needs)."""

    seeweb_url: str
    auth_url: str
    redis_url: str
    credentials: SimCredentials


class SimulatorProcess:
    """A simulator running in a forked child; :meth:`endpoints` waits until it listens."""

    def __init__(self, pid: int, report_fd: int, life_fd: int) -> None:
        self.pid = pid
        self._report_fd = report_fd
        self._life_fd = life_fd
        self._endpoints: Endpoints | None = None

    def endpoints(self, timeout: float = START_TIMEOUT) -> Endpoints:
        """The child's addresses, once it listens (read once, then remembered).

        Raises:
            SimulatorStartError: the child ended, or did not report within ``timeout``.
        """
        if self._endpoints is None:
            self._endpoints = _parse_report(_read_line(self._report_fd, timeout))
        return self._endpoints

    def stop(self) -> None:
        """End the child (bounded: killed after :data:`STOP_TIMEOUT`); idempotent."""
        if self._life_fd >= 0:
            os.close(self._life_fd)
            os.close(self._report_fd)
            self._life_fd = -1
        _reap(self.pid)


def fork_simulator(
    *, seed: int, actions: int | None = None, servers: int | None = None
) -> SimulatorProcess | None:
    """Fork a child that runs ``Simulator(seed=..., actions=..., servers=...)`` on loopback.

    ``None`` where there is no ``fork``, or once the process runs threads (a
    fork would copy their locks, not them); the caller then runs the simulator
    in-process.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:  # a fork copies no thread
        return None
    report_read, report_write = os.pipe()
    life_read, life_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(report_read)
        os.close(life_write)
        _child(report_write, life_read, seed=seed, actions=actions, servers=servers)
    os.close(report_write)
    os.close(life_read)
    return SimulatorProcess(pid, report_read, life_write)


def _child(
    report_fd: int, life_fd: int, *, seed: int, actions: int | None, servers: int | None
) -> None:
    """Detach from the terminal, start the simulator, report, serve until the console ends."""
    code = 0
    try:
        os.setsid()  # the terminal's signals (Ctrl+C, hang-up) go to the console alone
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _silence_stdio()
        from tui.sim.simulator import Simulator

        sim = Simulator(seed=seed, actions=actions, servers=servers).start()
        report = {
            "seeweb_url": sim.seeweb_url,
            "auth_url": sim.auth_url,
            "redis_url": sim.redis_url,
            "credentials": asdict(sim.credentials),
        }
        os.write(report_fd, (json.dumps(report) + "\n").encode())
        while os.read(life_fd, 1):  # nothing is ever written: this returns at EOF
            pass
    except BaseException as error:  # the console reads the reason from the pipe
        code = 1
        _write_quietly(report_fd, f"error {type(error).__name__}: {error}\n")
    finally:
        os._exit(code)  # no atexit handlers, no buffers of the console flushed twice


def _silence_stdio() -> None:
    """Point the child's standard streams at /dev/null: it must never write to the terminal."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives as long as the child)


def _write_quietly(fd: int, text: str) -> None:
    try:
        os.write(fd, text.encode("utf-8", "replace")[:1000])
    except OSError:
        return


def _read_line(fd: int, timeout: float) -> str:
    """One line from ``fd`` within ``timeout`` seconds (the child's report)."""
    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SimulatorStartError(f"the simulator did not start within {timeout:.0f} s")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            raise SimulatorStartError("the simulator ended before it started listening")
        data += chunk
    return data.decode("utf-8", "replace").strip()


def _parse_report(line: str) -> Endpoints:
    if line.startswith("error "):
        raise SimulatorStartError(f"the simulator did not start: {line[6:]}")
    try:
        report = json.loads(line)
        return Endpoints(
            seeweb_url=report["seeweb_url"],
            auth_url=report["auth_url"],
            redis_url=report["redis_url"],
            credentials=SimCredentials(**report["credentials"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise SimulatorStartError(f"the simulator sent an unreadable report: {error}") from None


def _reap(pid: int) -> None:
    """Wait for the child to end, at most :data:`STOP_TIMEOUT` s, then kill it."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.01)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        return
