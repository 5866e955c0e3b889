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
from tui.cli import startup
from tui.cli.exits import EXIT_BACKEND, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError

if TYPE_CHECKING:
    from tui.backends.base import Backend
    from tui.cli.formats import OutputStyle
    from tui.cli.output import Output
    from tui.config import Config, LoadedConfig
    from tui.sim.child import SimulatorProcess

DEFAULT_SIM_SEED = 1
"""Seed of the embedded simulator, so that ``list`` then ``show REF`` see the same world."""

MAX_SIM_SERVERS = 10_000
"""The most servers ``sim --servers`` / ``--demo-servers`` simulate (memory stays bounded)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"actiondeck: {message} (see --help)\n")


CONFIG_HELP = "config file (default: see 'actiondeck config path')"

CONSOLE_OPTIONS = ("--config", "--theme", "--demo-actions", "--demo-servers", "--seed")
"""The top-level options that take a value: a command line of these alone starts the
console, and is read without the sub-commands' parsers (see :func:`parse_args`)."""


class _NotRead(Exception):
    """The console's own parser cannot read these words: the whole parser reads them."""


class _ConsoleParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotRead(message)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, parsed as :func:`build_parser`'s parser parses it.

    The console's start (no words, or the top-level options with their
    values) is read by a parser of those options alone: building every
    sub-command's parser with its help and parsing took 5.2 ms of CPU in a
    fresh process, this parser 3.0 ms (2 ms of it importing :mod:`shutil`,
    which Textual imports anyway), of a start whose first rows take about
    0.4 s of CPU. Anything else (a command, ``--help``, an
    abbreviated option, a value that could be an option, a shell asking
    what Tab completes to) goes to the whole parser, as do words the small
    one cannot read, so every error is the whole parser's own.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    if "_ARGCOMPLETE" not in os.environ and _console_words(words):
        try:
            return _console_parser().parse_args(words)
        except _NotRead:
            pass
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks what a Tab completes to (then exits)
        from tui.cli.completion import autocomplete

        autocomplete(parser)
    return parser.parse_args(words)


def _console_words(words: Sequence[str]) -> bool:
    """Whether ``words`` are :data:`CONSOLE_OPTIONS`, each with its value (and nothing else)."""
    at = 0
    while at < len(words):
        name, given, _ = words[at].partition("=")
        if name not in CONSOLE_OPTIONS:
            return False
        if not given:
            at += 1
            if at == len(words) or words[at].startswith("-"):
                return False
        at += 1
    return True


def _console_parser() -> argparse.ArgumentParser:
    """The top-level options alone, with the defaults the whole parser gives them."""
    parser = _ConsoleParser(prog="actiondeck", add_help=False, allow_abbrev=False)
    _add_console_options(parser)
    parser.set_defaults(command=None)
    return parser


