"""Pure helpers of the main screen: the watch list and what the bar and pager should say.

No widgets and no I/O here: these functions turn the store's page, the
backends' health and the loaded counts into the small view values the
widgets take (:class:`~tui.console.widgets.backend_bar.SegmentView`,
:class:`~tui.console.widgets.pager.PagerView`), so the rules can be tested without
running the app.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tui.backends.base import Traffic
from tui.console.clipboard import ClipboardMode
from tui.console.widgets.backend_bar import SegmentState, SegmentView
from tui.console.widgets.pager import PagerView
from tui.format import age_text
from tui.model import Action, Status
from tui.poller import BackendHealth, HealthState
from tui.search import FILTER_KEYS, FLAGS, ActionFilter
from tui.store import Page
from tui.text import display_text


@dataclass(frozen=True)
class ViewSettings:
    """What the screen takes from the config."""

    stale_after: float = 60.0
    """Seconds without a good poll after which a backend's data is shown as stale."""
    page_size: int = 0
    """Rows per page; 0 follows the height of the list."""
    bell: bool = False
    """Ring the terminal bell when a watched action ends."""
    last_look: datetime | None = None
    """When the previous run ended: ``is:new`` keeps the actions that ended after it."""
    clipboard: ClipboardMode = "osc52"
    """``ui.clipboard``: copy through the terminal (OSC 52), or save copies to files."""


class WatchList:
    """The actions the user watches, with the status each had when last seen."""

    def __init__(self) -> None:
        self._last: dict[str, Status] = {}

    def __contains__(self, ref: object) -> bool:
        return ref in self._last

    def __len__(self) -> int:
        return len(self._last)

    @property
    def refs(self) -> Collection[str]:
        """The watched refs."""
        return self._last.keys()

    def toggle(self, action: Action) -> bool:
        """Watch ``action``, or stop watching it; True when it is now watched."""
        if action.ref in self._last:
            del self._last[action.ref]
            return False
        self._last[action.ref] = action.status
        return True

    def settled(self, actions: Iterable[Action]) -> list[Action]:
        """The watched actions that have just become final (each reported once)."""
        done = []
        for action in actions:
            before = self._last.get(action.ref)
            if before is None:
                continue
            self._last[action.ref] = action.status
            if action.status.is_final and not before.is_final:
                done.append(action)
        return done


def traffic_text(traffic: Traffic | None) -> str | None:
    """``requests: 5 in the last minute, 1,022 in all; last took 41 ms`` (None: not counted)."""
    if traffic is None:
        return None
    text = f"requests: {traffic.last_minute:,} in the last minute, {traffic.total:,} in all"
    if traffic.last_latency is not None:
        text += f"; last took {traffic.last_latency * 1000:,.0f} ms"
    return text


FRESH = 60.0
"""Seconds during which a healthy backend's data is fresh: its segment says no age."""


def data_age(health: BackendHealth, now: datetime) -> str:
    """How old the last good data is, coarsened so that a healthy bar stays still.

    Nothing while the backend is healthy and its data fresh (under a minute:
    no ``now`` ↔ ``1s ago`` flip every second); else :func:`age_text`, which
    moves every second below a minute (only after a failure), then every minute.
    """
    if health.last_ok is None:
        return ""
    fresh = (now - health.last_ok).total_seconds() < FRESH
    if health.state is HealthState.OK and fresh:
        return ""
    return age_text(health.last_ok, now)


def segment_view(health: BackendHealth, now: datetime, stale_after: float) -> SegmentView:
    """What one backend's segment of the bar says (its tooltip adds the request counts)."""
    view = _segment_view(health, now, stale_after)
    traffic = traffic_text(health.traffic)
    return replace(view, traffic=traffic) if traffic else view


def _segment_view(health: BackendHealth, now: datetime, stale_after: float) -> SegmentView:
    age = data_age(health, now)
    if health.state is HealthState.CONNECTING:
        return SegmentView(health.name, "connecting")
    stale = health.last_ok is not None and health.is_stale(now, stale_after)
    if health.state is HealthState.ERROR:
        state: SegmentState = "stale" if stale else "error"
        return SegmentView(
            health.name,
            state,
            age,
            health.in_flight,
            health.last_error,
            health.unreadable,
            summary=health.last_detail,
        )
    return SegmentView(
        health.name, "stale" if stale else "ok", age, health.in_flight, unreadable=health.unreadable
    )


def health_views(
    health: Mapping[str, BackendHealth], now: datetime, stale_after: float
) -> list[SegmentView]:
    """One segment view per backend, in config order."""
    return [segment_view(entry, now, stale_after) for entry in health.values()]


def doubtful_backends(views: Iterable[SegmentView]) -> frozenset[str]:
    """Backends whose rows may be out of date (their last poll failed, or it is old)."""
    return frozenset(view.name for view in views if view.state in ("error", "stale"))


def _pages_whole_list(action_filter: ActionFilter) -> bool:
    """True when the view is the whole list (or whole backends), so server totals apply."""
    return replace(action_filter, backends=(), unknown_keys=(), unknown_flags=()).is_empty


def more_on_server(
    action_filter: ActionFilter,
    loaded: Mapping[str, int],
    health: Mapping[str, BackendHealth],
) -> list[str]:
    """Backends that report more actions than are loaded, when the view pages the whole list."""
    if not _pages_whole_list(action_filter):
        return []
    wanted = action_filter.backends
    return [
        name
        for name, entry in health.items()
        if entry.total is not None
        and entry.total > loaded.get(name, 0)
        and (not wanted or any(part in name.lower() for part in wanted))
    ]


def pager_view(
    page: Page,
    action_filter: ActionFilter,
    loaded: Mapping[str, int],
    health: Mapping[str, BackendHealth],
    loading: str | None = None,
) -> PagerView:
    """What the pager line says for this page."""
    total, shown_loaded = page.total, None
    more = bool(more_on_server(ActionFilter(), loaded, health))
    if action_filter.is_empty:
        server_total = sum(
            max(loaded.get(name, 0), entry.total or 0) for name, entry in health.items()
        )
        if server_total > page.total:
            total, shown_loaded = server_total, page.total
    return PagerView(
        first=page.first,
        last=page.last,
        total=total,
        loaded=shown_loaded,
        filtered=not action_filter.is_empty,
        loading=loading,
        hint=search_hint(action_filter),
        more_on_server=more,
        end=not more and page.total > 0 and page.index == page.count - 1,
    )


def loading_text(backends: Sequence[str]) -> str | None:
    """What the pager says while deeper rows are asked of ``backends`` (None: nothing is)."""
    if not backends:
        return None
    return f"loading more from {', '.join(display_text(name) for name in backends)}…"


def search_hint(action_filter: ActionFilter) -> str | None:
    """A hint when the search names keys (or ``is:`` marks) the language does not know."""
    if action_filter.unknown_keys:
        unknown = ", ".join(f"{key}:" for key in action_filter.unknown_keys)
        known = " ".join(f"{key}:" for key in FILTER_KEYS)
        return f"unknown key {unknown} (searched as text; keys: {known})"
    if action_filter.unknown_flags:
        unknown = ", ".join(f"is:{flag}" for flag in action_filter.unknown_flags)
        known = " ".join(f"is:{flag}" for flag in FLAGS)
        return f"unknown {unknown} (searched as text; marks: {known})"
    return None
