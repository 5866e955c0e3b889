"""Messages of the console: results coming up from workers, requests going up from the screen.

Workers do the I/O and post these; handlers in the app and the screen update
the store and the widgets. Messages carry data only: they never call a
backend and never touch a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from textual.message import Message

from tui.model import Action
from tui.poller import PollResult


@dataclass
class ActionsPolled(Message):
    """One backend was polled (successfully or not)."""

    result: PollResult

    def can_replace(self, message: Message) -> bool:
        """True when ``message`` (a newer poll of the same backend) may supersede this one.

        Only a poll that changed nothing is dropped: poll updates are deltas,
        so dropping one that carries actions would lose changes.
        """
        if not isinstance(message, ActionsPolled) or message.result.backend != self.result.backend:
            return False
        update = self.result.update
        return update is None or not update.actions


class FetchPurpose(StrEnum):
    """Why a window of a backend's list was fetched."""

    PAGE = "page"
    """The user paged past the loaded rows."""
    SEARCH = "search"
    """A server-side resource search."""
    PRELOAD = "preload"
    """Loading every action at start-up."""


@dataclass
class ActionsFetched(Message):
    """A window of one backend's list arrived."""

    backend: str
    actions: list[Action]
    purpose: FetchPurpose
    total: int | None = None
    query: str | None = None
    """The resource searched for (``SEARCH`` only)."""


@dataclass
class FetchFailed(Message):
    """Fetching a window of one backend's list failed."""

    backend: str
    reason: str
    purpose: FetchPurpose


@dataclass
class ActionLoaded(Message):
    """The full detail of one action arrived."""

    ref: str
    action: Action


@dataclass
class ActionLoadFailed(Message):
    """The full detail of one action could not be loaded."""

    ref: str
    reason: str
    gone: bool = False
    """The backend no longer knows the action (not an error worth a toast)."""


@dataclass
class DetailRequested(Message):
    """The screen wants the full detail of the selected action."""

    ref: str


@dataclass
class MoreRequested(Message):
    """The screen paged past the loaded rows: load more from backends that have more."""

    missing: int
    """How many more rows the list needs."""


@dataclass
class ServerSearchRequested(Message):
    """The search has a single resource term a server may search for (None clears it)."""

    query: str | None