def _add_console_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help=CONFIG_HELP)
    parser.add_argument(
        "--version",
        action="version",
        version=f"actiondeck {__version__}",
        help="print the version and exit",
    )
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    from tui.cli.help_text import top_epilog

    # Sub-commands accept --config too; SUPPRESS keeps `actiondeck --config X list` working.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=CONFIG_HELP)
    parser = _Parser(
        prog="actiondeck",
        description=__doc__.splitlines()[0].replace("``", ""),
        epilog=top_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_console_options(parser)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    _add_list(commands, common)
    _add_show(commands, common)
    _add_wait(commands, common)
    _add_watch(commands, common)
    _add_history(commands, common)
    _add_sim(commands)
    _add_config(commands, common)
    _add_completion(commands)
    _add_exporter(commands, common)
    return parser


def _command_parser(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    summary: str,
    parents: Sequence[argparse.ArgumentParser] = (),
) -> argparse.ArgumentParser:
    """A sub-command whose help ends with its examples (plain text, kept as written)."""
    from tui.cli.help_text import examples

    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        parents=list(parents),
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=examples(name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _add_output(cmd: argparse.ArgumentParser, *, json_help: str) -> None:
    """--format, --fields, --no-headers and --json (the alias of --format json)."""
    from tui.cli.choices import FORMATS

    cmd.add_argument(
        "--format",
        choices=FORMATS,
        metavar="FORMAT",
        help=f"output format: {', '.join(FORMATS)} (default table)",
    )
    cmd.add_argument(
        "--fields", metavar="A,B,C", help="only these JSON fields, in this order (any format)"
    )
    cmd.add_argument(
        "--no-headers", action="store_true", help="no header line (table) or header row (CSV/TSV)"
    )
    cmd.add_argument("--json", action="store_true", help=json_help)


def _add_query(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "query",
        nargs="?",
        metavar="QUERY",
        help="the console's search: free text and key:value tokens "
        "(status: backend: type: user: resource: name:)",
    )
    cmd.add_argument("--backend", metavar="NAME", help="only this backend")
    cmd.add_argument(
        "--resource", metavar="R", help="only actions on this resource (asked of the server)"
    )
    cmd.add_argument(
        "--status", metavar="S", help="pending|running|completed|failed|cancelled|unknown"
    )


def _add_list(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = _command_parser(commands, "list", "list actions, newest first", [common])
    _add_query(cmd)
    cmd.add_argument(
        "--limit",
        type=_positive_int,
        default=50,
        metavar="N",
        help="at most N actions (default 50)",
    )
    _add_output(cmd, json_help="print a JSON array (same as --format json)")


def _add_show(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = _command_parser(commands, "show", "show one action", [common])
    cmd.add_argument("ref", metavar="REF", help="BACKEND:ID as printed by 'list'")
    cmd.add_argument("--json", action="store_true", help="print a JSON object")


def _add_wait(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = _command_parser(commands, "wait", "wait until actions end", [common])
    cmd.add_argument("ref", metavar="REF", nargs="+", help="BACKEND:ID as printed by 'list'")
    cmd.add_argument("--any", action="store_true", help="return when the first action ends")
    cmd.add_argument("--timeout", type=_positive_float, metavar="S", help="give up after S s")
    cmd.add_argument(
        "--interval",
        type=_positive_float,
        default=2.0,
        metavar="S",
        help="seconds between polls (default 2)",
    )
    cmd.add_argument("--json", action="store_true", help="print the final action as JSON")


def _add_history(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser("history", parents=[common], help="query the action journal")
    cmd.add_argument("query", nargs="?", default="", metavar="QUERY", help="as typed in / search")
    cmd.add_argument(
        "--since", metavar="SPAN", help="only active within SPAN (24h, 7d) or since a time"
    )
    cmd.add_argument("--limit", type=_positive_int, default=50, metavar="N", help="default 50")
    _add_output(cmd, json_help="print a JSON array (same as --format json)")


def _add_watch(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = _command_parser(
        commands, "watch", "print matching actions, then each change as polls find it", [common]
    )
    _add_query(cmd)
    cmd.add_argument(
        "--limit",
        type=_positive_int,
        default=50,
        metavar="N",
        help="at most N actions in the first listing (default 50)",
    )
    cmd.add_argument(
        "--interval",
        type=_positive_float,
        metavar="S",
        help="seconds between polls (default: the config's busy_interval)",
    )
    cmd.add_argument(
        "--until-settled",
        action="store_true",
        help="exit once every matching action has ended (0 all completed, 1 any did not)",
    )
    _add_output(cmd, json_help="one JSON object per line (same as --format json)")


def _add_sim(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = _command_parser(commands, "sim", "run the simulator in the foreground")
    cmd.add_argument("--actions", type=_positive_int, metavar="N", help="hold N actions in all")
    cmd.add_argument(
        "--servers",
        type=_server_count,
        metavar="N",
        help=f"N OpenStack servers (default 8, at most {MAX_SIM_SERVERS:,})",
    )
    cmd.add_argument(
        "--seed", type=int, default=DEFAULT_SIM_SEED, help="the world's seed (default 1)"
    )
    cmd.add_argument("--frozen", action="store_true", help="freeze the clock (deterministic)")
    cmd.add_argument("--write-config", type=Path, metavar="PATH", help="also write the config")
    cmd.add_argument(
        "--port",
        type=_port,
        metavar="P",
        help="Seeweb on P, OpenStack (Keystone and Nova) on P+1, Redis on P+2 "
        "(default: free ports)",
    )
    cmd.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="BACKEND=FAULT[:ARG]",
        help="start with a fault, e.g. seeweb=503, openstack=latency:5, redis=html "
        "(repeatable; see README)",
    )


def _add_config(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = _command_parser(commands, "config", "config file helpers", [common])
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = cmd.add_subparsers(
        dest="config_command", required=True, parser_class=_Parser, metavar="COMMAND"
    )
    sub.add_parser("path", parents=[common], help="print where the config file is read from")
    check = sub.add_parser(
        "check", parents=[common], help="validate the config and resolve secrets"
    )
    check.add_argument(
        "--probe",
        action="store_true",
        help="also connect to every backend and report what it answered (exit 3 if one fails)",
    )
    init = sub.add_parser("init", parents=[common], help="write a commented starter config")
    init.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="where (default: see 'config path')"
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing file")


def _add_completion(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from tui.cli.choices import SHELLS

    cmd = _command_parser(commands, "completion", "print a shell completion script")
    cmd.add_argument("shell", choices=SHELLS, metavar="SHELL", help=" | ".join(SHELLS))


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65533:
        raise argparse.ArgumentTypeError("must be a port between 1 and 65533 (it uses P..P+2)")
    return value


_EXPORTER_EXAMPLES = """\
examples:
  actiondeck exporter                            serve http://127.0.0.1:9477/metrics
  actiondeck exporter --listen 127.0.0.1:0       any free port (printed on start)
  actiondeck exporter --listen [::1]:9477        IPv6 loopback
  actiondeck exporter --listen 0.0.0.0:9477 --allow-remote
                                                 every interface (put it behind a firewall)

With no config file it exports the embedded simulator's demo backends.
Ctrl+C or SIGTERM stops it (exit 0). Metrics and alert rules: docs/exporter.md
"""


def _add_exporter(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    cmd = commands.add_parser(
        "exporter",
        parents=[common],
        help="poll the backends headless and serve Prometheus metrics",
        description="Poll the configured backends and serve /metrics for Prometheus.",
        epilog=_EXPORTER_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument(
        "--listen",
        metavar="HOST:PORT",
        default="127.0.0.1:9477",
        help="where to serve /metrics (default 127.0.0.1:9477; loopback only)",
    )
    cmd.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --listen address that is not loopback",
    )


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
    args = parse_args(argv)
    args.started = started
    args.demo_child = _fork_demo(args) if _console_demo(args) else None
    if argv is None and args.command in startup.COMMANDS:
        startup.begin()  # the program's own process: start lightly (until _with_backends or
        # the console's first rows end it)
    try:
        return _run(args)
    finally:
        startup.end()


def _run(args: argparse.Namespace) -> int:
    from tui.cli.output import Output
    from tui.config.errors import ConfigError

    output = Output(out=sys.stdout, err=sys.stderr)
    try:
        code = _dispatch(args, output)
        output.out.flush()  # a closed pipe is found here, not at exit
        return code
    except (ConfigError, UsageError) as error:
        for line in str(error).splitlines():
            output.error(line)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl+C is how a watch ends
        return EXIT_OK if args.command == "watch" else 130
    except BrokenPipeError:  # `actiondeck list | head -1`: the reader had enough; success
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
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
            port=args.port,
            faults=args.fault,
        )
    if args.command in ("list", "show", "wait", "watch"):
        return _run_scriptable(args, output)
    if args.command == "exporter":
        from tui.cli.exporter_command import run_exporter_command

        return run_exporter_command(
            args.config, args.listen, allow_remote=args.allow_remote, sim_seed=DEFAULT_SIM_SEED
        )
    if args.command == "history":
        return _history(args, output)
    if args.command == "completion":
        from tui.cli.completion import completion_script

        print(completion_script(args.shell), file=output.out)
        return EXIT_OK
    return _run_console(args, output)


def _config_command(args: argparse.Namespace, output: Output) -> int:
    from tui.config import check_theme, load_config, resolve_config_path, user_themes_dir

    path, _ = resolve_config_path(args.config)
    if args.config_command == "path":
        print(path, file=output.out)
        return EXIT_OK
    if args.config_command == "init":
        from tui.cli.config_init import write_starter

        written = write_starter(args.path or path, force=args.force)
        print(f"{written}: written (mode 0600); uncomment a backend, then run", file=output.out)
        print(f"  actiondeck --config {written} config check --probe", file=output.out)
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
        if not getattr(args, "probe", False):
            return EXIT_OK
        from tui.cli.probe import probe_backends

        return await probe_backends(backends, output)

    # Building the backends resolves every secret; _with_backends closes them again.
    return _with_backends(loaded.config, report_ok)


def _warn(loaded: LoadedConfig, output: Output) -> None:
    for warning in loaded.warnings:
        output.error(f"warning: {warning}")


def _history(args: argparse.Namespace, output: Output) -> int:
    from datetime import UTC, datetime

    from tui.cli.history_command import HistoryOptions, history_command
    from tui.config import HistoryConfig, load_config

    loaded = load_config(args.config)
    if loaded is not None:
        _warn(loaded, output)
    history = loaded.config.history if loaded is not None else HistoryConfig()
    path = history.database_path(demo=loaded is None)
    options = HistoryOptions(
        query=args.query,
        since=args.since,
        limit=args.limit,
        style=_output_style(args, output),
    )
    return history_command(path, output, options, datetime.now(UTC))


def _run_scriptable(args: argparse.Namespace, output: Output) -> int:
    from tui.config import load_config

    loaded = load_config(args.config)
    if loaded is not None:
        _warn(loaded, output)
        args.refresh = loaded.config.refresh.busy_interval
        return _with_backends(loaded.config, lambda backends: _command(args, backends, output))
    from tui.embedded import simulator_config, start_simulator

    sim = start_simulator(seed=DEFAULT_SIM_SEED)
    try:
        config = simulator_config(sim)
        args.refresh = config.refresh.busy_interval
        return _with_backends(config, lambda backends: _command(args, backends, output))
    finally:
        sim.stop()


def _command(args: argparse.Namespace, backends: list[Backend], output: Output) -> Awaitable[int]:
    from tui.cli.commands import list_command, show_command

    if args.command == "list":
        return list_command(
            backends,
            output,
            backend=args.backend,
            resource=args.resource,
            status=args.status,
            limit=args.limit,
            started=args.started,
            query=args.query,
            style=_output_style(args, output),
        )
    if args.command == "show":
        return show_command(backends, output, args.ref, as_json=args.json, started=args.started)
    if args.command == "watch":
        from tui.cli.watch import WatchOptions, watch_command

        watch = WatchOptions(
            query=args.query,
            backend=args.backend,
            resource=args.resource,
            status=args.status,
            limit=args.limit,
            interval=args.interval,
            until_settled=args.until_settled,
            style=_output_style(args, output),
            started=args.started,
        )
        return watch_command(backends, output, watch, refresh=args.refresh)
    from tui.cli.commands import WaitOptions
    from tui.cli.wait_many import wait_many

    options = WaitOptions(
        timeout=args.timeout, interval=args.interval, as_json=args.json, started=args.started
    )
    return wait_many(backends, output, args.ref, options, first=args.any)


def _output_style(args: argparse.Namespace, output: Output) -> OutputStyle:
    from tui.cli.formats import output_style

    return output_style(
        format=args.format,
        as_json=args.json,
        fields=args.fields,
        no_headers=args.no_headers,
        terminal=output.out.isatty(),
    )


def _with_backends(config: Config, run: Callable[[list[Backend]], Awaitable[int]]) -> int:
    import asyncio

    from tui.connect import build_backends, make_now

    backends = build_backends(config)
    make_now(backends)  # e.g. keystoneauth1, imported while the start is still light
    startup.end()  # modules loaded, models built: collect (and hide nothing) from here on

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
    child: SimulatorProcess | None = getattr(args, "demo_child", None)
    try:
        from tui.config import load_config

        loaded = None if demo else load_config(args.config)
        if loaded is not None:
            _warn(loaded, output)
        if not sys.stdout.isatty() and not os.environ.get("ACTIONDECK_FORCE_TUI"):
            output.error("the console needs a terminal; use `list`, `show` or `wait` in scripts")
            return EXIT_USAGE
        if loaded is None and child is None:  # no config file: the embedded demo
            child = _fork_demo(args)
        from tui.console.frame_rate import prefer_frame_rate

        prefer_frame_rate()
        from tui.console.app import run_app

        if loaded is not None:
            return run_app(loaded.config, theme=args.theme, started=startup.end)
        return _run_demo(args, child)
    finally:
        if child is not None:
            child.stop()


def _console_demo(args: argparse.Namespace) -> bool:
    """True when the console is to run on the simulator (``--demo-actions``/``--demo-servers``)."""
    if args.command is not None:
        return False
    actions, servers = args.demo_actions, args.demo_servers
    valid = (actions is None or actions > 0) and (servers is None or 0 < servers <= MAX_SIM_SERVERS)
    return valid and bool(actions or servers)


def _fork_demo(args: argparse.Namespace) -> SimulatorProcess | None:
    """The demo's simulator in a child process, started before the console loads anything,
    so that it builds its world and answers on another core while this one starts the
    console (``None`` where ``fork`` does not exist or threads already run)."""
    from tui.sim.child import fork_simulator

    seed = args.seed if args.seed is not None else DEFAULT_SIM_SEED
    return fork_simulator(seed=seed, actions=args.demo_actions, servers=args.demo_servers)


def _run_demo(args: argparse.Namespace, child: SimulatorProcess | None) -> int:
    """The console on the embedded simulator: the child's, else one in this process."""
    from tui.console.app import run_app
    from tui.embedded import DEMO_PAGE_SIZE, DEMO_STUCK, simulator_config, start_simulator
    from tui.sim.child import SimulatorStartError

    page_size = DEMO_PAGE_SIZE if args.demo_actions else 50
    preload = args.demo_actions is not None
    endpoints = None
    if child is not None:
        try:
            endpoints = child.endpoints()
        except SimulatorStartError:  # run it here instead (its own error, if any, is clearer)
            child.stop()
    if endpoints is not None:
        config = simulator_config(endpoints, stuck=DEMO_STUCK, seeweb_page_size=page_size)
        return run_app(
            config, simulator=endpoints, theme=args.theme, preload=preload, started=startup.end
        )
    seed = args.seed if args.seed is not None else DEFAULT_SIM_SEED
    sim = start_simulator(actions=args.demo_actions, seed=seed, servers=args.demo_servers)
    try:
        config = simulator_config(sim, stuck=DEMO_STUCK, seeweb_page_size=page_size)
        return run_app(
            config, simulator=sim, theme=args.theme, preload=preload, started=startup.end
        )
    finally:
        sim.stop()


__all__ = ["EXIT_BACKEND", "build_parser", "main"]
