"""The ``actiondeck`` command: the console by default, scriptable sub-commands otherwise.

Exit codes (a contract, see README): 0 success / completed; 1 the action
failed or was cancelled; 2 bad usage or config; 3 a backend cannot be reached
or refuses the credentials; 4 ``wait`` timed out; 5 no such action (or it was
forgotten before its outcome was known). Errors go to stderr in one line.
The console (Textual) is imported only when it is started, and everything
else only by the command that needs it: ``--help``, ``--version`` and a usage
error load argparse and nothing of the config, the backends or pydantic
(tests/unit/test_lazy_imports.py holds this).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui import STARTED, __version__
from tui.cli.exits import EXIT_BACKEND, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError

if TYPE_CHECKING:
    from tui.backends.base import Backend
    from tui.cli.commands import Output
    from tui.config import Config, LoadedConfig

DEFAULT_SIM_SEED = 1
"""Seed of the embedded simulator, so that ``list`` then ``show REF`` see the same world."""

MAX_SIM_SERVERS = 10_000
"""The most servers ``sim --servers`` / ``--demo-servers`` simulate (memory stays bounded)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"actiondeck: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    config_help = "config file (default: see `config path`)"
    # Sub-commands accept --config too; SUPPRESS keeps `actiondeck --config X list` working.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=config_help)
    parser = _Parser(prog="actiondeck", description=__doc__.splitlines()[0])
    parser.add_argument("--config", metavar="PATH", help=config_help)
    parser.add_argument("--version", action="version", version=f"actiondeck {__version__}")
    parser.add_argument("--theme", metavar="NAME", help="console theme")
    parser.add_argument(
        "--demo-actions", type=int, metavar="N", help="run on the simulator holding N actions"
    )
    parser.add_argument(
        "--demo-servers",
        type=int,
        metavar="N",
        help="run on the simulator with N OpenStack servers",
    )
    parser.add_argument("--seed", type=int, help="simulator seed (demo mode)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    _add_list(commands, common)
    _add_show(commands, common)
    _add_wait(commands, common)
    _add_sim(commands)
    _add_config(commands, common)
    return parser


def _add_list(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("list", parents=[common], help="list actions, newest first")
    cmd.add_argument("--backend", metavar="NAME", help="only this backend")
    cmd.add_argument("--resource", metavar="R", help="only actions on this resource")
    cmd.add_argument("--status", metavar="S", help="pending|running|completed|failed|cancelled")
    cmd.add_argument("--limit", type=_positive_int, default=50, metavar="N", help="default 50")
    cmd.add_argument("--json", action="store_true", help="print a JSON array")


def _add_show(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("show", parents=[common], help="show one action")
    cmd.add_argument("ref", metavar="REF", help="BACKEND:ID as printed by `list`")
    cmd.add_argument("--json", action="store_true", help="print a JSON object")


def _add_wait(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("wait", parents=[common], help="wait until an action ends")
    cmd.add_argument("ref", metavar="REF", help="BACKEND:ID as printed by `list`")
    cmd.add_argument("--timeout", type=_positive_float, metavar="S", help="give up after S s")
    cmd.add_argument("--interval", type=_positive_float, default=2.0, metavar="S")
    cmd.add_argument("--json", action="store_true", help="print the final action as JSON")


def _add_sim(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("sim", help="run the simulator in the foreground")
    cmd.add_argument("--actions", type=_positive_int, metavar="N", help="hold N actions in all")
    cmd.add_argument(
        "--servers",
        type=_server_count,
        metavar="N",
        help=f"N OpenStack servers (default 8, at most {MAX_SIM_SERVERS:,})",
    )
    cmd.add_argument("--seed", type=int, default=DEFAULT_SIM_SEED)
    cmd.add_argument("--frozen", action="store_true", help="freeze the clock (deterministic)")
    cmd.add_argument("--write-config", type=Path, metavar="PATH", help="also write the config")


def _add_config(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("config", parents=[common], help="config file helpers")
    sub = cmd.add_subparsers(dest="config_command", required=True, parser_class=_Parser)
    sub.add_parser("path", parents=[common], help="print where the config file is read from")
    sub.add_parser("check", parents=[common], help="validate the config and resolve secrets")


def _server_count(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_SIM_SERVERS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SIM_SERVERS:,}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    ``argv=None`` (the process's own command line) counts ``wait --timeout``
    from :data:`STARTED`; explicit arguments count from this call.
    """
    started = STARTED if argv is None else time.monotonic()
    args = build_parser().parse_args(argv)
    args.started = started
    from tui.cli.commands import Output
    from tui.config.errors import ConfigError

    output = Output(out=sys.stdout, err=sys.stderr)
    try:
        return _dispatch(args, output)
    except (ConfigError, UsageError) as error:
        for line in str(error).splitlines():
            output.error(line)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `actiondeck list | head`: the reader left, stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # last resort: a bug must not print a traceback at the user
        if os.environ.get("ACTIONDECK_DEBUG"):
            raise
        output.error(f"internal error: {type(exc).__name__}: {exc} (ACTIONDECK_DEBUG=1 shows more)")
        return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace, output: Output) -> int:
    if args.command == "config":
        return _config_command(args, output)
    if args.command == "sim":
        from tui.cli.sim_command import run_sim

        return run_sim(
            actions=args.actions,
            seed=args.seed,
            frozen=args.frozen,
            write_config=args.write_config,
            servers=args.servers,
        )
    if args.command in ("list", "show", "wait"):
        return _run_scriptable(args, output)
    return _run_console(args, output)


def _config_command(args: argparse.Namespace, output: Output) -> int:
    from tui.config import check_theme, load_config, resolve_config_path, user_themes_dir

    path, _ = resolve_config_path(args.config)
    if args.config_command == "path":
        print(path, file=output.out)
        return EXIT_OK
    loaded = load_config(args.config)
    if loaded is None:
        print(f"{path}: no config file; the embedded simulator is used", file=output.out)
        return EXIT_OK
    _warn(loaded, output)
    from tui.console.themes import theme_names  # the console's own list (imports Textual)

    check_theme(loaded, theme_names(user_themes_dir()))

    async def report_ok(backends: list[Backend]) -> int:
        names = ", ".join(backend.name for backend in backends) or "no backends"
        print(f"{path}: OK ({names})", file=output.out)
        return EXIT_OK

    # Building the backends resolves every secret; _with_backends closes them again.
    return _with_backends(loaded.config, report_ok)


def _warn(loaded: LoadedConfig, output: Output) -> None:
    for warning in loaded.warnings:
        output.error(f"warning: {warning}")


def _run_scriptable(args: argparse.Namespace, output: Output) -> int:
    from tui.config import load_config

    loaded = load_config(args.config)
    if loaded is not None:
        _warn(loaded, output)
        return _with_backends(loaded.config, lambda backends: _command(args, backends, output))
    from tui.embedded import simulator_config, start_simulator

    sim = start_simulator(seed=DEFAULT_SIM_SEED)
    try:
        config = simulator_config(sim)
        return _with_backends(config, lambda backends: _command(args, backends, output))
    finally:
        sim.stop()


def _command(args: argparse.Namespace, backends: list[Backend], output: Output) -> Awaitable[int]:
    from tui.cli.commands import WaitOptions, list_command, show_command, wait_command

    if args.command == "list":
        return list_command(
            backends,
            output,
            backend=args.backend,
            resource=args.resource,
            status=args.status,
            limit=args.limit,
            as_json=args.json,
            started=args.started,
        )
    if args.command == "show":
        return show_command(backends, output, args.ref, as_json=args.json, started=args.started)
    options = WaitOptions(
        timeout=args.timeout, interval=args.interval, as_json=args.json, started=args.started
    )
    return wait_command(backends, output, args.ref, options)


def _with_backends(config: Config, run: Callable[[list[Backend]], Awaitable[int]]) -> int:
    import asyncio

    from tui.connect import build_backends

    backends = build_backends(config)

    async def _main() -> int:
        try:
            return await run(backends)
        finally:
            await _close_all(backends)

    return asyncio.run(_main())


CLOSE_TIMEOUT = 2.0
"""Seconds closing the backends may take before the command exits anyway."""


async def _close_all(backends: list[Backend]) -> None:
    """Close every backend, bounded: a server that never finishes a close cannot hold us."""
    import asyncio

    closing = asyncio.gather(*(b.aclose() for b in backends), return_exceptions=True)
    try:
        await asyncio.wait_for(closing, CLOSE_TIMEOUT)
    except TimeoutError:
        return  # the process is about to end; its sockets close with it


def _run_console(args: argparse.Namespace, output: Output) -> int:
    if args.demo_actions is not None and args.demo_actions <= 0:
        raise UsageError("--demo-actions must be a positive integer")
    if args.demo_servers is not None and not 0 < args.demo_servers <= MAX_SIM_SERVERS:
        raise UsageError(f"--demo-servers must be between 1 and {MAX_SIM_SERVERS:,}")
    demo = bool(args.demo_actions or args.demo_servers)
    from tui.config import load_config

    loaded = None if demo else load_config(args.config)
    if loaded is not None:
        _warn(loaded, output)
    if not sys.stdout.isatty() and not os.environ.get("ACTIONDECK_FORCE_TUI"):
        output.error("the console needs a terminal; use `list`, `show` or `wait` in scripts")
        return EXIT_USAGE
    from tui.console.app import run_app

    if loaded is not None:
        return run_app(loaded.config, theme=args.theme)
    from tui.embedded import DEMO_PAGE_SIZE, simulator_config, start_simulator

    seed = args.seed if args.seed is not None else DEFAULT_SIM_SEED
    sim = start_simulator(actions=args.demo_actions, seed=seed, servers=args.demo_servers)
    try:
        config = simulator_config(sim, seeweb_page_size=DEMO_PAGE_SIZE if args.demo_actions else 50)
        return run_app(
            config, simulator=sim, theme=args.theme, preload=args.demo_actions is not None
        )
    finally:
        sim.stop()


__all__ = ["EXIT_BACKEND", "build_parser", "main"]
