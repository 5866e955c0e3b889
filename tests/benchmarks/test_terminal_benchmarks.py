"""Whole-process figures: ``actiondeck --demo-actions N`` in a real terminal (tmux).

First rows: from starting the process until its list shows rows on the
terminal, three starts of each size alternating with three of the floor, a
bare Textual app painting a few lines (medians, and each start's ratio to the
floor measured just before it; the package byte-compiled first, as installing
it does). Then, in one start of each size: until
every action is loaded (the footer no longer says "loaded"), read with
``capture-pane`` every 20 ms; beside the floor, a bare Textual app painting a
few lines, in the same run. Also: a key pressed while the actions load (``?``
until the help screen shows, Escape until it is gone; its floor: the same
keys once everything is loaded), and the process's peak memory (``VmHWM``).

Filter keys, once all are loaded (:func:`test_filter_keys_in_a_terminal`): a
pasted ``status:failed`` and the keys of ``ec2004`` typed one by one, each
timed three ways: until the search box shows it (the echo), until the list
shows the filtered rows (the list's part of the screen, left of the detail
pane, takes its final form), and until the whole screen settles (the detail
pane following the selection and its fetch included). Beside them, in the
same run, the floor: a bare Textual app whose ``Input`` echoes the key
(``bare_input_app.py``), timed the same way. With
``ACTIONDECK_BENCH_BEFORE=DIR`` (a checkout of other code, e.g. from
``git archive``) the same figures are taken of that code too, in the same
run, for a before/after.

Skipped where tmux is missing; the 1,000,000 cases run only with
``ACTIONDECK_BENCH_1M=1`` (loading them all takes minutes).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.test_console_tmux import ACTIONDECK, TMUX, Terminal, table_rows, tmux
from tests.helpers.bench import report, say

BIG = [1_000_000] if os.environ.get("ACTIONDECK_BENCH_1M") else []
BEFORE = os.environ.get("ACTIONDECK_BENCH_BEFORE")
CODES = ["now", *(["before"] if BEFORE else [])]
SIZE = (160, 45)
_TOTAL = re.compile(r"of ([\d,]+)")


def _time_until(
    terminal: Terminal, started: float, done: Callable[[str], bool], limit: float
) -> float:
    deadline = started + limit
    while time.perf_counter() < deadline:
        if done(terminal.screen()):
            return time.perf_counter() - started
        time.sleep(0.02)
    return float("inf")


def _help_shown(screen: str) -> bool:
    """The help screen's title is up (a wide footer also names Refresh, Pause and Quit)."""
    return "Keys and search" in screen and "Everywhere" in screen


def _key_until(
    terminal: Terminal, send: Callable[[], object], done: Callable[[str], bool]
) -> float:
    """Seconds from sending a key until ``done`` holds on the screen."""
    started = time.perf_counter()
    send()
    return _time_until(terminal, started, done, 30)


def _settled_after(terminal: Terminal, send: Callable[[], object], quiet: float = 0.3) -> float:
    """Seconds from sending a key until the screen's last change (then none for ``quiet`` s)."""
    last = terminal.screen()
    started = time.perf_counter()
    send()
    changed_at = None
    while True:
        now = time.perf_counter()
        if changed_at is None and now - started > 10:
            return float("inf")
        if changed_at is not None and now - changed_at > quiet:
            return changed_at - started
        screen = terminal.screen()
        if screen != last:
            last, changed_at = screen, time.perf_counter()
        time.sleep(0.005)


def _peak_rss_mb(terminal: Terminal) -> float:
    """The peak resident memory of the process in the terminal and its children, in MB.

    The demo's simulator runs in a child process; its memory counts too.
    """
    pid = int(tmux(terminal.socket, "display-message", "-p", "-t", terminal.name, "#{pane_pid}"))
    return sum(_vm_hwm_kb(each) for each in (pid, *_children(pid))) / 1024


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for task in tasks.iterdir() for c in (task / "children").read_text().split()]


