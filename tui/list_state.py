"""The state of the paged action list: filter, page, selection and what is being loaded.

A frozen value: every method returns a new state and leaves this one as it
was, so the console can compare the state before and after a change and
react to what differs (a new selection asks for its detail, a new resource
term asks the servers). The selection is an action's ref, not a row number,
so it survives refreshes that reorder or remove rows. The methods take the
refs of the filtered list (newest first, as the store gives them); nothing
here reads the store, calls a backend, or knows about widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from tui.search import ActionFilter

PageTarget = Literal["previous", "next", "first", "last"]
"""Which page the user asked for."""

RowTarget = Literal["first", "last", "same"]
"""Where the cursor goes on the page opened: its first row, its last, or the same row."""


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` rows fill, ``size`` a page (at least 1)."""
    return max(1, -(-total // max(1, size)))


def _position(refs: Sequence[str], ref: str | None) -> int | None:
    """Where ``ref`` is in ``refs`` (one scan), or None."""
    if ref is None:
        return None
    try:
        return refs.index(ref)
    except ValueError:
        return None


@dataclass(frozen=True)
class WantedPage:
    """A page past the loaded rows, to open once the rows arrive."""

    index: int
    row: RowTarget


@dataclass(frozen=True)
class ListState:
    """What the action list shows and where its cursor is."""

    filter: ActionFilter = field(default_factory=ActionFilter)
    """The parsed search."""
    page: int = 0
    """The 0-based page shown."""
    row: int = 0
    """The cursor's row on that page."""
    selected: str | None = None
    """The ref of the selected action (None when the list is empty)."""
    wanted: WantedPage | None = None
    """A page waiting for deeper rows to be loaded."""
    loading: tuple[str, ...] = ()
    """The backends asked for deeper rows; empty when no request is under way."""

    @property
    def at_top(self) -> bool:
        """True when the cursor is on the very first row (it stays there as actions arrive)."""
        return self.page == 0 and self.row == 0

    @property
    def server_query(self) -> str | None:
        """The single resource term a server-side search can use, if any."""
        return self.filter.resource_query

    def refreshed(self, refs: Sequence[str], size: int, *, pinned: bool = False) -> ListState:
        """The list's rows changed: show the page that holds the selection.

        A cursor on the very first row stays there, so whoever watches the top
        of the list sees (and selects) the newest action as it arrives, unless
        the selection is ``pinned`` (a watched action): then it follows the
        action wherever it goes. When the selection is gone, the cursor keeps
        its row on the same page.
        """
        follow = pinned or not self.at_top
        index = self.page
        position = _position(refs, self.selected) if follow else None
        if position is not None:
            index = position // max(1, size)
        return self.showing(index, refs, size, follow=follow)

    def showing(self, index: int, refs: Sequence[str], size: int, *, follow: bool) -> ListState:
        """Show page ``index`` (clamped into range) of ``refs``.

        Args:
            index: the page wanted.
            refs: the filtered list, newest first.
            size: rows per page.
            follow: keep the cursor on the selected action when it is on the page;
                otherwise (or when it is not) keep the cursor's row.
        """
        size = max(1, size)
        index = min(max(0, index), page_count(len(refs), size) - 1)
        window = refs[index * size : (index + 1) * size]
        if follow and self.selected in window:
            row = window.index(self.selected)
        else:
            row = min(self.row, len(window) - 1) if window else 0
        selected = window[row] if window else None
        return replace(self, page=index, row=row, selected=selected)

    def opening(self, index: int, row: RowTarget, refs: Sequence[str], size: int) -> ListState:
        """Open page ``index`` with the cursor on its first row, its last, or the same row."""
        size = max(1, size)
        index = min(max(0, index), page_count(len(refs), size) - 1)
        rows = len(refs[index * size : (index + 1) * size])
        if not rows:
            return self.showing(index, refs, size, follow=False)
        cursor = {"first": 0, "last": rows - 1, "same": min(self.row, rows - 1)}[row]
        return replace(self, row=cursor).showing(index, refs, size, follow=False)

    def selecting(self, ref: str, refs: Sequence[str], size: int) -> ListState:
        """Open the page that holds ``ref`` with the cursor on it (unchanged when absent)."""
        position = _position(refs, ref)
        if position is None:
            return self
        size = max(1, size)
        page, row = divmod(position, size)
        return replace(self, page=page, row=row, selected=ref, wanted=None)

    def target(self, target: PageTarget, total: int, size: int) -> int:
        """The index of the first, last, previous or next page (may be past the last)."""
        last = page_count(total, size) - 1
        current = min(max(0, self.page), last)
        return {"first": 0, "last": last, "previous": current - 1, "next": current + 1}[target]

    def moved_to(self, ref: str | None, row: int) -> ListState:
        """The user moved the cursor onto ``ref`` at ``row``."""
        return replace(self, selected=ref, row=row)

    def filtered(self, action_filter: ActionFilter, refs: Sequence[str]) -> ListState:
        """A new search, with ``refs`` the list it keeps: back to the first page.

        The selection survives when the new list still has it; otherwise the
        cursor starts from the top.
        """
        keeps = _position(refs, self.selected) is not None
        return replace(
            self, filter=action_filter, page=0, row=self.row if keeps else 0, wanted=None
        )

    def waiting_for(self, index: int, row: RowTarget) -> ListState:
        """Remember a page past the loaded rows, to open when they arrive."""
        return replace(self, wanted=WantedPage(index, row))

    def loading_from(self, backends: Sequence[str]) -> ListState:
        """Deeper rows were asked of these backends."""
        return replace(self, loading=tuple(backends))

    def load_ended(self) -> ListState:
        """The deeper rows arrived, or their request failed: stop waiting for them."""
        return replace(self, loading=(), wanted=None)
