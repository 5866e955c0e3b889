"""The detail pane: every field of one action, its backend-specific story, and its raw JSON.

The screen sets :attr:`DetailPane.action` (attributes down); the pane shows
the fields, then per backend the Seeweb created → started → finished
timeline, the Nova events with retries grouped, or the Redis state machine
with its per-shard pending operations; ``v`` swaps in the raw JSON. When the
user asks for a traceback (``t``, or Enter on an event) it posts
:class:`DetailPane.TracebackRequested` (messages up) and the screen decides
what to open. Ages are measured with the injected ``now`` so renders are
deterministic. The pane never fetches anything and never talks to backends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tui.backends import capabilities_of
from tui.backends.spec import DetailKind
from tui.console.widgets.content_view import ContentView, LineRepaintView, SameContent
from tui.console.widgets.event_groups import oldest_first
from tui.console.widgets.event_timeline import EventTimeline
from tui.console.widgets.fields import FieldList, identity_fields, times_fields
from tui.console.widgets.formatting import (
    MUTED,
    STALE_ICON,
    layout_prefix,
    literal,
    status_label,
)
from tui.console.widgets.lifecycle import lifecycle_content
from tui.console.widgets.pending_ops import PendingOpsView
from tui.console.widgets.raw_json import RawJsonView
from tui.console.widgets.vim_scroll import VimScroll
from tui.model import Action, Event
from tui.text import display_text

GONE_TEXT = "forgotten by the cluster (last known state)"
"""How an action the server no longer knows is marked."""

NARROW_WIDTH = 108
"""Below this many columns the fields stack in one column."""

TITLE_CHARS = 200
"""The title shows at most this much of the action's name and of its target."""

_SECTION_TITLES = {
    "events": "Events, oldest first  ·  t / Enter: traceback",
    "lifecycle": "Timeline",
    "pending": "State machine and pending operations",
}
_RAW_TITLE = "Raw JSON, as sent by the server  ·  v: back"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def title_content(action: Action) -> Content:
    """``✖ failed  resize  on web-1``."""
    name = layout_prefix(literal(action.name, "bold"), TITLE_CHARS)
    parts = [status_label(action.status), Content("  "), name]
    target = action.resource or action.object_name
    if target:
        parts += [Content.styled("  on ", MUTED), layout_prefix(literal(target), TITLE_CHARS)]
    return Content.assemble(*parts)


def section_kind(action: Action) -> str:
    """Which backend-specific section to show: ``events``, ``pending`` or ``lifecycle``."""
    kind = capabilities_of(action.backend_type).detail
    if kind is DetailKind.LIFECYCLE and action.events:
        return DetailKind.EVENTS.value
    return kind.value


def first_traceback_event(action: Action) -> Event | None:
    """The event whose traceback ``t`` opens when no event is selected.

    The oldest failed event with a traceback, else the oldest event with one.
    """
    with_traceback = [event for event in oldest_first(action.events) if event.traceback]
    failed = [event for event in with_traceback if event.failed]
    return next(iter(failed or with_traceback), None)


def _has_traceback(action: Action) -> bool:
    """Whether ``t`` has a traceback to open (as :func:`first_traceback_event`, without
    ordering the events: the first one with a traceback answers)."""
    return any(event.traceback for event in action.events)


