"""Secrets of backend entries: from an environment variable, a command, or the file.

``FIELD_env`` names a variable; ``FIELD_command`` runs a command (stopped
after :data:`SECRET_COMMAND_TIMEOUT` s or :data:`SECRET_COMMAND_MAX_BYTES` of
output, children too) and takes its output; a plain ``FIELD`` works but the
loader warns unless the file is private. The only place where secrets are
resolved (:mod:`tui.connect` hands a resolver to each family's ``build()``).
Never puts a secret's value into a message.
"""

from __future__ import annotations

import os
import selectors
import shlex
import signal
import subprocess
import time

from tui.backends.settings import BackendSettings, Secret
from tui.config.errors import ConfigError

SECRET_COMMAND_TIMEOUT = 10.0
"""Seconds a ``*_command`` may run before it is stopped."""

SECRET_COMMAND_MAX_BYTES = 64 * 1024
"""A ``*_command`` printing more than this is stopped: no secret is that long."""


def resolve_secret(backend: BackendSettings, field: str, *, required: bool = True) -> str | None:
    """The secret ``field`` of a backend, from ``field_env``, ``field_command`` or ``field``.

    Raises:
        ConfigError: when a named variable is unset, a command fails, or nothing is given.
    """
    name = getattr(backend, "name", "?")
    env_name = getattr(backend, f"{field}_env", None)
    if env_name:
        value = os.environ.get(env_name)
        if not value:
            raise ConfigError(f"backend {name!r}: environment variable {env_name} is not set")
        return value
    command = getattr(backend, f"{field}_command", None)
    if command:
        return _run_secret_command(name, field, command)
    plain = getattr(backend, field, None)
    if isinstance(plain, Secret):
        return plain.get_secret_value()
    if required:
        raise ConfigError(f"backend {name!r}: give {field}_env or {field}_command")
    return None


def _run_secret_command(backend: str, field: str, command: str) -> str:
    """Run a secret command for at most :data:`SECRET_COMMAND_TIMEOUT` s and
    :data:`SECRET_COMMAND_MAX_BYTES` of output; past either it is stopped, children too."""
    what = f"backend {backend!r}: {field}_command"
    try:
        process = subprocess.Popen(
            shlex.split(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{what} failed: {type(exc).__name__}") from None
    try:
        output, problem = _read_bounded(process)
    finally:
        _stop(process)
    if problem:
        raise ConfigError(f"{what} {problem}")
    if process.returncode != 0:
        raise ConfigError(f"{what} exited with {process.returncode}")
    value = output.decode("utf-8", errors="replace").strip()
    if not value:
        raise ConfigError(f"{what} printed nothing")
    return value


def _read_bounded(process: subprocess.Popen[bytes]) -> tuple[bytes, str | None]:
    """The command's output, or why it must be stopped (too slow, too much output)."""
    assert process.stdout is not None
    slow = f"did not finish within {SECRET_COMMAND_TIMEOUT:g} s and was stopped"
    deadline = time.monotonic() + SECRET_COMMAND_TIMEOUT
    chunks: list[bytes] = []
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=remaining):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            size += len(chunk)
            if size > SECRET_COMMAND_MAX_BYTES:
                return (
                    b"",
                    f"printed more than {SECRET_COMMAND_MAX_BYTES // 1024} KiB and was stopped",
                )
            chunks.append(chunk)
        else:
            return b"", slow
    try:
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return b"", slow
    return b"".join(chunks), None


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the command's whole session if it still runs; always reap it and close its pipe."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()
