"""Telling the operator: the notifications log, toasts that stay, the desktop and the bell.

:class:`Herald` is told what happened (a watched action ended, actions
failed, actions became stuck) and decides what to record and how loudly to
say it: every event goes into the :class:`NotificationLog` (``n`` shows it);
a watched action's end also raises a toast (a failure's stays until
dismissed) and a desktop notification; new failures, and what ended since
the previous run (the app's one toast says how many), are only logged (a
whole cloud's failures would drown the screen); stuck actions get one toast
per check. It calls the functions it is given and touches no widget.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tui.console.screens.notices import Severity, action_settled, describe
from tui.format import status_text
from tui.model import Action, Status
from tui.search import ended_at

Kind = Literal["ended", "failed", "stuck"]

LOG_SIZE = 500
"""Entries the log keeps (the oldest go first)."""

SEEN_SIZE = 10_000
"""Failures remembered so that each is logged once (the oldest forgotten first)."""

AWAY_LOGGED = 200
"""Endings since the previous run logged at most (the latest; the toast counts them all)."""

STICKY = 24 * 3600.0
"""Seconds a toast that must stay until dismissed is given (a day)."""

Toast = Callable[[str, Severity, float | None], None]
"""Show a toast: text, severity, timeout (``None``: the default)."""
Desktop = Callable[[str, str], None]
"""Raise a desktop notification: title, body."""


@dataclass(frozen=True)
class Entry:
    """One line of the notifications log."""

    at: datetime
    kind: Kind
    ref: str
    text: str
    """Already safe to show (see :mod:`tui.console.screens.notices`)."""
    severity: Severity


class NotificationLog:
    """What the console has told, newest first (bounded).

    Entries told at the same time (one poll's endings, or several backends
    answering under a frozen clock) come by ref, then in the order they were
    told: never in the order of a set or of whichever backend answered first.
    """

    def __init__(self, size: int = LOG_SIZE) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        by_ref = sorted(self._entries, key=lambda entry: entry.ref)  # stable: as told
        return iter(sorted(by_ref, key=lambda entry: entry.at, reverse=True))

    def add(self, entry: Entry) -> None:
        """Record ``entry``."""
        self._entries.append(entry)


class Herald:
    """Decides what to log, toast and send to the desktop."""

    def __init__(self, since: datetime, toast: Toast, desktop: Desktop) -> None:
        self.since = since
        """Failures that ended before this are old news (they were there at start)."""
        self.log = NotificationLog()
        self._toast = toast
        self._desktop = desktop
        self._failures: OrderedDict[str, None] = OrderedDict()

    def watch_ended(self, action: Action, now: datetime) -> None:
        """A watched action has ended: log, toast (a failure's stays) and the desktop."""
        text, severity = action_settled(action)
        self._failures[action.ref] = None
        self.log.add(Entry(now, "ended", action.ref, text, severity))
        self._toast(text, severity, STICKY if severity == "error" else None)
        self._desktop(f"ActionDeck: {status_text(action.status)}", describe(action))

    def failures(self, actions: Iterable[Action], now: datetime) -> None:
        """Log the actions that failed since start (each once; watched ones are told apart)."""
        for action in actions:
            if action.status is not Status.FAILED or action.ref in self._failures:
                continue
            ended = action.finished_at or action.updated_at
            if ended is None or ended < self.since:
                continue
            self._remember(action.ref)
            text = f"{status_text(action.status)}: {describe(action)}"
            self.log.add(Entry(now, "failed", action.ref, text, "error"))

    def _remember(self, ref: str) -> None:
        """``ref``'s ending is logged: never again (the oldest forgotten first)."""
        self._failures[ref] = None
        if len(self._failures) > SEEN_SIZE:
            self._failures.popitem(last=False)

    def ended_while_away(self, actions: Sequence[Action]) -> None:
        """Log what ended since the previous run (latest first), each at its ending."""
        for action in actions[:AWAY_LOGGED]:
            if action.ref in self._failures:
                continue
            self._remember(action.ref)
            text, severity = action_settled(action)
            at = ended_at(action) or action.sort_time
            self.log.add(Entry(at, "ended", action.ref, text, severity))

    def stuck(
        self, actions: Sequence[Action], reasons: Callable[[str], str], now: datetime
    ) -> None:
        """Actions have just become stuck: log each, one toast for them all."""
        for action in actions:
            text = f"⚠ {reasons(action.ref)}: {describe(action)}"
            self.log.add(Entry(now, "stuck", action.ref, text, "warning"))
        if len(actions) == 1:
            self._toast(f"⚠ Looks stuck: {describe(actions[0])}", "warning", None)
        elif actions:
            self._toast(f"⚠ {len(actions)} actions look stuck (n: notifications)", "warning", None)
