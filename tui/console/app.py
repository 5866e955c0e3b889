"""The Textual app: wires the config, store, poller, workers and the main screen together.

Workers do the I/O (polling, detail, deeper pages, server-side search,
preloading) and post messages; the handlers here merge results into the
store and the backends' health, and post the main screen a message saying
what changed, with an immutable snapshot of the health (the app never calls
into the screen, and shares with it only the store, which only the app
writes). Every
backend failure ends up in the backend bar or a toast: the console never
shows a Python traceback. Layout and behaviour of the list live in
:mod:`tui.console.screens.main`; this module is wiring.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from itertools import repeat
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

import platformdirs
from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

from tui.backends import capabilities_of
from tui.backends.base import Backend
from tui.config import Config, RefreshConfig, user_themes_dir
from tui.connect import build_backends
from tui.console.animation import calm_animations
from tui.console.fetcher import Fetcher
from tui.console.history import ConsoleHistory, HistoryRead
from tui.console.messages import (
    ActionLoaded,
    ActionLoadFailed,
    ActionsFetched,
    ActionsLoaded,
    ActionsPolled,
    BackendsSnapshot,
    DetailFailed,
    DetailMerged,
    DetailRequested,
    EndedWhileAway,
    FetchFailed,
    FetchPurpose,
    FilterRequested,
    LoadingStopped,
    MoreRequested,
    PauseChanged,
    PollFinished,
    PreloadMerged,
    RowsFailed,
    ServerSearchRequested,
)
from tui.console.palette import ActionDeckCommands
from tui.console.screens.main import MainScreen
from tui.console.screens.main_view import ViewSettings
from tui.console.screens.marks import Marks
from tui.console.terminal_alerts import choose_channel, in_tmux, notification
from tui.console.terminal_copy import QuietTerminalApp
from tui.console.themes import DEFAULT_THEME, load_themes, status_variable_defaults
from tui.console.ui_state import remember_theme, remembered_theme
from tui.model import Action, split_ref
from tui.poller import BackendHealth, Poller, PollResult, PollSettings
from tui.store import ActionStore, MergeResult
from tui.text import display_text

if TYPE_CHECKING:
    from tui.sim import Simulator
    from tui.sim.child import Endpoints


STARTED_AT_LATEST = 10.0
"""Seconds after which start-up counts as done even if no backend has sent a row yet."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


PRELOAD_GC_YOUNG = 100_000
"""The garbage collector's youngest threshold while a preload runs (CPython's default: 700).

Each merged window is frozen (:meth:`ActionDeckApp._freeze_loaded`), which
also restarts the count of young objects; under the default, the
collector still ran a few young collections within every window, each
walking the actions just made (about a tenth of a second at 100,000, a
second at a million). With this threshold a window's actions are frozen
before any collection sees them; garbage with cycles made meanwhile waits
for at most this many new objects.
"""

PRELOAD_TOLD_EVERY = 1.0
"""Seconds between two preload windows told to the main screen (each redraws the list).

A preload merges a window every few milliseconds; the screen is told what the
windows merged meanwhile at most this often, so loading a million actions
redraws the page and the footer once a second (as the clock ticks), not once
per window: the count moving faster says nothing more to the eye, and each
telling costs the list's page, the footer and a frame.
"""


DEMO_BANNER = "Demo mode: simulated backends. Add real ones: actiondeck config path"
"""The banner of demo mode: short enough for one line of an 80-column terminal."""


def demo_banner() -> str:
    """The one-line banner of demo mode (``actiondeck config path`` shows where the file is)."""
    return DEMO_BANNER


def poll_settings(refresh: RefreshConfig) -> PollSettings:
    """The poller's settings from the config's ``[refresh]`` table."""
    return PollSettings(
        busy_interval=refresh.busy_interval,
        idle_interval=refresh.idle_interval,
        max_backoff=refresh.max_backoff,
        stale_after=refresh.stale_after,
    )