class DetailPane(Widget):
    """Everything about one action; set :attr:`action` (or call :meth:`set_action`).

    Keys: ``v`` raw JSON on/off; ``t`` traceback of the event under the cursor
    (else of the oldest failed one). In the events list ↑↓ / j k move over
    attempts and Enter opens the traceback of the one under the cursor.
    """

    DEFAULT_CSS = (Path(__file__).parent / "detail_pane.tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("v", "toggle_raw", "Raw JSON"),
        Binding("t", "traceback", "Traceback"),
    ]

    action: reactive[Action | None] = reactive(None, init=False, repaint=False)
    """The action shown; ``None`` shows a placeholder.

    A new value repaints only the parts whose content changed (each part
    compares what it shows), never the whole pane: the fetched detail that
    follows the list's version of an action mostly shows the same.
    """

    show_raw: reactive[bool] = reactive(False, init=False)
    """Show the raw JSON instead of the structured view."""

    class TracebackRequested(Message):
        """The user asked to see an event's traceback."""

        def __init__(
            self, action_ref: str, event_name: str, traceback: str, event: Event | None = None
        ) -> None:
            """Create the request.

            Args:
                action_ref: the action's ``BACKEND:ID``.
                event_name: the event the traceback belongs to.
                traceback: the traceback text, as the server sent it.
                event: the attempt the traceback was recorded on, when known.
            """
            super().__init__()
            self.action_ref = action_ref
            """The action's ``BACKEND:ID``."""
            self.event_name = event_name
            """The event the traceback belongs to."""
            self.traceback = traceback
            """The traceback, as the server sent it (not yet neutralised)."""
            self.event = event
            """The attempt (its result, host, details), when known."""

    def __init__(
        self,
        action: Action | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        age_refresh: float | None = 5.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the pane.

        Args:
            action: the action to show first, if any.
            now: tells the current time (inject a fixed one for deterministic
                renders); default: the wall clock, in UTC.
            age_refresh: seconds between refreshes of ages and running durations;
                ``None`` never refreshes them on a timer.
            name: the widget name.
            id: the widget id.
            classes: CSS classes.
        """
        if action is None:  # styled empty from the start: no restyle when it mounts empty
            classes = f"{classes} -empty" if classes else "-empty"
        super().__init__(name=name, id=id, classes=classes)
        self._now = now or _utc_now
        self._age_refresh = age_refresh
        self._ready = False
        self._traceback_of: tuple[Action, Event | None] | None = None
        self._offered: tuple[bool, bool] | None = None
        """(no action, a traceback to open) as the bindings last saw it."""
        self.set_reactive(DetailPane.action, action)

    def compose(self) -> ComposeResult:
        """The placeholder, title, fields, backend sections and raw view."""
        yield Static(Content("No action selected."), id="detail-empty")
        yield ContentView(id="detail-title")
        yield Static(Content.styled(f"{STALE_ICON} {GONE_TEXT}", "bold"), id="detail-gone")
        yield Static(Content(""), id="detail-stuck")
        with VerticalScroll(id="detail-summary", can_focus=False):
            yield FieldList(id="detail-identity")
            yield FieldList(id="detail-times")
        yield ContentView(id="detail-section", classes="detail-section-title")
        yield EventTimeline(id="detail-events")
        with VimScroll(id="detail-other"):
            yield LineRepaintView(id="detail-lifecycle")
        yield PendingOpsView(id="detail-pending")
        yield RawJsonView(id="detail-raw-scroll")

    def on_mount(self) -> None:
        """Render the initial action and start the age clock."""
        self._ready = True
        self._render_action(None, self.action)
        if self._age_refresh:
            self.set_interval(self._age_refresh, self.refresh_ages)

    def focus_body(self) -> None:
        """Focus the part the keys act on: the events, the section, or the raw JSON."""
        if self.show_raw:
            target = "#detail-raw-scroll"
        elif self.has_class("-events"):
            target = "#detail-events"
        elif self.has_class("-pending"):
            target = "#detail-pending"
        else:
            target = "#detail-other"
        self.screen.set_focus(self.query_one(target))  # at once, not behind typed keys

    def set_action(self, action: Action | None) -> None:
        """Show ``action`` (same as assigning :attr:`action`)."""
        self.action = action

    def show_stuck(self, reason: str | None) -> None:
        """Say why the action looks stuck (``None``: it does not); the text is made safe."""
        self.set_class(reason is not None, "-stuck", update=False)
        self._show_parts()
        if reason is not None:
            self.query_one("#detail-stuck", Static).update(Content("⚠ ") + literal(reason))

    def watch_action(self, old: Action | None, new: Action | None) -> None:
        """Re-render when the screen gives a different (or changed) action."""
        self._render_action(old, new)

    def watch_show_raw(self) -> None:
        """Swap between the structured view and the raw JSON (focus follows)."""
        self.set_class(self.show_raw, "-raw", update=False)
        self._render_action(self.action, self.action)
        if self.has_focus_within:
            self.call_after_refresh(self._refocus_body)

    def _refocus_body(self) -> None:
        """After ``v``, focus the body now shown, unless keys typed since took focus away.

        The swap needs a refresh before the new body can take focus; by then
        keys typed in the same burst (``v Esc /status:failed``) may have moved
        focus to the list or the search box, and taking it back would send the
        rest of what was typed to the wrong widget.
        """
        focused = self.screen.focused
        if focused is None or self in focused.ancestors_with_self:
            self.focus_body()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer ``v`` only with an action, ``t`` only when it has a traceback."""
        if action == "toggle_raw":
            return self.action is not None
        if action == "traceback":
            return self.action is not None and _has_traceback(self.action)
        return True

    def _first_traceback(self, action: Action) -> Event | None:
        """:func:`first_traceback_event`, worked out once per action (``t`` pressed again)."""
        if self._traceback_of is None or self._traceback_of[0] is not action:
            self._traceback_of = (action, first_traceback_event(action))
        return self._traceback_of[1]

    def refresh_ages(self) -> None:
        """Re-measure ages and running durations against ``now`` (repaints only changes).

        Only the parts that measure time are redone: the times, and the
        backend section (which redoes only its running rows).
        """
        action = self.action
        if action is None or not self._ready or self.show_raw:
            return
        now = self._now()
        self.query_one("#detail-times", FieldList).show(times_fields(action, now))
        self._render_section(section_kind(action), action, now, same=True)

    def on_resize(self, event: Resize) -> None:
        """Stack the fields in one column when the pane is narrow.

        Set on the summary's own styles, not as a class of the pane: a class
        restyled the pane and its 13 parts (3-5 ms of CPU, headless at
        160x45) at the first resize of nearly every start, before the first
        frame; the summary's grid is all that changes.
        """
        columns = 1 if event.size.width < NARROW_WIDTH else 2
        styles = self.query_one("#detail-summary").styles
        if styles.grid_size_columns != columns:
            styles.grid_size_columns = columns
            styles.grid_columns = " ".join(["1fr"] * columns)

    def _render_action(self, old: Action | None, action: Action | None) -> None:
        if not self._ready:
            return
        offered = action is not None and _has_traceback(action)
        if (action is None, offered) != self._offered:  # the footer is rebuilt: only on a change
            self._offered = (action is None, offered)
            self.refresh_bindings()
        self._set_classes(action)
        if action is None:
            return
        now = self._now()
        kind = section_kind(action)
        self._static("#detail-title", title_content(action))
        section_title = _RAW_TITLE if self.show_raw else _SECTION_TITLES[kind]
        self._static("#detail-section", Content(section_title))
        if self.show_raw:
            self.query_one(RawJsonView).show_payload(action.raw)
            return
        self.query_one("#detail-identity", FieldList).show(identity_fields(action))
        self.query_one("#detail-times", FieldList).show(times_fields(action, now))
        self._render_section(kind, action, now, same=old is not None and old.ref == action.ref)

    def _set_classes(self, action: Action | None) -> None:
        """The classes that say which parts show, and those parts shown or hidden."""
        self.set_class(action is None, "-empty", update=False)
        if action is not None:
            kind = section_kind(action)
            for name in _SECTION_TITLES:
                self.set_class(kind == name, f"-{name}", update=False)
            self.set_class(action.gone, "-gone", update=False)
        self._show_parts()

    def _show_parts(self) -> None:
        """Show or hide each part as the classes say (the only place that does).

        Set on the parts themselves: changing the pane's classes with a restyle
        restyles the pane and every widget in it, about 6 ms at each change of
        section (an empty pane getting an action, a Nova action after a Seeweb
        one). The stylesheet has no display rule that depends on the classes,
        so a later restyle of a part (its focus) changes nothing and lays
        nothing out.
        """
        if not self._ready:
            return
        empty, raw = self.has_class("-empty"), self.has_class("-raw")
        body = not empty and not raw
        shown = {
            "#detail-empty": empty,
            "#detail-title": not empty,
            "#detail-gone": not empty and self.has_class("-gone"),
            "#detail-stuck": not empty and self.has_class("-stuck"),
            "#detail-summary": body,
            "#detail-section": not empty,
            "#detail-events": body and self.has_class("-events"),
            "#detail-other": body and self.has_class("-lifecycle"),
            "#detail-lifecycle": self.has_class("-lifecycle"),
            "#detail-pending": body and self.has_class("-pending"),
            "#detail-raw-scroll": not empty and raw,
        }
        for selector, show in shown.items():
            part = self.query_one(selector)
            if part.display != show:
                part.display = show

    def _render_section(self, kind: str, action: Action, now: datetime, *, same: bool) -> None:
        if kind == "events":
            self.query_one(EventTimeline).show_action(action, now, keep_cursor=same)
        elif kind == "pending":
            self.query_one(PendingOpsView).show_action(action, now)
        else:
            self._static("#detail-lifecycle", lifecycle_content(action, now))

    def _static(self, selector: str, content: Content) -> None:
        self.query_one(selector, ContentView).shown = SameContent(content)

    def action_toggle_raw(self) -> None:
        """Show or hide the raw JSON."""
        self.show_raw = not self.show_raw

    def action_traceback(self) -> None:
        """Ask for the traceback of the event under the cursor, else of the first failed one."""
        action = self.action
        if action is None:
            return
        event = self.query_one(EventTimeline).highlighted_event
        if event is None:
            event = self._first_traceback(action)
        if event is None:
            self.notify("This action has no traceback.", severity="warning", markup=False)
            return
        self._request_traceback(action, event)

    @on(EventTimeline.AttemptSelected, "#detail-events")
    def open_selected_traceback(self, message: EventTimeline.AttemptSelected) -> None:
        """Enter on an event asks for its traceback."""
        message.stop()
        if self.action is not None:
            self._request_traceback(self.action, message.event)

    def _request_traceback(self, action: Action, event: Event) -> None:
        if not event.traceback:
            name = display_text(event.name)
            self.notify(f"No traceback recorded for {name}.", severity="warning", markup=False)
            return
        self.post_message(self.TracebackRequested(action.ref, event.name, event.traceback, event))
