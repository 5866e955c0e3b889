"""Messages of the console: results from workers, news from the app, requests from the screen.

Workers do the I/O and post results to the app; the app merges them into
the store and the backends' health and tells the main screen what changed
with the messages under "app to screen", which carry immutable snapshots
(:class:`BackendsSnapshot`, :class:`~tui.store.MergeResult`), never an
object the app goes on changing. The screen asks the app for I/O with the
messages under "screen to app". Messages carry data only: they never call a
backend and never touch a widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from textual.message import Message

from tui.model import Action
from tui.poller import BackendHealth, PollResult
from tui.store import MergeResult


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


# -- screen to app ---------------------------------------------------------------------------


@dataclass
class DetailRequested(Message):
    """The screen wants the full detail of the selected action (None: nothing is selected)."""

    ref: str | None


@dataclass
class MoreRequested(Message):
    """The screen paged past the loaded rows: load more from backends that have more."""

    missing: int
    """How many more rows the list needs."""


@dataclass
class ServerSearchRequested(Message):
    """The search has a single resource term a server may search for (None clears it)."""

    query: str | None


# -- app to screen ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BackendsSnapshot:
    """Every backend's health and how many of its actions are loaded, at one moment.

    Read-only copies: the app builds a new snapshot for every message and
    never changes one it has sent.
    """

    health: Mapping[str, BackendHealth]
    """Each backend's health, in config order."""
    loaded: Mapping[str, int]
    """How many actions of each backend the store holds."""

    @classmethod
    def of(cls, health: Mapping[str, BackendHealth], loaded: Mapping[str, int]) -> BackendsSnapshot:
        """A snapshot of these mappings (later changes to them do not show in it)."""
        return cls(MappingProxyType(dict(health)), MappingProxyType(dict(loaded)))


@dataclass
class PollFinished(Message, bubble=False):
    """A poll of ``backend`` was folded into the store and its health."""

    backend: str
    merged: MergeResult
    backends: BackendsSnapshot


@dataclass
class ActionsLoaded(Message, bubble=False):
    """Deeper rows, a search result or preloaded rows were merged into the store."""

    merged: MergeResult
    purpose: FetchPurpose
    backends: BackendsSnapshot
    watched: bool = False
    """The watchers were told of these rows already (:class:`PreloadMerged`): only redraw."""


@dataclass
class PreloadMerged(Message, bubble=False):
    """One slice of a preload window was merged: tell the watchers now, redraw later.

    The list is redrawn for many slices at once (an :class:`ActionsLoaded`
    with ``watched``); the watchers (durations, watched actions, failures,
    stuck) are told slice by slice, so no one event-loop turn tells them of
    a whole second's worth of actions.
    """

    merged: MergeResult


@dataclass
class DetailMerged(Message, bubble=False):
    """The full detail of ``ref`` arrived and was merged into the store."""

    ref: str
    merged: MergeResult
    backends: BackendsSnapshot


@dataclass
class DetailFailed(Message, bubble=False):
    """The full detail of ``ref`` could not be loaded."""

    ref: str
    reason: str
    gone: bool = False
    """The backend no longer knows the action (not worth a toast)."""


@dataclass
class RowsFailed(Message, bubble=False):
    """Deeper rows, a search or the preload failed for ``backend``."""

    backend: str
    reason: str
    purpose: FetchPurpose


class LoadingStopped(Message, bubble=False):
    """The request for deeper rows ended without an answer (its worker failed)."""


@dataclass
class PauseChanged(Message, bubble=False):
    """Polling was paused or resumed."""

    paused: bool


@dataclass
class EndedWhileAway(Message, bubble=False):
    """What ended since the previous run (the journal says when that was), the latest first."""

    actions: list[Action]


@dataclass
class FilterRequested(Message, bubble=False):
    """Put ``text`` in the search box (a palette command or a test filters the list)."""

    text: str