def heavy_first_polls(backends: Iterable[Backend]) -> list[str]:
    """The backends whose first poll waits for the others' first rows (none if all are heavy).

    Such a first poll (OpenStack: importing keystoneauth1, a token, every server
    swept) would take the thread the first frame needs.
    """
    named = [(backend.name, capabilities_of(backend.type).heavy_first_poll) for backend in backends]
    heavy = [name for name, is_heavy in named if is_heavy]
    return heavy if len(heavy) < len(named) else []


_Handler = TypeVar("_Handler", bound=Callable[..., None])


def _while_running(handler: _Handler) -> _Handler:
    """Skip a result handler once the app is shutting down.

    Workers may still deliver a poll or a detail while the screens are being
    taken down; showing it then would query widgets that are already gone.
    """

    @functools.wraps(handler)
    def guarded(self: App[int], *args: object) -> None:
        if self.is_running:
            handler(self, *args)

    return cast(_Handler, guarded)


class ActionDeckApp(QuietTerminalApp[int]):
    """ActionDeck: every backend's long-running actions in one keyboard-first list."""

    TITLE = "ActionDeck"
    CSS_PATH = ["app.tcss", "screens/main.tcss"]
    """The main screen's styles too: read with the rest before the first frame, not added
    (reparsing every widget's styles and restyling the app) when the screen is pushed."""
    COMMANDS = App.COMMANDS | {ActionDeckCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "show_help", "Help", key_display="?"),
        Binding("p", "toggle_pause", "Pause"),
        Binding("r", "refresh_now", "Refresh"),
        Binding("ctrl+l", "redraw", "Redraw the screen", show=False),
    ]

    def __init__(
        self,
        config: Config,
        *,
        simulator: Simulator | Endpoints | None = None,
        theme: str | None = None,
        now: Callable[[], datetime] | None = None,
        banner: str | None = None,
        preload: bool = False,
        started: Callable[[], object] | None = None,
    ) -> None:
        """Build the backends (resolving secrets) and the store; nothing runs yet.

        Args:
            config: the validated configuration.
            simulator: the embedded simulator being watched (demo mode), if any: the
                simulator itself, or where it listens when it runs in a child process.
            theme: a theme name that wins over the config's ``ui.theme``.
            now: tells the time; inject a fixed clock for deterministic renders.
            banner: the first-run banner; demo mode has one by default.
            preload: page through every backend at start-up (``--demo-actions``).
            started: called once, when the first rows are drawn (or after
                :data:`STARTED_AT_LATEST` s): the command line then ends its light start.

        Raises:
            ConfigError: a backend's secret cannot be resolved.
        """
        super().__init__()
        calm_animations(self)
        self.config = config
        self.simulator = simulator
        self.now = now or _utc_now
        self.backends = build_backends(config)
        self.marks = Marks(config.stuck.rule())
        self.store = ActionStore(flags_of=self.marks.flags_of)
        self.notify_channel = choose_channel(config.ui.notify, os.environ, bell=config.ui.bell)
        """Where desktop notifications go (``ui.notify``, see :mod:`.terminal_alerts`)."""
        self.health = {backend.name: BackendHealth(backend.name) for backend in self.backends}
        self.loaded: Counter[str] = Counter()
        self.poller = Poller(
            self.backends,
            poll_settings(config.refresh),
            now=self.now,
            held=heavy_first_polls(self.backends),
        )
        self.fetcher = Fetcher(self.backends, self.post_message, paced=True)
        self.history = ConsoleHistory.open(config.history, now=self.now, demo=bool(simulator))
        self._history_refs: set[str] = set()
        """Refs shown from the journal that no backend has sent again yet."""
        self._unanswered = set(self.health)
        """Backends whose first poll has not come back (the summary waits for them)."""
        self._start_from_history()
        self.theme_names: list[str] = []
        self._wanted_theme = theme or remembered_theme() or config.ui.theme
        self._theme_notices = self._use_themes()
        self._banner = banner if banner is not None else (demo_banner() if simulator else None)
        self._preload = preload
        self._started = started
        self._rows_merged = False
        """A poll has brought rows (they are drawn at the next refresh)."""
        self._rows_drawn = False
        """The first polled rows have been drawn."""
        self._search_query: str | None = None
        self._detail_ref: str | None = None
        self._preloaded: list[MergeResult] = []
        """What the preload slices merged since the screen was last told, in the order merged."""
        self._preload_told_at = -PRELOAD_TOLD_EVERY
        self._preload_timer: Timer | None = None
        self._held_slices: list[MergeResult] = []
        """Preload slices merged while another screen covers the main one, not told yet."""
        self.main_screen = MainScreen(
            self.store,
            self.backends_snapshot(),
            now=self.now,
            settings=ViewSettings(
                stale_after=config.refresh.stale_after,
                page_size=config.ui.page_size,
                bell=config.ui.bell and self.notify_channel != "bell",
                last_look=self.history.last_look,
                clipboard=config.ui.clipboard,
            ),
            banner=self._banner,
            marks=self.marks,
            desktop=self.desktop_notify,
        )

    def desktop_notify(self, title: str, body: str) -> None:
        """Raise a desktop notification through the terminal (``ui.notify``; made safe there)."""
        if self.notify_channel == "bell":
            self.bell()
            return
        sequence = notification(self.notify_channel, title, body, tmux=in_tmux(os.environ))
        driver = self._driver
        if sequence and driver is not None and not self.is_headless:
            driver.write(sequence)

    def backends_snapshot(self) -> BackendsSnapshot:
        """The backends' health and loaded counts as they are now, as an immutable value."""
        return BackendsSnapshot.of(self.health, self.loaded)

    @property
    def backend_names(self) -> list[str]:
        """The configured backends, in config order."""
        return [backend.name for backend in self.backends]

    @property
    def saved_searches(self) -> list[tuple[str, str]]:
        """The config's ``[[ui.searches]]``, as (name, query)."""
        return [(search.name, search.query) for search in self.config.ui.searches]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """``$status-*`` colours for themes that do not define them (e.g. Textual's own)."""
        return status_variable_defaults(self.current_theme)

    async def on_mount(self) -> None:
        """Start polling in a worker, then show the main screen.

        The first requests go out before the screen is built, so the servers
        answer while it is composed and styled. The preload (if any) starts
        once the first poll has been merged and painted, so the newest rows
        reach the screen before the rest loads; the rest of the journal is
        read once the preload is done (only what no backend sent: the
        backends' versions win anyway).
        """
        self._poll()  # the first requests go out while the main screen is built
        self.set_timer(STARTED_AT_LATEST, self.poller.release)  # held ones wait no longer
        if self._started is not None:
            self.set_timer(STARTED_AT_LATEST, self._start_done)
        for notice in self._theme_notices:
            self.notify(notice, severity="warning", markup=False)
        await self.push_screen(self.main_screen)
        if self.history.problem:
            self.notify(display_text(self.history.problem), severity="warning", markup=False)
        if not self._preload:  # a preload brings every action: the rest is read after it
            self._read_history()

    async def on_unmount(self) -> None:
        """Release the backends' connections; write what the journal still holds."""
        await asyncio.gather(*(b.aclose() for b in self.backends), return_exceptions=True)
        await asyncio.to_thread(self.history.close)
        if gc.get_freeze_count():  # what it loaded or filtered is garbage now: collect it
            gc.unfreeze()

    # -- history ----------------------------------------------------------------------------

    def _start_from_history(self) -> None:
        """The journal's newest actions, before any backend answers (marked from history)."""
        rows = self.history.first_rows()
        self.store.merge(rows)
        self._history_refs.update(action.ref for action in rows)

    @work(thread=True, group="history", exit_on_error=False, description="reading history")
    def _read_history(self, known: Collection[str] = ()) -> None:
        worker = get_current_worker()
        self.history.read_rest(self.post_message, lambda: worker.is_cancelled, known)

    @on(HistoryRead)
    @_while_running
    def merge_history(self, message: HistoryRead) -> None:
        """Add older actions from the journal (never over what a backend already sent)."""
        fresh = [action for action in message.actions if action.ref not in self.store]
        merged = self.store.merge(fresh)
        self._history_refs.update(merged.added)
        self._tell(ActionsLoaded(merged, FetchPurpose.PRELOAD, self.backends_snapshot()))

    def ended_since_last_run(self) -> list[Action]:
        """The actions that ended since the previous run, the latest ending first."""
        return self.history.ended()

    def _answered(self, backend: str) -> None:
        """Once every backend has answered once, say what ended since the last run.

        One toast with the counts; the actions go to the notifications log (``n``).
        """
        if not self._unanswered:
            return
        self._unanswered.discard(backend)
        if not self._unanswered and (summary := self.history.summary(self.now())):
            self._tell(EndedWhileAway(self.history.ended()))
            self.notify(f"{summary} — press n", title="Since you last looked", markup=False)

    def _use_themes(self) -> list[str]:
        """Register the theme files and choose the theme; the notices to show once running.

        Called from ``__init__``: a theme chosen before the app runs styles the
        screens once, where one chosen in ``on_mount`` restyles every widget again.
        """
        result = load_themes(user_themes_dir())
        for theme in result.loaded:
            self.register_theme(theme)
        self.theme_names = [theme.name for theme in result.loaded]
        notices = [
            f"Theme {display_text(path)} skipped: {display_text(reason)}"
            for path, reason in result.failed
        ]
        wanted = self._wanted_theme
        if wanted not in self.available_themes:
            fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else self.theme
            notices.append(f"No theme named {wanted!r}; using {fallback}.")
            wanted = fallback
        self.theme = wanted
        return notices

    # -- polling ---------------------------------------------------------------------------

    @work(exclusive=True, group="poller", exit_on_error=False, description="polling")
    async def _poll(self) -> None:
        await self.poller.run(self._report)

    def _report(self, result: PollResult) -> None:
        self.post_message(ActionsPolled(result))

    @on(ActionsPolled)
    @_while_running
    def merge_polled(self, message: ActionsPolled) -> None:
        """Fold one poll into the health and the store.

        Once a first poll has brought rows, the others wait until those rows
        are drawn: merging thousands more first would only delay that frame.
        """
        if self._rows_merged and not self._rows_drawn:
            self.call_after_refresh(self.merge_polled, message)
            return
        result = message.result
        self.health[result.backend] = self.health[result.backend].recorded(result)
        actions = result.update.actions if result.update else []
        merged = self._merge(actions)
        self.history.listed((action.ref for action in actions), result.at)
        self._tell(PollFinished(result.backend, merged, self.backends_snapshot()))
        self._answered(result.backend)
        if failure := self.history.new_failure():
            self.notify(display_text(failure), severity="warning", markup=False)
        if merged.any and not self._rows_merged:
            self._rows_merged = True
            self.call_after_refresh(self._first_rows_drawn)
        if self.poller.holding and not self._rows_merged and self._unanswered <= self.poller.held:
            self.poller.release()  # every other backend answered without rows: none to wait for
        if self._preload:
            self._preload = False
            self.call_after_refresh(self._preload_all)

    def _first_rows_drawn(self) -> None:
        """The first polled rows are on screen: the polls that waited merge now; start-up ends."""
        self._rows_drawn = True
        self.poller.release()
        self._start_done()

    def _start_done(self) -> None:
        """The first rows are drawn (or it took too long): say so, once."""
        started, self._started = self._started, None
        if started is not None:
            started()

    def _merge(self, actions: Iterable[Action]) -> MergeResult:
        """Merge what a backend sent; hand the journal what is new or changed.

        Costs what the merge changed: the journal's writer thread serialises
        and writes (and leaves alone a version it holds already), so a row
        from the journal that its backend sends again unchanged is not
        compared here.
        """
        merged = self.store.merge(actions)
        _count_backends(self.loaded, merged.added_in_order)
        if self._history_refs and merged.changed:  # rows from the journal, now from a backend
            confirmed = self._history_refs.intersection(merged.changed)
            self._history_refs.difference_update(confirmed)
            _count_backends(self.loaded, list(confirmed))
        if merged.any and self.history.watching:  # without a journal: nothing to look up
            store = self.store
            seen = [store.get(ref) for ref in (*merged.added, *merged.changed)]
            self.history.seen([a for a in seen if a is not None and not a.from_history], self.now())
        return merged

    def _tell(self, message: Message) -> None:
        """Post ``message`` to the main screen."""
        self.main_screen.post_message(message)

    def action_toggle_pause(self) -> None:
        """Pause polling, or resume it."""
        if self.poller.paused:
            self.poller.resume()
        else:
            self.poller.pause()
        self._label_pause(self.poller.paused)
        self._tell(PauseChanged(self.poller.paused))

    def _label_pause(self, paused: bool) -> None:
        """The footer says ``p Resume`` while paused, ``p Pause`` otherwise."""
        keys = self._bindings.key_to_bindings
        word = "Resume" if paused else "Pause"
        for key, bindings in list(keys.items()):
            if any(binding.action == "toggle_pause" for binding in bindings):
                keys[key] = [  # a new list: the class's bindings stay as they are
                    replace(b, description=word) if b.action == "toggle_pause" else b
                    for b in bindings
                ]
        self.refresh_bindings()

    def action_refresh_now(self) -> None:
        """Poll every backend now (once, even while paused)."""
        if self.poller.paused:
            self._poll_once()
        else:
            self.poller.refresh()

    @work(exclusive=True, group="poll-once", exit_on_error=False, description="refreshing")
    async def _poll_once(self) -> None:
        results = await asyncio.gather(*(self.poller.poll_once(b) for b in self.backends))
        for result in results:
            self._report(result)

    # -- detail, more rows, server-side search, preload -----------------------------------

    @on(DetailRequested)
    def load_detail(self, message: DetailRequested) -> None:
        """Fetch the full detail of the selected action (nothing selected: stop fetching)."""
        self._detail_ref = message.ref
        action = self.store.get(message.ref) if message.ref else None
        if action is None:
            self.workers.cancel_group(self, "detail")
        else:
            self._load_detail(action.ref, action.backend, action.id)

    @work(exclusive=True, group="detail", exit_on_error=False, description="loading a detail")
    async def _load_detail(self, ref: str, backend: str, action_id: str) -> None:
        await self.fetcher.detail(ref, backend, action_id)

    @on(ActionLoaded)
    @_while_running
    def merge_detail(self, message: ActionLoaded) -> None:
        """Merge a detail, unless the user has moved on to another action."""
        if message.ref == self._detail_ref:
            merged = self._merge([message.action])
            self._tell(DetailMerged(message.ref, merged, self.backends_snapshot()))

    @on(ActionLoadFailed)
    @_while_running
    def report_detail_failure(self, message: ActionLoadFailed) -> None:
        """Say that the detail could not be loaded."""
        self._tell(DetailFailed(message.ref, message.reason, gone=message.gone))

    @on(MoreRequested)
    def load_more(self, message: MoreRequested) -> None:
        """Fetch deeper pages from the backends that have more."""
        self._load_more(message.missing)

    @work(exclusive=True, group="more", exit_on_error=False, description="loading more")
    async def _load_more(self, missing: int) -> None:
        await self.fetcher.more(missing, self.health, self.loaded)

    @on(ServerSearchRequested)
    def search_servers(self, message: ServerSearchRequested) -> None:
        """Send a resource search to the backends that can search by resource."""
        self._search_query = message.query
        if message.query is None:
            self.workers.cancel_group(self, "search")
        else:
            self._search(message.query)

    @work(exclusive=True, group="search", exit_on_error=False, description="searching")
    async def _search(self, query: str) -> None:
        await self.fetcher.search(query)

    @work(group="preload", exit_on_error=False, description="loading every action")
    async def _preload_all(self) -> None:
        self.poller.set_loading(True)
        thresholds = gc.get_threshold()
        gc.set_threshold(PRELOAD_GC_YOUNG, *thresholds[1:])
        try:
            await self.fetcher.preload()
        finally:
            gc.set_threshold(*thresholds)
            if self.is_running:  # not while quitting
                self.poller.set_loading(False)  # every backend polls at once
                self.call_later(self._tell_preload_now)  # after the windows still queued
                self._read_history(list(self.store.refs()))
                self._freeze_loaded()

    def _freeze_loaded(self) -> None:
        """Leave what is loaded out of later garbage collections (until the app ends).

        A full collection walks every object: over a loaded store it cost a
        key hundreds of milliseconds, and while a preload grows the store
        the collector runs one each time the objects it holds have grown by
        a quarter, each walking everything loaded so far (a fifth of the
        console's time loading 100,000, more at a million). Each merged
        preload window and the end of the preload freeze what is loaded (in
        constant time): later collections see only what was made since.
        """
        gc.freeze()

    @on(ActionsFetched)
    @_while_running
    def merge_fetched(self, message: ActionsFetched) -> None:
        """Merge a fetched window (a search result only while it is still the search)."""
        if message.purpose is FetchPurpose.SEARCH and message.query != self._search_query:
            return
        merged = self._merge(message.actions)
        if message.purpose is FetchPurpose.PRELOAD:
            self._freeze_loaded()
            self.fetcher.merged(message.backend)
            self._tell_preloaded(merged)
        else:
            self._tell(ActionsLoaded(merged, message.purpose, self.backends_snapshot()))

    def _tell_preloaded(self, merged: MergeResult) -> None:
        """Tell the screen what preload slices merged: its watchers at once, the list at most
        every :data:`PRELOAD_TOLD_EVERY`.

        Each slice's watchers are told in a message of its own (bounded work
        for one turn of the screen). The first slice is drawn at once; later
        ones are gathered and drawn together (with the health as it is then)
        once the interval has passed.

        While another screen (the help) covers the main one, the slices'
        messages are held and posted together when the list is told: Textual
        counts the screen just beneath the top one as visible, and each time
        it goes idle after a message it has the top screen redrawn whole. Told
        slice by slice, the help was redrawn at the frame rate all the while
        it was open over a load. Once the help closes, slices are still held
        until the list is told (the watchers hear of every slice in order),
        so that the frame showing the main screen again does not wait for
        the burst.
        """
        if merged.any:
            if self._held_slices or self.screen_stack[-1:] != [self.main_screen]:
                self._held_slices.append(merged)
            else:
                self._tell(PreloadMerged(merged))
        if merged.any:
            self._preloaded.append(merged)
        if self._preload_timer is not None:
            return
        wait = self._preload_told_at + PRELOAD_TOLD_EVERY - time.monotonic()
        if wait <= 0:
            self._tell_preload_now()
        else:
            self._preload_timer = self.set_timer(wait, self._tell_preload_now)

    def _tell_preload_now(self) -> None:
        """Tell the screen what the preload windows merged since it was last told."""
        if self._preload_timer is not None:
            self._preload_timer.stop()
            self._preload_timer = None
        if not self.is_running:
            return
        self._tell_held_slices()
        merged = MergeResult.joined(self._preloaded)  # its sets are made if someone reads them
        self._preloaded = []
        self._preload_told_at = time.monotonic()
        snapshot = self.backends_snapshot()
        self._tell(ActionsLoaded(merged, FetchPurpose.PRELOAD, snapshot, watched=True))

    def _tell_held_slices(self) -> None:
        """Post the slices held while the main screen was covered, in the order merged.

        Posted together, they are handled in one run of the screen's queue,
        which goes idle (and has the top screen redrawn) once at its end.
        """
        held, self._held_slices = self._held_slices, []
        for merged in held:
            self._tell(PreloadMerged(merged))

    @on(FetchFailed)
    @_while_running
    def report_fetch_failure(self, message: FetchFailed) -> None:
        """A deeper page, search or preload failed: say so; the list keeps what it has."""
        self._tell(RowsFailed(message.backend, message.reason, message.purpose))

    # -- failures, commands, help --------------------------------------------------------------

    @on(Worker.StateChanged)
    def report_worker_failure(self, event: Worker.StateChanged) -> None:
        """A worker died of a bug: say so, and keep polling alive."""
        worker = event.worker
        if event.state is not WorkerState.ERROR:
            return
        detail = f"{type(worker.error).__name__}: {display_text(worker.error)}"
        self.notify(
            f"Internal error while {worker.description}: {detail}", severity="error", markup=False
        )
        if worker.group == "poller":
            self.set_timer(self.config.refresh.busy_interval, self._poll)
        elif worker.group == "more":
            self._tell(LoadingStopped())

    def set_filter(self, text: str) -> None:
        """Show the actions matching ``text`` (a command or a test may call it)."""
        self._tell(FilterRequested(text))

    def use_theme(self, name: str) -> None:
        """Switch to the theme called ``name`` and remember it for the next run."""
        self.theme = name
        try:
            remember_theme(name)
        except OSError as error:
            reason = display_text(error.strerror or error)
            self.notify(f"Theme not remembered: {reason}", severity="warning", markup=False)

    def action_copy(self, kind: str) -> None:
        """Copy something of the selected action: its ref (``y``), its JSON (``Y``), or
        the command that shows it (the palette's "copy as command")."""
        from tui.console.clipboard import deliver
        from tui.console.copying import KINDS, payload

        action = self.store.get(self._detail_ref) if self._detail_ref else None
        if action is None or kind not in KINDS:
            self.notify("No action selected.", severity="warning", markup=False)
            return
        settings = next((b for b in self.config.backends if b.name == action.backend), None)
        got = payload(kind, action, settings)
        if isinstance(got, str):
            self.notify(got, severity="warning", markup=False)
            return
        done = deliver(
            self,
            got.text,
            got.what,
            mode=self.config.ui.clipboard,
            directory=platformdirs.user_data_path("actiondeck"),
            writer=getattr(self, "_driver", None),  # Textual's own copy writes through it too
        )
        self.notify(done.message, severity=done.severity, markup=False)

    def action_show_help(self) -> None:
        """Show every key binding."""
        from tui.console.screens.help import open_help

        open_help(self)


def _count_backends(loaded: Counter[str], refs: Sequence[str]) -> None:
    """Count ``refs`` in ``loaded``, by their backend.

    A preload's slice comes from one backend: when every ref has the first
    one's backend, they are counted in one step (the check runs in C), not
    one Python step a ref.
    """
    if not refs:
        return
    backend = split_ref(refs[0])[0]
    if all(map(str.startswith, refs, repeat(f"{backend}:"))):
        loaded[backend] += len(refs)
    else:
        loaded.update(split_ref(ref)[0] for ref in refs)


def run_app(
    config: Config,
    *,
    simulator: Simulator | Endpoints | None = None,
    theme: str | None = None,
    preload: bool = False,
    banner: str | None = None,
    started: Callable[[], object] | None = None,
) -> int:
    """Run the console until the user quits; the process exit code.

    ``started`` is called once the first rows are drawn (see :class:`ActionDeckApp`).

    Raises:
        ConfigError: a backend's secret cannot be resolved (before the screen changes).
    """
    app = ActionDeckApp(
        config, simulator=simulator, theme=theme, preload=preload, banner=banner, started=started
    )
    app.run()
    return app.return_code or 0