def _vm_hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _median(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return ordered[0], ordered[len(ordered) // 2], ordered[-1]


def _all_loaded(screen: str) -> bool:
    footer = [line for line in screen.splitlines() if _TOTAL.search(line)]
    return bool(footer) and "loaded" not in footer[-1]


def _first_paint(
    command: list[str], done: Callable[[str], bool], env: dict[str, str] | None = None
) -> float:
    """Seconds from starting ``command`` in a terminal until ``done`` holds on its screen."""
    started = time.perf_counter()
    terminal = Terminal(command, {"TERM": "xterm-256color", **(env or {})}, SIZE)
    try:
        return _time_until(terminal, started, done, 120)
    finally:
        terminal.close()


def _floor_paint() -> float:
    script = Path(__file__).with_name("bare_app.py")
    return _first_paint([sys.executable, str(script)], lambda s: "seeweb row 4" in s)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_floor_bare_textual_app() -> None:
    report(
        "floor: bare Textual app, first paint in a terminal",
        _median([_floor_paint() for _ in range(3)]),
    )


@pytest.fixture(scope="module", autouse=True)
def _compiled() -> None:
    """Byte-compile the package, as installing it does, so no start compiles its sources.

    The floor's Textual was compiled when it was installed; with
    ``PYTHONDONTWRITEBYTECODE`` set (as on CI machines) an editable checkout
    would otherwise compile every module of ours on every start. The code at
    ``ACTIONDECK_BENCH_BEFORE`` is compiled too. Every test here starts the
    console, so each gets this first, run alone (``-k``) too: a "before" tree
    left uncompiled loaded 100,000 actions about 80 ms slower.
    """
    import compileall

    import tui

    compileall.compile_dir(Path(tui.__file__).parent, quiet=1)
    if BEFORE:
        compileall.compile_dir(Path(BEFORE) / "tui", quiet=1)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("actions", [1_000, 100_000, 1_000_000])
def test_first_rows_in_a_terminal(actions: int) -> None:
    """First rows of ``--demo-actions N``, each start beside a start of the floor.

    With ``ACTIONDECK_BENCH_BEFORE``, each round also starts that code, in turn
    with the floor and the code now.
    """
    runs: dict[str, tuple[list[float], list[float]]] = {code: ([], []) for code in CODES}
    command = [str(ACTIONDECK), "--demo-actions", str(actions)]
    for _ in range(3):
        for code, (floors, firsts) in runs.items():
            env = {"PYTHONPATH": BEFORE} if code == "before" and BEFORE else {}
            floors.append(_floor_paint())
            firsts.append(_first_paint(command, lambda s: len(table_rows(s)) >= 5, env))
    for code, (floors, firsts) in runs.items():
        label = f"--demo-actions {actions}" + (" (code before)" if code == "before" else "")
        report(f"floor beside {label}: bare app, first paint", _median(floors))
        report(f"terminal first rows, {label}", _median(firsts))
        ratios = sorted(first / floor for first, floor in zip(firsts, floors, strict=True))
        say(f"BENCH first rows / floor, {label}: " + " ".join(f"{r:.1f}x" for r in ratios))


def _wire_floor(actions: int) -> float:
    """Seconds to read every Seeweb page of ``actions`` from a forked simulator and decode it.

    The floor of loading (``wire_floor.py``), in a fresh interpreter: this
    one may run threads already, and then cannot fork the simulator.
    """
    script = Path(__file__).with_name("wire_floor.py")
    done = subprocess.run(
        [sys.executable, str(script), str(actions)], capture_output=True, text=True, check=True
    )
    return float(done.stdout)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("actions", [1_000, 100_000, *BIG])
@pytest.mark.parametrize(
    "code", ["now", *(["before"] if os.environ.get("ACTIONDECK_BENCH_BEFORE") else [])]
)
def test_loading_keys_and_memory_in_a_terminal(actions: int, code: str) -> None:
    """Every action loaded, a key meanwhile, peak memory; beside the floor of the same minute.

    ``code`` is ``now``, or ``before`` for the code at ``ACTIONDECK_BENCH_BEFORE``
    (each run has its own floor, read just before it).
    """
    suffix = " (code before)" if code == "before" else ""
    report(
        f"floor: read and decode every Seeweb page, --demo-actions {actions}{suffix}",
        (_wire_floor(actions),) * 3,
    )
    env = {"TERM": "xterm-256color"}
    if code == "before":
        assert BEFORE is not None  # read at import: the tests' environment is cleaned
        env["PYTHONPATH"] = BEFORE
    started = time.perf_counter()
    command = [str(ACTIONDECK), "--demo-actions", str(actions)]
    terminal = Terminal(command, env, SIZE)
    actions_label = f"{actions}{suffix}"
    try:
        painted = _time_until(terminal, started, lambda s: len(table_rows(s)) >= 5, 120)
        report(f"terminal first rows, --demo-actions {actions_label}", (painted,) * 3)
        opens: list[float] = []
        closes: list[float] = []
        while len(opens) < 3 and not _all_loaded(terminal.screen()):
            opens.append(_key_until(terminal, lambda: terminal.type("?"), _help_shown))
            closes.append(
                _key_until(
                    terminal, lambda: _press(terminal, "Escape"), lambda s: not _help_shown(s)
                )
            )
        if opens:
            _report_help_keys(f"while loading, --demo-actions {actions_label}", opens, closes)
        limit = 120 if actions <= 100_000 else 1800
        loaded = _time_until(terminal, started, _all_loaded, limit)
        report(f"terminal all loaded, --demo-actions {actions_label}", (loaded,) * 3)
        if loaded != float("inf"):
            opens, closes = [], []
            for _ in range(3):
                opens.append(_key_until(terminal, lambda: terminal.type("?"), _help_shown))
                closes.append(
                    _key_until(
                        terminal, lambda: _press(terminal, "Escape"), lambda s: not _help_shown(s)
                    )
                )
            _report_help_keys(f"once all are loaded, --demo-actions {actions_label}", opens, closes)
        peak = _peak_rss_mb(terminal)
        say(
            f"BENCH terminal peak memory, --demo-actions {actions_label}: {peak:.0f} MB"
            " (the console and its simulator child, each at its own peak)"
        )
    finally:
        terminal.close()


def _report_help_keys(when: str, opens: list[float], closes: list[float]) -> None:
    """``?`` (the help opens) and Escape (it closes) apart.

    Escape includes Textual's wait for the rest of an escape sequence
    (``ESCDELAY``, 100 ms by default) before it is read as a key. (It was
    sent with ``Terminal.keys``, whose 0.3 s pause after the key was timed
    with it: every close measured about 307 ms.)
    """
    report(f"terminal ? opens the help, {when} ({len(opens)} keys)", _median(opens))
    report(f"terminal Escape closes it, {when} ({len(closes)} keys)", _median(closes))


POLL = 0.005
"""Seconds between two reads of the screen while a key is timed."""
DIVIDER = "\u258f"
"""The line between the list and the detail pane (``▏``)."""


def _list_part(screen: str) -> list[str]:
    """What the action list shows: each line left of the detail pane, pager included."""
    return [line.split(DIVIDER, 1)[0] for line in screen.splitlines() if DIVIDER in line]


def _screens_after(
    terminal: Terminal, send: Callable[[], object], quiet: float = 0.3
) -> list[tuple[float, str]]:
    """Each different screen seen after sending a key (seconds after sending, screen).

    Ends once the screen has not changed for ``quiet`` s (or 10 s passed without a change).
    """
    last = terminal.screen()
    started = time.perf_counter()
    send()
    seen: list[tuple[float, str]] = []
    while True:
        now = time.perf_counter()
        if not seen and now - started > 10:
            return seen
        if seen and now - started - seen[-1][0] > quiet:
            return seen
        screen = terminal.screen()
        if screen != last:
            last = screen
            seen.append((time.perf_counter() - started, screen))
        time.sleep(POLL)


@dataclass
class KeyTimes:
    """One key's times: until it shows in the box, the list is final, the screen settles."""

    echo: float
    listed: float
    settled: float


def _time_key(terminal: Terminal, send: Callable[[], object], box: str) -> KeyTimes:
    """Time one key; ``box`` is what the search box holds once the key is in."""
    screens = _screens_after(terminal, send)
    if not screens:
        inf = float("inf")
        return KeyTimes(inf, inf, inf)
    final = _list_part(screens[-1][1])
    listed = next(at for at, screen in screens if _list_part(screen) == final)
    echo = next((at for at, screen in screens if _box_holds(screen, box)), float("inf"))
    return KeyTimes(echo, listed, screens[-1][0])


def _box_holds(screen: str, text: str) -> bool:
    """True when a line of the screen (the search box) starts with ``text``."""
    return any(line.strip() == text for line in screen.splitlines()[:6])


def _echo_floor(terminal: Terminal, text: str) -> list[float]:
    """The floor app: seconds until each key of ``text`` shows in its box."""
    samples = []
    for at in range(1, len(text) + 1):
        typed = text[:at]
        started = time.perf_counter()
        terminal.type(typed[-1])
        samples.append(_until(terminal, started, lambda s, typed=typed: _box_holds(s, typed)))  # type: ignore[misc]
        time.sleep(0.3)
    terminal.keys("C-u")
    return samples


def _until(terminal: Terminal, started: float, done: Callable[[str], bool]) -> float:
    while time.perf_counter() - started < 10:
        if done(terminal.screen()):
            return time.perf_counter() - started
        time.sleep(POLL)
    return float("inf")


def _report_keys(label: str, times: list[KeyTimes]) -> None:
    report(f"{label}: echo in the box", _median([t.echo for t in times]))
    report(f"{label}: list shows the filtered rows", _median([t.listed for t in times]))
    report(f"{label}: screen settled", _median([t.settled for t in times]))


def _filter_keys(terminal: Terminal, floor: Terminal, label: str) -> None:
    """Pasted ``status:failed`` (three times), then the keys of ``ec2004``, beside the floor."""
    floors = _echo_floor(floor, "ec2004")
    terminal.type("/")
    time.sleep(0.5)
    pasted = []
    for _ in range(3):
        pasted.append(_time_key(terminal, lambda: terminal.type("status:failed"), "status:failed"))
        terminal.keys("C-u")
        time.sleep(1.0)
    _report_keys(f"terminal paste status:failed, {label}", pasted)
    typed = []
    for at in range(1, 7):
        key = "ec2004"[at - 1]
        typed.append(_time_key(terminal, lambda key=key: terminal.type(key), "ec2004"[:at]))  # type: ignore[misc]
    _report_keys(f"terminal filter keystroke (typing ec2004), {label}", typed)
    terminal.keys("C-u", "Escape")
    floors += _echo_floor(floor, "ec2004")
    report(f"floor beside it: a key echoed by a bare Textual Input, {label}", _median(floors))


@contextmanager
def _loaded_beside_floor(actions: int, code: str) -> Iterator[tuple[Terminal, Terminal, str]]:
    """The demo with every action loaded, a bare ``Input`` app beside it, and their label.

    ``code`` is ``now``, or ``before`` for the code at ``ACTIONDECK_BENCH_BEFORE``.
    """
    env = {"TERM": "xterm-256color"}
    if code == "before":
        assert BEFORE is not None
        env["PYTHONPATH"] = BEFORE
    label = f"--demo-actions {actions}" + (" (code before)" if code == "before" else "")
    started = time.perf_counter()
    command = [str(ACTIONDECK), "--demo-actions", str(actions)]
    terminal = Terminal(command, env, SIZE)
    script = Path(__file__).with_name("bare_input_app.py")
    floor = Terminal([sys.executable, str(script)], {"TERM": "xterm-256color"}, SIZE)
    try:
        limit = 120 if actions <= 100_000 else 1800
        loaded = _time_until(terminal, started, _all_loaded, limit)
        report(f"terminal all loaded, {label}", (loaded,) * 3)
        assert loaded != float("inf"), terminal.screen()
        floor.wait_for(lambda s: "type here" in s, "the floor app")
        yield terminal, floor, label
    finally:
        terminal.close()
        floor.close()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("actions", [100_000, *BIG])
def test_filter_keys_in_a_terminal(actions: int, code: str) -> None:
    """Filter keys once every action is loaded, each beside the floor in the same minutes."""
    with _loaded_beside_floor(actions, code) as (terminal, floor, label):
        time.sleep(1.0)
        _filter_keys(terminal, floor, label)


# -- moving the cursor, closing the help ---------------------------------------------------


def _press(terminal: Terminal, key: str) -> None:
    """Send one named key (``PageDown``, ``Escape``) with no pause after it.

    ``Terminal.keys`` sleeps 0.3 s after each key (so a lone Escape is not
    read with the next key as an Alt chord); a timed key must not wait that.
    """
    tmux(terminal.socket, "send-keys", "-t", terminal.name, key)


def _styled(terminal: Terminal) -> str:
    """The screen with its colours (``capture-pane -e``): a moved cursor changes no text."""
    return tmux(terminal.socket, "capture-pane", "-p", "-e", "-t", terminal.name)


def _panes(screen: str) -> tuple[list[str], list[str]]:
    """The list's part and the detail pane's part of each line (the footer left out)."""
    lines = [line for line in screen.splitlines()[:-1] if DIVIDER in line]
    parts = [line.split(DIVIDER, 1) for line in lines]
    return [left for left, _ in parts], [right for _, right in parts]


@dataclass
class MoveTimes:
    """One move's times: until the list shows it, the detail pane follows, the screen settles."""

    listed: float
    detail: float
    settled: float


def _time_move(terminal: Terminal, key: str) -> MoveTimes:
    """Time one key that moves the cursor, reading the screen with its colours."""
    last = _styled(terminal)
    started = time.perf_counter()
    _press(terminal, key)
    seen: list[tuple[float, str]] = []
    while time.perf_counter() - started < 10:
        if seen and time.perf_counter() - started - seen[-1][0] > 0.3:
            break
        screen = _styled(terminal)
        if screen != last:
            last = screen
            seen.append((time.perf_counter() - started, screen))
        time.sleep(POLL)
    if not seen:
        inf = float("inf")
        return MoveTimes(inf, inf, inf)
    final_list, final_detail = _panes(seen[-1][1])
    listed = next(at for at, screen in seen if _panes(screen)[0] == final_list)
    detail = next(at for at, screen in seen if _panes(screen)[1] == final_detail)
    return MoveTimes(listed, detail, seen[-1][0])


def _report_moves(label: str, times: list[MoveTimes]) -> None:
    report(f"{label}: list shows the move", _median([t.listed for t in times]))
    report(f"{label}: detail pane follows", _median([t.detail for t in times]))
    report(f"{label}: screen settled", _median([t.settled for t in times]))


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("actions", [100_000, *BIG])
def test_move_keys_in_a_terminal(actions: int, code: str) -> None:
    """PgDn and ``j`` once every action is loaded (polling on), beside the floor.

    Each key is timed until the list's part of the screen (left of the
    detail pane) takes its final form, until the detail pane's does, and
    until the screen settles; the screen is read with its colours, since
    ``j`` moves a highlight and changes no text. The keys are pressed deep
    in the list, where no running action's duration ticks. The floor: a
    bare Textual ``Input`` echoing a key, in the same minutes.
    """
    with _loaded_beside_floor(actions, code) as (terminal, floor, label):
        for _ in range(30):  # deep enough that no running duration ticks on the page
            _press(terminal, "PageDown")
            time.sleep(0.1)
        time.sleep(1.5)
        floors = _echo_floor(floor, "ec2004")
        pages, downs = [], []
        for _ in range(6):
            pages.append(_time_move(terminal, "PageDown"))
        for _ in range(6):
            downs.append(_time_move(terminal, "j"))
        floors += _echo_floor(floor, "ec2004")
        _report_moves(f"terminal PgDn, {label}", pages)
        _report_moves(f"terminal j, {label}", downs)
        report(f"floor beside it: a key echoed by a bare Textual Input, {label}", _median(floors))


def _bare_help_shown(screen: str) -> bool:
    return "Help shown" in screen


def _close_help(
    terminal: Terminal, shown: Callable[[str], bool], close: str
) -> tuple[float, float]:
    """Open the help with ``?`` then close it with the named key: (open, close) seconds."""
    opened = _key_until(terminal, lambda: terminal.type("?"), shown)
    time.sleep(0.3)
    closed = _key_until(terminal, lambda: _press(terminal, close), lambda s: not shown(s))
    time.sleep(0.3)
    return opened, closed


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_closing_the_help_in_a_terminal() -> None:
    """Escape, ``q`` and ``?`` closing the help over 100,000 loaded actions, beside peers.

    Peers in the same minutes: a bare Textual app's modal screen closed the
    same ways, with Textual's default escape wait (``ESCDELAY``, 100 ms) and
    with ``ESCDELAY=10``; and the console's Escape again with tmux's
    ``escape-time`` set to 0 (it applies to keys tmux reads from a terminal,
    not to ``send-keys``: the two should measure the same).
    """
    started = time.perf_counter()
    terminal = Terminal(
        [str(ACTIONDECK), "--demo-actions", "100000"], {"TERM": "xterm-256color"}, SIZE
    )
    script = str(Path(__file__).with_name("bare_modal_app.py"))
    bare = Terminal([sys.executable, script], {"TERM": "xterm-256color"}, SIZE)
    quick = Terminal([sys.executable, script], {"TERM": "xterm-256color", "ESCDELAY": "10"}, SIZE)
    try:
        loaded = _time_until(terminal, started, _all_loaded, 120)
        report("terminal all loaded, --demo-actions 100000", (loaded,) * 3)
        for peer in (bare, quick):
            peer.wait_for(lambda s: "seeweb row 4" in s, "the peer app")
        time.sleep(1.0)
        runs = [
            ("console", terminal, _help_shown),
            ("bare Textual modal", bare, _bare_help_shown),
            ("bare Textual modal, ESCDELAY=10", quick, _bare_help_shown),
        ]
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(5):
            for name, where, shown in runs:
                for close in ("Escape", "q", "?"):
                    opened, closed = _close_help(where, shown, close)
                    times.setdefault((name, "? opens"), []).append(opened)
                    times.setdefault((name, f"{close} closes"), []).append(closed)
        tmux(terminal.socket, "set-option", "-s", "escape-time", "0")
        for _ in range(5):
            _, closed = _close_help(terminal, _help_shown, "Escape")
            times.setdefault(("console, tmux escape-time 0", "Escape closes"), []).append(closed)
        for (name, what), samples in times.items():
            report(f"terminal help, {name}: {what} ({len(samples)} keys)", _median(samples))
    finally:
        for each in (terminal, bare, quick):
            each.close()
