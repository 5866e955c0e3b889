"""The main screen: backend bar, search box, the paged action list and the detail pane.

The screen owns the view state: a :class:`~tui.list_state.ListState` (filter,
page, selected ref, deeper rows being loaded) and the watch list. It learns
what changed from the app's messages (:class:`~tui.console.messages.PollFinished`,
:class:`~tui.console.messages.ActionsLoaded`, …), which carry immutable
snapshots of the backends' health, and routes between its widgets: values go
down to the table, pager, bar and detail pane (the pager's and the bar's are
reactive values, redrawn only when they differ); requests for I/O go up to
the app as messages (:class:`~tui.console.messages.DetailRequested`,
:class:`~tui.console.messages.MoreRequested`,
:class:`~tui.console.messages.ServerSearchRequested`). It reads the store,
which only the app writes, and never calls a backend or the poller.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from time import sleep
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.console.collector import outside_collections
from tui.console.messages import (
    ActionsLoaded,
    BackendsSnapshot,
    DetailFailed,
    DetailMerged,
    DetailRequested,
    EndedWhileAway,
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
from tui.console.screens import notices
from tui.console.screens.herald import Desktop, Herald
from tui.console.screens.main_view import (
    ViewSettings,
    doubtful_backends,
    health_views,
    loading_text,
    more_on_server,
    pager_view,
)
from tui.console.screens.marks import Marks
from tui.console.widgets.action_table import ActionTable
from tui.console.widgets.backend_bar import BackendBar, SegmentView
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.key_footer import KeyFooter
from tui.console.widgets.pager import Pager
from tui.console.widgets.search_box import SearchBox
from tui.list_state import ListState, PageTarget, RowTarget, page_count
from tui.model import Action, split_ref
from tui.search import ActionFilter, parse_filter
from tui.store import MergeResult, Page
from tui.text import display_text

if TYPE_CHECKING:
    from tui.console.screens.jump import Jump  # the jump bar loads when first opened

JUMP_STEP = 1000
"""Rows asked of the servers at a time while a jump looks for deeper history."""

NARROW_WIDTH = 100
"""Below this many columns the detail pane goes under the list instead of beside it."""

FALLBACK_PAGE_SIZE = 20
"""Rows per page before the list has been laid out."""

FOLLOW_WAITS = 10
"""Times the detail pane waits for the list to draw a move before it follows anyway."""

FOLLOW_WAIT = 0.01
"""Seconds of one such wait (Textual draws a frame every 1/60 s while the loop is free)."""

BURST_QUIET = 0.005
"""Seconds without a change the search waits for once keys come faster than the box
repaints (a paste, typed by the terminal one key at a time), before it filters."""

BURST_WAITS = 10
"""Times the search waits for a burst of keys to end before it filters anyway."""

ECHO_OUT = 0.001
"""Seconds the screen lets go of the interpreter after the frame that echoes a search
key, before it filters: Textual's output thread writes that frame meanwhile."""

DETAIL_AGE_TICKS = 5
"""Ticks between refreshes of the detail pane's ages, drawn in the same frame as the list's."""


_Handler = TypeVar("_Handler", bound=Callable[..., None])


def _while_app_runs(handler: _Handler) -> _Handler:
    """Skip news from the app once it is shutting down.

    A message posted just before the app stopped may reach the screen while
    its widgets are being taken down; showing it then would query widgets
    that are already gone.
    """

    @functools.wraps(handler)
    def guarded(self: Screen[None], *args: object) -> None:
        if self.app.is_running:
            handler(self, *args)

    return cast(_Handler, guarded)


class ActionReader(Protocol):
    """What the screen reads of the store (the app alone writes it)."""

    def get(self, ref: str) -> Action | None:
        """The action with this ref, if known."""

    def get_all(self, refs: Iterable[str]) -> list[Action]:
        """The known actions of ``refs``, in their order."""

    def refs(self, action_filter: ActionFilter | None = None) -> Sequence[str]:
        """Refs of the matching actions, newest first."""

    def page(self, index: int, size: int, action_filter: ActionFilter | None = None) -> Page:
        """One page of the filtered view."""

    def flags_changed(self) -> None:
        """The ``is:`` marks changed: views filtered on them are redone (not a data change)."""

    def release(self) -> None:
        """Free the views a new filter replaced (not a data change)."""


