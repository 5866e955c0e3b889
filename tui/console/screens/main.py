"""The main screen: backend bar, search box, the paged action list and the detail pane.

The screen owns the view state (filter, page, selected ref, watched actions)
and routes between its widgets: values go down to the table, pager, bar and
detail pane; requests for I/O go up to the app as messages
(:class:`~tui.console.messages.DetailRequested`, :class:`~tui.console.messages.MoreRequested`,
:class:`~tui.console.messages.ServerSearchRequested`). It reads the store, which only
the app writes, and never calls a backend or the poller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.console.messages import DetailRequested, FetchPurpose, MoreRequested, ServerSearchRequested
from tui.console.screens import notices
from tui.console.screens.main_view import (
    ViewSettings,
    WatchList,
    doubtful_backends,
    health_views,
    more_on_server,
    pager_view,
)
from tui.console.screens.traceback import TracebackScreen
from tui.console.widgets.action_table import ActionTable, PageTarget, RowTarget
from tui.console.widgets.backend_bar import BackendBar
from tui.console.widgets.detail_pane import DetailPane
from tui.console.widgets.pager import Pager
from tui.console.widgets.search_box import SearchBox
from tui.poller import BackendHealth
from tui.search import ActionFilter, parse_filter
from tui.store import ActionStore, MergeResult, Page
from tui.text import display_text

NARROW_WIDTH = 100
"""Below this many columns the detail pane goes under the list instead of beside it."""

FALLBACK_PAGE_SIZE = 20
"""Rows per page before the list has been laid out."""


class MainScreen(Screen[None]):
    """The one screen of the console."""

    CSS_PATH = "main.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/", priority=True),
        Binding("w", "toggle_watch", "Watch"),
        Binding("escape", "focus_list", "Back to the list", show=False),
        Binding("pageup", "page('previous')", "Previous page", show=False),
        Binding("pagedown", "page('next')", "Next page", show=False),
        Binding("t", "detail('traceback')", "Traceback", show=False),
        Binding("v", "detail('toggle_raw')", "Raw JSON", show=False),
        Binding("b", "hide_banner", "Hide banner", show=False),
    ]

    def __init__(
        self,
        store: ActionStore,
        health: Mapping[str, BackendHealth],
        loaded: Mapping[str, int],
        *,
        now: Callable[[], datetime],
        settings: ViewSettings | None = None,
        banner: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.health = health
        self.loaded = loaded
        self.settings = settings or ViewSettings()
        self.banner = banner
        self.watch_list = WatchList()
        self.paused = False
        self._now = now
        self._filter = ActionFilter()
        self._server_query: str | None = None
        self._page_index = 0
        self._selected: str | None = None
        self._row = 0
        self._wanted: tuple[int, RowTarget] | None = None
        self._loading: str | None = None
        self._doubtful: frozenset[str] = frozenset()
        self._health_notices = notices.HealthNotices()

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
        return self._selected

    @property
    def page_index(self) -> int:
        """The 0-based page shown."""
        return self._page_index

    def compose(self) -> ComposeResult:
        """Banner, backend bar, search, list + pager beside (or above) the detail, footer."""
        if self.banner:
            with Horizontal(id="banner"):
                yield Static(Text(self.banner, no_wrap=True, overflow="ellipsis"), id="banner-text")
                yield Static(Text("b: hide"), id="banner-hint")
        yield BackendBar(list(self.health), id="backend-bar")
        yield SearchBox(id="search")
        with Horizontal(id="body"):
            with Vertical(id="list"):
                yield ActionTable(id="actions")
                yield Pager(id="pager")
            yield DetailPane(now=self._now, id="detail")
        yield Footer()

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

    # -- what the app tells the screen -------------------------------------------------

    def polled(self, backend: str, merged: MergeResult) -> None:
        """A poll of ``backend`` was folded into the store and its health."""
        self._report_health_change(backend)
        self.show_health()
        self.data_changed(merged, refetch_selected=True)

    def data_changed(self, merged: MergeResult, *, refetch_selected: bool = False) -> None:
        """The store changed: tell watchers, redraw the page, refresh a changed selection."""
        if not merged.any:
            return
        touched = merged.added | merged.changed
        self._announce_settled(touched)
        self.refresh_page()
        if refetch_selected and self._selected in touched:
            self.post_message(DetailRequested(self._selected))

    def more_loaded(self, merged: MergeResult) -> None:
        """Deeper rows arrived: redraw, and open the page that was waiting for them."""
        self._loading = None
        wanted, self._wanted = self._wanted, None
        self.data_changed(merged)
        size = self.page_size()
        if wanted and self.store.page(wanted[0], size, self._filter).index == wanted[0]:
            self._open_page(wanted[0], wanted[1], size)
        elif not merged.any:
            self.refresh_page()

    def detail_loaded(self, ref: str, merged: MergeResult) -> None:
        """The full detail of ``ref`` arrived and was merged into the store."""
        if ref == self._selected:
            self.detail.action = self.store.get(ref)
        self.data_changed(merged)

    def detail_failed(self, ref: str, reason: str, *, gone: bool = False) -> None:
        """The full detail of ``ref`` could not be loaded: show what the list knows."""
        if ref == self._selected:
            self.detail.action = self.store.get(ref)
            if not gone:
                self.notify(notices.detail_failed(reason), severity="warning", markup=False)

    def fetch_failed(self, backend: str, reason: str, purpose: FetchPurpose) -> None:
        """Loading rows failed: stop waiting for them and say so."""
        if purpose is FetchPurpose.PAGE:
            self.stop_loading()
        self.notify(
            notices.fetch_failed(backend, reason, purpose), severity="warning", markup=False
        )

    def stop_loading(self) -> None:
        """Stop waiting for deeper rows (their request failed)."""
        self._loading = self._wanted = None
        self.refresh_page()

    def set_paused(self, paused: bool) -> None:
        """Show whether polling is paused."""
        self.paused = paused
        self.show_health()

    def set_filter(self, text: str) -> None:
        """Put ``text`` in the search box (the list follows as if it had been typed)."""
        self.query_one(SearchBox).value = text

    # -- drawing ---------------------------------------------------------------------------

    def page_size(self) -> int:
        """Rows per page: the config's, else as many as the list can show."""
        if self.settings.page_size > 0:
            return self.settings.page_size
        table = self.table
        height = table.scrollable_content_region.height - table.header_height
        return height if height > 0 else FALLBACK_PAGE_SIZE

    def refresh_page(self) -> None:
        """Redraw the page that holds the selected action.

        A cursor on the very first row stays there, so whoever watches the top
        of the list sees (and selects) the newest action as it arrives.
        """
        size = self.page_size()
        index = self._page_index
        at_top = index == 0 and self._row == 0
        if not at_top and self._selected is not None:
            position = self.store.position(self._selected, self._filter)
            if position is not None:
                index = position // size
        self._show(self.store.page(index, size, self._filter), follow_ref=not at_top)

    def _show(self, page: Page, *, follow_ref: bool = True) -> None:
        self._page_index = page.index
        table = self.table
        with self.app.batch_update():
            table.show_page(page.actions, self._now(), self.watch_list.refs, self._doubtful)
            followed = follow_ref and table.select_ref(self._selected)
            if not followed and table.row_count:
                table.move_cursor(row=min(self._row, table.row_count - 1))
        self._sync_selection()
        view = pager_view(page, self._filter, self.loaded, self.health, self._loading)
        self.query_one(Pager).show(view)

    def show_health(self) -> None:
        """Redraw the backend bar; redraw the page when a backend's data became doubtful."""
        views = health_views(self.health, self._now(), self.settings.stale_after)
        self.query_one(BackendBar).show(views, paused=self.paused)
        doubtful = doubtful_backends(views)
        if doubtful != self._doubtful:
            self._doubtful = doubtful
            if self.is_mounted:
                self.refresh_page()

    def tick(self) -> None:
        """Once a second: running durations, ages and the bar (only changed cells redraw)."""
        self.table.tick(self._now())
        self.show_health()

    def _restyle(self) -> None:
        self.call_after_refresh(self.table.restyle)

    # -- selection and detail ------------------------------------------------------------

    def _sync_selection(self) -> None:
        """Make the selection follow the cursor; show and fetch the detail when it moved."""
        table = self.table
        ref = table.cursor_ref
        self._row = table.cursor_row
        if ref == self._selected:
            return
        self._selected = ref
        self.detail.action = self.store.get(ref) if ref else None
        if ref is not None:
            self.post_message(DetailRequested(ref))

    @on(DataTable.RowHighlighted, "#actions")
    def follow_cursor(self) -> None:
        """The cursor moved (keys or mouse)."""
        self._sync_selection()

    @on(DataTable.RowSelected, "#actions")
    def open_detail(self) -> None:
        """Enter (or a click on the selected row) opens the detail pane."""
        self._sync_selection()
        detail = self.detail
        inside = (widget for widget in self.focus_chain if detail in widget.ancestors_with_self)
        target = next(inside, None)
        if target is not None:
            target.focus()

    async def action_detail(self, name: str) -> None:
        """Run one of the detail pane's actions from the list (``t``, ``v``)."""
        await self.detail.run_action(name)

    @on(DetailPane.TracebackRequested)
    def open_traceback(self, message: DetailPane.TracebackRequested) -> None:
        """Show a traceback full screen."""
        action = self.store.get(message.action_ref)
        subject = notices.describe(action) if action else message.action_ref
        screen = TracebackScreen(
            f"{message.event_name} — {subject}",
            message.traceback,
            event_name=message.event_name,
            action_ref=message.action_ref,
        )
        self.app.push_screen(screen)

    # -- paging ----------------------------------------------------------------------------

    @on(ActionTable.HeightChanged)
    def repage(self) -> None:
        """The list grew or shrank (the detail pane took or gave back room)."""
        self.refresh_page()

    @on(ActionTable.PageRequested)
    def flip_page(self, message: ActionTable.PageRequested) -> None:
        """The table asked for another page."""
        self.go_to(message.page, message.row)

    def action_page(self, page: PageTarget) -> None:
        """Flip pages while the search box has focus."""
        self.go_to(page, "same")

    def go_to(self, target: PageTarget, row: RowTarget) -> None:
        """Open the first/last/previous/next page; past the loaded rows, once they are loaded."""
        size = self.page_size()
        page = self.store.page(self._page_index, size, self._filter)
        last = page.count - 1
        index = {"first": 0, "last": last, "previous": page.index - 1, "next": page.index + 1}
        wanted = index[target]
        if 0 <= wanted <= last:
            self._open_page(wanted, row, size)
        elif wanted > last and more_on_server(self._filter, self.loaded, self.health):
            self._wanted = (wanted, row)
            self._load_more(wanted + 1)
            self.refresh_page()

    def _open_page(self, index: int, row: RowTarget, size: int) -> None:
        page = self.store.page(index, size, self._filter)
        if not page.actions:
            return
        if page.index == page.count - 1:
            self._load_more(page.index + 2)
        count = len(page.actions)
        self._row = {"first": 0, "last": count - 1, "same": min(self._row, count - 1)}[row]
        self._show(page, follow_ref=False)

    def _load_more(self, pages: int) -> None:
        """Ask the app for rows up to ``pages`` pages deep, unless a request is under way.

        Called when the user opens the last loaded page, so the next page is
        there before they reach it.
        """
        names = more_on_server(self._filter, self.loaded, self.health)
        if self._loading is not None or not names:
            return
        self._loading = f"loading more from {', '.join(display_text(name) for name in names)}…"
        missing = pages * self.page_size() - len(self.store.refs(self._filter))
        self.post_message(MoreRequested(missing=max(1, missing)))

    # -- search ----------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def filter_as_you_type(self, message: Input.Changed) -> None:
        """Re-filter the list on every keystroke; ask servers that can search by resource."""
        self._filter = parse_filter(message.value)
        self._page_index, self._wanted = 0, None
        if self._selected and self.store.position(self._selected, self._filter) is None:
            self._row = 0  # the selection is filtered out: start from the top
        self.refresh_page()
        query = self._filter.resource_query
        if query != self._server_query:
            self._server_query = query
            self.post_message(ServerSearchRequested(query))

    @on(SearchBox.Left)
    def leave_search(self) -> None:
        """Esc or Enter in the search box: back to the list."""
        self.table.focus()

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
        """Back to the list (from the detail pane)."""
        self.table.focus()

    # -- watching ----------------------------------------------------------------------------

    def action_toggle_watch(self) -> None:
        """Watch the selected action (or stop watching it)."""
        action = self.store.get(self._selected) if self._selected else None
        if action is not None:
            watching = self.watch_list.toggle(action)
            self.notify(notices.watch_toggled(action, watching), markup=False)
            self.refresh_page()

    def _announce_settled(self, refs: frozenset[str]) -> None:
        watched = [self.store.get(ref) for ref in refs if ref in self.watch_list]
        for action in self.watch_list.settled(a for a in watched if a is not None):
            message, severity = notices.action_settled(action)
            self.notify(message, severity=severity, markup=False)
            if self.settings.bell:
                self.app.bell()

    # -- health, banner ----------------------------------------------------------------------

    def _report_health_change(self, backend: str) -> None:
        entry = self.health.get(backend)
        message = self._health_notices.changed(entry) if entry else None
        if message:
            self.notify(message, severity="warning", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "hide banner" only while there is a banner."""
        if action == "hide_banner":
            return any(not banner.has_class("-hidden") for banner in self.query("#banner"))
        return True

    def action_hide_banner(self) -> None:
        """Hide the first-run banner."""
        for banner in self.query("#banner"):
            banner.add_class("-hidden")
        self.refresh_bindings()
        self.call_after_refresh(self.refresh_page)
