"""Shell completion: ``actiondeck completion bash|zsh|fish`` and the answers to a Tab.

argcomplete does the work: the script it writes calls ``actiondeck`` back
with ``_ARGCOMPLETE`` set, and :func:`autocomplete` (called by
:func:`tui.cli.main.main` only then, so an ordinary run never imports
argcomplete) answers from the real parser: commands, flags, formats, shells
and statuses, and backend names read from the config file (the simulator's
when there is none). Reading the names parses the TOML only: no secret is
resolved, nothing is contacted.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.cli.choices import STATUSES

SIMULATOR_BACKENDS = ("seeweb", "openstack", "redis")
"""The names the embedded simulator's backends go by (``tui.embedded``)."""


def completion_script(shell: str) -> str:
    """The script that makes ``shell`` complete ``actiondeck``."""
    from argcomplete.shell_integration import shellcode

    return shellcode(["actiondeck"], shell=shell).rstrip("\n")


def backend_names(config: str | None) -> list[str]:
    """The backend names of the config file (``--config`` or the default), never raising."""
    try:
        path = _config_path(config)
        if not path.is_file():
            return list(SIMULATOR_BACKENDS)
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = data.get("backends")
    if not isinstance(entries, list):
        return []
    names = (entry.get("name") for entry in entries if isinstance(entry, dict))
    return [name for name in names if isinstance(name, str)]


def _config_path(explicit: str | None) -> Path:
    """Where the config is read from, as :func:`tui.config.resolve_config_path` says
    (repeated here so that a Tab loads neither pydantic nor the backends)."""
    chosen = explicit or os.environ.get("ACTIONDECK_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return platformdirs.user_config_path("actiondeck") / "config.toml"


def _backends(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    return [
        name
        for name in backend_names(getattr(parsed_args, "config", None))
        if name.startswith(prefix)
    ]


def _statuses(prefix: str, **_: Any) -> list[str]:
    return [status for status in STATUSES if status.startswith(prefix)]


_COMPLETERS: dict[str, Callable[..., list[str]]] = {"backend": _backends, "status": _statuses}
"""Completers by option destination; choices (formats, shells) complete by themselves."""


def _attach(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        completer = _COMPLETERS.get(action.dest)
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _attach(sub)


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit (when ``_ARGCOMPLETE`` is set)."""
    import argcomplete

    _attach(parser)
    argcomplete.autocomplete(parser, default_completer=argcomplete.completers.SuppressCompleter())