class MainScreen(Screen[None]):
    """The one screen of the console."""

    CSS_PATH = "main.tcss"

    AUTO_FOCUS = "#actions"
    """The list is focused as the screen is composed. Textual's default focuses the
    first focusable widget, the search box, which the list's focus in
    :meth:`on_mount` then blurred: three restyles of the box and its blur's
    validation before the first frame, for a focus it never showed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/", priority=True),
        Binding("w", "toggle_watch", "Watch"),
        Binding("n", "show_notifications", "Notifications", show=False),
        Binding("colon", "jump_bar", "Jump", key_display=":", show=False),
        Binding("escape", "focus_list", "Back to the list", show=False),
        Binding("pageup", "page('previous')", "Prev page", show=False),
        Binding("pagedown", "page('next')", "Next page", show=False),
        Binding("t", "detail('traceback')", "Traceback", show=False),
        Binding("v", "detail('toggle_raw')", "Raw JSON", show=False),
        Binding("b", "hide_banner", "Hide banner", show=False),
        Binding("y", "app.copy('ref')", "Copy ref", show=False),
        Binding("Y", "app.copy('json')", "Copy JSON", show=False),
    ]

    list_state: var[ListState] = var(ListState, init=False)
    """Filter, page, selection and loading; a new selection shows and fetches its detail."""

    def __init__(
        self,
        store: ActionReader,
        backends: BackendsSnapshot,
        *,
        now: Callable[[], datetime],
        settings: ViewSettings | None = None,
        banner: str | None = None,
        marks: Marks | None = None,
        desktop: Desktop | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.backends = backends
        """The latest snapshot of the backends' health, from the app's messages."""
        self.settings = settings or ViewSettings()
        self.banner = banner
        self._banner_shown = bool(banner)
        """Whether the banner is up (the footer asks on every refresh of the bindings)."""
        self.marks = marks or Marks()
        """Watched and stuck actions (the store's ``flags_of`` reads the same marks)."""
        self.watch_list = self.marks.watch_list
        self._now = now
        self.herald = Herald(now(), self._toast, desktop or (lambda title, body: None))
        """The notifications log, and how loudly each event is told."""
        self._health_notices = notices.HealthNotices()
        self._pending_jump: Jump | None = None
        """A jump waiting for deeper rows from the servers."""
        self._detail_due = False
        """The selection moved and the detail pane has not followed it yet."""
        self._detail_ref: str | None = None
        """The action the detail pane was last given for the selection."""
        self._detail_waits = 0
        """Waits the due detail has made for the list's frame (see :data:`FOLLOW_WAITS`)."""
        self._filter_due = False
        """The search box changed and the list has not been filtered by it yet."""
        self._search_burst = False
        """The box moved past a change before the screen saw it: keys are coming in a burst."""
        self._ticks = 0
        """Ticks of the one-second clock so far."""
        self._page_due = False
        """A poll or a fetched detail changed the store; the next tick redraws the page."""
        self._shown_backends: set[str] = set()
        """Backends whose polls brought rows: their later polls are drawn by the tick."""

    @property
    def table(self) -> ActionTable:
        """The action list."""
        return self.query_one(ActionTable)

    @property
    def detail(self) -> DetailPane:
        """The detail pane."""
        return self.query_one(DetailPane)

    @property
    def selected_ref(self) -> str | None:
        """The ref of the selected action."""
        return self.list_state.selected

    @property
    def page_due(self) -> bool:
        """The store changed (a later poll, a fetched detail): the page waits for the next tick."""
        return self._page_due

    @property
    def page_index(self) -> int:
        """The 0-based page shown."""
        return self.list_state.page

    def compose(self) -> ComposeResult:
        """Banner, backend bar, search, list + pager beside (or above) the detail, footer."""
        if self.banner:
            with Horizontal(id="banner"):
                yield Static(Text(self.banner, no_wrap=True, overflow="ellipsis"), id="banner-text")
                yield Static(Text("b: hide"), id="banner-hint")
        yield BackendBar(list(self.backends.health), id="backend-bar")
        yield SearchBox(id="search")
        with Horizontal(id="body"):
            with Vertical(id="list"):
                yield ActionTable(id="actions")
                yield Pager(id="pager")
            yield DetailPane(now=self._now, age_refresh=None, id="detail")  # see tick()
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show what the store has, focus the list and start the one-second clock."""
        self.table.focus()
        self.show_health()
        self.refresh_page()
        self.set_interval(1.0, self.tick)
        self.watch(self.app, "theme", self._restyle, init=False)

    def on_resize(self) -> None:
        """Stack the detail pane under the list on narrow terminals; re-page after layout."""
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.call_after_refresh(self.refresh_page)

    def watch_list_state(self, old: ListState, new: ListState) -> None:
        """A new selection shows (and fetches) its detail; a new resource term asks servers."""
        if new.selected != old.selected and not self._detail_due:
            self._detail_due = True  # the list paints first; a burst of moves shows one detail
            self.call_after_refresh(self._follow_selection)
        if new.server_query != old.server_query:
            self.post_message(ServerSearchRequested(new.server_query))

    def _follow_selection(self) -> None:
        """Show (and fetch) the detail of the selection, once the list has painted.

        A refresh callback can run before the list's new lines are drawn (the
        list asks the screen for its repaint only once its own queue is
        empty); the detail then waits a moment (a timer, so the list's task
        runs), and the move gets a frame of its own instead of sharing the
        detail's (its render and, when a field comes or goes, a layout pass).
        """
        if self.table.awaiting_paint and self._detail_waits < FOLLOW_WAITS:
            self._detail_waits += 1
            self.set_timer(FOLLOW_WAIT, self._follow_selection)
            return
        self._detail_waits = 0
        self._detail_due = False
        selected = self.list_state.selected
        if selected == self._detail_ref:
            return  # moved away and back within one frame
        self._detail_ref = selected
        self.detail.action = self.store.get(selected) if selected else None
        self._show_stuck_reason()
        self.post_message(DetailRequested(selected))

    # -- what the app tells the screen -------------------------------------------------

    @on(PollFinished)
    @_while_app_runs
    def polled(self, message: PollFinished) -> None:
        """A poll was folded into the store and its backend's health."""
        self.backends = message.backends
        self._report_health_change(message.backend)
        self.show_health()
        later = message.backend in self._shown_backends  # a backend's first rows show at once
        if message.merged.any:
            self._shown_backends.add(message.backend)
        self.data_changed(message.merged, refetch_selected=True, on_tick=later)

    @on(ActionsLoaded)
    @_while_app_runs
    def actions_loaded(self, message: ActionsLoaded) -> None:
        """Deeper rows, a search result or preloaded rows were merged into the store."""
        self.backends = message.backends
        if message.purpose is FetchPurpose.PAGE:
            self.more_loaded(message.merged)
        elif message.watched:
            if message.merged.any:
                self.refresh_page()
        else:
            self.data_changed(message.merged)

    @on(PreloadMerged)
    @_while_app_runs
    def preload_merged(self, message: PreloadMerged) -> None:
        """A slice of a preload window was merged: tell the watchers (the list is redrawn later)."""
        self.watch_merged(message.merged)

    @on(DetailMerged)
    @_while_app_runs
    def detail_loaded(self, message: DetailMerged) -> None:
        """The full detail of an action arrived and was merged into the store."""
        self.backends = message.backends
        if message.ref == self.list_state.selected:
            self.detail.action = self.store.get(message.ref)
        self.data_changed(message.merged, on_tick=True)  # the pane shows it at once

    @on(DetailFailed)
    @_while_app_runs
    def detail_failed(self, message: DetailFailed) -> None:
        """The full detail of an action could not be loaded: show what the list knows."""
        if message.ref == self.list_state.selected:
            self.detail.action = self.store.get(message.ref)
            if not message.gone:
                notice = notices.detail_failed(message.reason)
                self.notify(notice, severity="warning", markup=False)

    @on(RowsFailed)
    @_while_app_runs
    def fetch_failed(self, message: RowsFailed) -> None:
        """Loading rows failed: stop waiting for them and say so."""
        if message.purpose is FetchPurpose.PAGE:
            self.stop_loading()
        notice = notices.fetch_failed(message.backend, message.reason, message.purpose)
        self.notify(notice, severity="warning", markup=False)

    @on(LoadingStopped)
    @_while_app_runs
    def loading_stopped(self) -> None:
        """The request for deeper rows died."""
        self.stop_loading()

    def stop_loading(self) -> None:
        """Stop waiting for deeper rows (their request failed)."""
        self._pending_jump = None
        self.list_state = self.list_state.load_ended()
        self.refresh_page()

    @on(PauseChanged)
    @_while_app_runs
    def show_paused(self, message: PauseChanged) -> None:
        """Show whether polling is paused."""
        self.query_one(BackendBar).paused = message.paused

    @on(EndedWhileAway)
    @_while_app_runs
    def ended_while_away(self, message: EndedWhileAway) -> None:
        """Put what ended since the previous run in the notifications log (``n``)."""
        self.herald.ended_while_away(message.actions)

    @on(FilterRequested)
    @_while_app_runs
    def filter_requested(self, message: FilterRequested) -> None:
        """The app was asked to filter the list."""
        self.set_filter(message.text)

    def set_filter(self, text: str) -> None:
        """Put ``text`` in the search box (the list follows as if it had been typed)."""
        self.query_one(SearchBox).value = text

    def data_changed(
        self, merged: MergeResult, *, refetch_selected: bool = False, on_tick: bool = False
    ) -> None:
        """The store changed: tell watchers, redraw the page, refresh a changed selection.

        ``on_tick``: the changes of a later poll or of a fetched detail to a
        list already shown are drawn by the next tick (within a second), in
        the frame that moves the clocks, instead of in a frame of their own;
        watchers are told at once.
        """
        if not merged.any:
            return
        self.watch_merged(merged)
        if on_tick and self.table.row_count:
            self._page_due = True
        else:
            self.refresh_page()
        selected = self.list_state.selected
        if refetch_selected and selected in merged.added | merged.changed:
            self.post_message(DetailRequested(selected))

    def watch_merged(self, merged: MergeResult) -> None:
        """Tell the watchers what a merge touched: durations, watched actions, failures, stuck."""
        if not merged.any:
            return
        touched = merged.added | merged.changed
        actions = self.store.get_all(merged.in_order)
        now = self._now()
        flags_moved = bool(self.marks.tracker.observe(actions, now))
        self._announce_settled(touched)
        self.herald.failures(actions, now)
        if self._check_stuck(now) or flags_moved:
            self.store.flags_changed()
            self._show_stuck_reason()

    def more_loaded(self, merged: MergeResult) -> None:
        """Deeper rows arrived: redraw, and open the page that was waiting for them."""
        wanted = self.list_state.wanted
        self.list_state = self.list_state.load_ended()
        self.data_changed(merged)
        size = self.page_size()
        action_filter = self.list_state.filter
        if wanted and self.store.page(wanted.index, size, action_filter).index == wanted.index:
            self._open_page(wanted.index, wanted.row, size)
        elif not merged.any:
            self.refresh_page()
        pending, self._pending_jump = self._pending_jump, None
        if pending is not None and merged.added:
            self.jump(pending)
        elif pending is not None:  # nothing new: stop here rather than ask forever
            self.notify("The servers sent no older actions.", severity="warning", markup=False)

    # -- drawing ---------------------------------------------------------------------------

    def page_size(self) -> int:
        """Rows per page: the config's, else as many as the list can show."""
        if self.settings.page_size > 0:
            return self.settings.page_size
        table = self.table
        height = table.scrollable_content_region.height - table.header_height
        return height if height > 0 else FALLBACK_PAGE_SIZE

    def refresh_page(self) -> None:
        """Redraw the page that holds the selected action (what a tick was due to redraw too).

        A cursor on the very first row stays there, so whoever watches the top
        of the list sees (and selects) the newest action as it arrives.
        """
        self._page_due = False
        state, size = self.list_state, self.page_size()
        pinned = state.selected in self.watch_list
        self._show(state.refreshed(self.store.refs(state.filter), size, pinned=pinned), size)

    def _show(self, state: ListState, size: int) -> None:
        """Show the page of ``state`` with its cursor, then make it the list state."""
        page = self.store.page(state.page, size, state.filter)
        now = self._now()
        doubtful = doubtful_backends(self._health_views(now))
        table = self.table
        with self.app.batch_update():
            stuck = self.marks.stuck_labels()
            table.show_page(page.actions, now, self.watch_list.refs, doubtful, stuck)
            if table.row_count:
                table.move_cursor(row=state.row)
        self.list_state = state.moved_to(table.cursor_ref, table.cursor_row)
        loading = loading_text(state.loading)
        view = pager_view(page, state.filter, self.backends.loaded, self.backends.health, loading)
        self.query_one(Pager).view = view

    def show_health(self) -> None:
        """Redraw the backend bar; redraw the page when a backend's data became doubtful."""
        views = self._health_views(self._now())
        self.query_one(BackendBar).show(views)
        if doubtful_backends(views) != self.table.stale_backends and self.is_mounted:
            self.refresh_page()

    def _health_views(self, now: datetime) -> list[SegmentView]:
        return health_views(self.backends.health, now, self.settings.stale_after)

    def tick(self) -> None:
        """Once a second: running durations, ages and the bar (only changed cells redraw).

        What later polls and fetched details changed in the page is drawn
        here too, and every :data:`DETAIL_AGE_TICKS` ticks the detail pane's
        ages: one frame a second for what moves, not one per timer and per
        poll a few milliseconds apart.
        """
        now = self._now()
        due, self._page_due = self._page_due, False
        if self.marks.tracker.is_due(now) and self._check_stuck(now):
            self.store.flags_changed()
            self._show_stuck_reason()
            due = True
        if due:
            self.refresh_page()
        self.table.tick(now)
        self.show_health()
        self._ticks += 1
        if self._ticks % DETAIL_AGE_TICKS == 0:
            self.detail.refresh_ages()

    def _restyle(self) -> None:
        self.call_after_refresh(self.table.restyle)

    # -- selection and detail ------------------------------------------------------------

    def _sync_selection(self) -> None:
        """Make the selection follow the cursor (the detail follows the selection)."""
        table = self.table
        self.list_state = self.list_state.moved_to(table.cursor_ref, table.cursor_row)

    @on(ActionTable.CursorMoved, "#actions")
    def follow_cursor(self) -> None:
        """The cursor moved (keys or mouse)."""
        self._sync_selection()

    @on(ActionTable.RowChosen, "#actions")
    def open_detail(self) -> None:
        """Enter (or a click on the selected row) opens the detail pane."""
        self._sync_selection()
        detail = self.detail
        inside = (widget for widget in self.focus_chain if detail in widget.ancestors_with_self)
        target = next(inside, None)
        if target is not None:
            self.set_focus(target)

    async def action_detail(self, name: str) -> None:
        """Run one of the detail pane's actions from the list (``t``, ``v``)."""
        await self.detail.run_action(name)

    @on(DetailPane.TracebackRequested)
    def open_traceback(self, message: DetailPane.TracebackRequested) -> None:
        """Show a traceback full screen."""
        from tui.console.screens.traceback import open_traceback

        action = self.store.get(message.action_ref)
        subject = notices.describe(action) if action else message.action_ref
        open_traceback(
            self.app,
            f"{message.event_name} — {subject}",
            message.traceback,
            event_name=message.event_name,
            action_ref=message.action_ref,
            action=action,
            event=message.event,
            clipboard=self.settings.clipboard,
        )

    # -- paging ----------------------------------------------------------------------------

    @on(ActionTable.HeightChanged)
    def repage(self) -> None:
        """The list grew or shrank (the detail pane took or gave back room)."""
        self.refresh_page()

    @on(ActionTable.PageRequested)
    def flip_page(self, message: ActionTable.PageRequested) -> None:
        """The table asked for another page."""
        self._pending_jump = None
        self.go_to(message.page, message.row)

    def action_page(self, page: PageTarget) -> None:
        """Flip pages while the search box has focus."""
        self._filter_search()  # of the search typed just before
        self.go_to(page, "same")

    def go_to(self, target: PageTarget, row: RowTarget) -> None:
        """Open the first/last/previous/next page; past the loaded rows, once they are loaded."""
        size, state = self.page_size(), self.list_state
        total = len(self.store.refs(state.filter))
        wanted = state.target(target, total, size)
        last = page_count(total, size) - 1
        if 0 <= wanted <= last:
            self._open_page(wanted, row, size)
        elif wanted > last and self._more_on_server():
            self.list_state = state.waiting_for(wanted, row)
            self._load_more(wanted + 1)
            self.refresh_page()

    def _open_page(self, index: int, row: RowTarget, size: int) -> None:
        page = self.store.page(index, size, self.list_state.filter)
        if not page.actions:
            return
        if page.index == page.count - 1:
            self._load_more(page.index + 2)
        state = self.list_state
        self._show(state.opening(index, row, self.store.refs(state.filter), size), size)

    def _more_on_server(self) -> list[str]:
        """The backends whose servers have more actions than are loaded, for this view."""
        backends = self.backends
        return more_on_server(self.list_state.filter, backends.loaded, backends.health)

    def _load_more(self, pages: int) -> None:
        """Ask the app for rows up to ``pages`` pages deep, unless a request is under way.

        Called when the user opens the last loaded page, so the next page is
        there before they reach it.
        """
        names = self._more_on_server()
        if self.list_state.loading or not names:
            return
        self.list_state = self.list_state.loading_from(names)
        missing = pages * self.page_size() - len(self.store.refs(self.list_state.filter))
        self.post_message(MoreRequested(missing=max(1, missing)))

    # -- the jump bar ------------------------------------------------------------------------

    def action_jump_bar(self) -> None:
        """Open the ``:`` jump bar."""
        from tui.console.screens.jump import JumpBar

        self.app.push_screen(JumpBar(), self.jump)

    def jump(self, jump: Jump | None) -> None:
        """Go where ``jump`` says, loading deeper rows from the servers first when needed."""
        from tui.console.screens.jump import land

        self._pending_jump = None
        if jump is None:
            return
        if jump.kind == "ref":
            self._jump_to_ref(jump.ref)
            return
        size, state = self.page_size(), self.list_state
        refs = self.store.refs(state.filter)
        whole = more_on_server(ActionFilter(), self.backends.loaded, self.backends.health)
        landing = land(jump, refs, size, time_of=self._sort_time, more=bool(whole))
        if landing.load:
            self._pending_jump = jump
            if not state.loading:
                self.list_state = state.loading_from(whole)
                self.post_message(MoreRequested(missing=JUMP_STEP))
            self.refresh_page()
        elif landing.ref is not None:
            self._show(state.selecting(landing.ref, refs, size), size)
        elif landing.page is not None:
            self._open_page(landing.page, "last" if landing.last_row else "first", size)
        if landing.missing:
            self.notify(landing.missing, markup=False)

    def _sort_time(self, ref: str) -> datetime:
        action = self.store.get(ref)
        assert action is not None  # refs come from the store
        return action.sort_time

    def _jump_to_ref(self, wanted: str) -> None:
        """``:ref``: an exact ref, else the one action whose id it is."""
        if self.store.get(wanted) is None:
            found = [ref for ref in self.store.refs() if split_ref(ref)[1] == wanted][:2]
            if len(found) != 1:
                shown = display_text(wanted)
                why = "matches several actions" if found else "is not among the loaded actions"
                self.notify(f"{shown} {why}", severity="warning", markup=False)
                return
            wanted = found[0]
        self.jump_to(wanted)

    # -- search ----------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def filter_as_you_type(self, message: Input.Changed) -> None:
        """Re-filter the list once the box shows the key; ask servers that can search by resource.

        The filter runs after the next frame, so the key is echoed in the
        box first and the list follows in the frame after. Changes that come
        before it runs (keys typed or pasted faster than the screen paints)
        are filtered once, for the box's value then: a pasted
        ``status:failed`` filters once, not once a character. A change the
        box has already moved past is not even scheduled: its own change
        message follows, and a filter of a partial paste (``s`` matches
        nearly everything) would only delay the one that counts; it tells
        that keys are coming in a burst (see :meth:`_filter_once_quiet`).
        """
        if message.value != message.input.value:
            self._search_burst = True
            return
        if not self._filter_due:
            self._filter_due = True
            self.call_after_refresh(self._filter_once_quiet)

    def _filter_once_quiet(self, waited: int = 0, value: str | None = None) -> None:
        """Filter now, unless the keys are coming in a burst: then once it has stopped.

        A terminal types a paste one key at a time, and may hand the app its
        first keys before the rest: filtering those (a full scan for
        ``stat``) would hold back the keys that follow and draw a list that
        is replaced a frame later. While the box keeps changing, the filter
        waits :data:`BURST_QUIET` more (at most :data:`BURST_WAITS` times);
        a key typed on its own is filtered at once.
        """
        now = self.query_one(SearchBox).value
        burst, self._search_burst = self._search_burst, False
        if self._filter_due and (burst or value not in (None, now)) and waited < BURST_WAITS:
            self.set_timer(BURST_QUIET, functools.partial(self._filter_once_quiet, waited + 1, now))
            return
        if self._filter_due:
            self._echo_out()
        self._filter_search()

    @staticmethod
    def _echo_out() -> None:
        """Let Textual's output thread write the frame that echoed the key, before the filter.

        Textual hands each frame to a thread of its own that writes it to the
        terminal, and that thread needs the interpreter's lock. A filter over
        a million actions holds the lock for tens of milliseconds at a time
        (its passes run in C, which lets no other thread in), so the echo,
        drawn on time, reached the terminal only when the filter let go. A
        short sleep lets go of the lock for the thread to write; the list's
        own frame waits for Textual's next tick, later than this, anyway.
        """
        sleep(ECHO_OUT)

    def _filter_search(self) -> None:
        """Filter the list by what the search box holds now, unless that was done already."""
        if not self._filter_due:
            return
        self._filter_due = False
        self._search_burst = False
        query = self.query_one(SearchBox).value
        action_filter = parse_filter(query, last_look=self.settings.last_look)
        self._pending_jump = None
        with outside_collections(len(self.store.refs())):  # big lists, in no cycle
            refs = self.store.refs(action_filter)
        self.list_state = self.list_state.filtered(action_filter, refs)
        self.refresh_page()
        self.call_after_refresh(self._release_views)

    def _release_views(self) -> None:
        """Once the filtered list is drawn: free the views the filter replaced.

        Freeing the lists of a view over a million actions takes tens of
        milliseconds: done after the frame (and after its output thread got
        the interpreter's lock to write it), not before it.
        """
        self._echo_out()
        self.store.release()

    @on(SearchBox.Left)
    def leave_search(self) -> None:
        """Esc or Enter in the search box: back to the list, at once (see ``action_focus_list``)."""
        self._filter_search()  # the keys after it act on the filtered list
        self.set_focus(self.table)

    def action_focus_search(self) -> None:
        """Put the cursor in the search box (in the box, ``/`` is just a character).

        The binding has priority and focus moves at once (``focus()`` would
        defer it), so keys typed in the same burst as ``/`` — a fast typist, a
        pasted query — land in the box instead of in the list.
        """
        search = self.query_one(SearchBox)
        if self.focused is search:  # queue it behind the keys the box has not read yet
            search.post_message(events.Key("slash", "/"))
        else:
            self.set_focus(search)

    def action_focus_list(self) -> None:
        """Back to the list (from the detail pane), at once: ``focus()`` would defer it
        behind keys already typed, and a deferred move can land after a later ``/``."""
        self.set_focus(self.table)

    # -- watching ----------------------------------------------------------------------------

    def action_toggle_watch(self) -> None:
        """Watch the selected action (or stop watching it)."""
        selected = self.list_state.selected
        action = self.store.get(selected) if selected else None
        if action is not None:
            watching = self.watch_list.toggle(action)
            self.notify(notices.watch_toggled(action, watching), markup=False)
            self.store.flags_changed()
            self.refresh_page()

    def _announce_settled(self, refs: frozenset[str]) -> None:
        watched = [self.store.get(ref) for ref in refs.intersection(self.watch_list.refs)]
        now = self._now()
        for action in self.watch_list.settled(a for a in watched if a is not None):
            self.herald.watch_ended(action, now)
            if self.settings.bell:
                self.app.bell()

    def _toast(self, message: str, severity: notices.Severity, timeout: float | None) -> None:
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    # -- stuck actions and the notifications log ---------------------------------------------

    def _check_stuck(self, now: datetime) -> bool:
        """Look at the actions due; tell of the newly stuck ones; True when any were."""
        tracker = self.marks.tracker
        newly = tracker.check(now, self.store.get, self._heard_from)
        if newly:
            self.herald.stuck(newly, lambda ref: tracker.stuck[ref].label, now)
        return bool(newly)

    def _heard_from(self, action: Action) -> datetime | None:
        """When the action's backend last answered a poll."""
        health = self.backends.health.get(action.backend)
        return health.last_ok if health is not None else None

    def _show_stuck_reason(self) -> None:
        selected = self.list_state.selected
        stuck = self.marks.tracker.stuck.get(selected) if selected else None
        self.detail.show_stuck(stuck.reason if stuck else None)

    def action_show_notifications(self) -> None:
        """Open the notifications log (the toasts it lists are put away)."""
        from tui.console.screens.notifications import NotificationsScreen

        self.app.clear_notifications()
        self.app.push_screen(NotificationsScreen(self.herald.log), self.jump_to)

    def jump_to(self, ref: str | None) -> None:
        """Select the action ``ref``, on its page; clear the search when it hides it."""
        if ref is None or self.store.get(ref) is None:
            return
        self._filter_search()  # the search typed just before
        if ref not in self.store.refs(self.list_state.filter):
            search = self.query_one(SearchBox)
            with search.prevent(Input.Changed):
                search.value = ""
            self.list_state = self.list_state.filtered(ActionFilter(), self.store.refs())
        size, state = self.page_size(), self.list_state
        self._show(state.selecting(ref, self.store.refs(state.filter), size), size)
        self.set_focus(self.table)

    # -- health, banner ----------------------------------------------------------------------

    def _report_health_change(self, backend: str) -> None:
        entry = self.backends.health.get(backend)
        message = self._health_notices.changed(entry) if entry else None
        if message:
            self.notify(message, severity="warning", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "hide banner" only while there is a banner."""
        if action == "hide_banner":
            return self._banner_shown  # no query: it walks the whole screen
        return True

    def action_hide_banner(self) -> None:
        """Hide the first-run banner."""
        self._banner_shown = False
        for banner in self.query("#banner"):
            banner.add_class("-hidden")
        self.refresh_bindings()
        self.call_after_refresh(self.refresh_page)
