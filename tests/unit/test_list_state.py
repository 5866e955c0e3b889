"""The list state: paging, a selection that follows its action, filters and loading."""

from __future__ import annotations

import dataclasses

import pytest

from tui.list_state import ListState, WantedPage, page_count
from tui.search import parse_filter


def _refs(*numbers: int) -> list[str]:
    return [f"sw:{n}" for n in numbers]


def _selecting(ref: str, refs: list[str], size: int) -> ListState:
    """A state whose cursor the user moved onto ``ref`` (not the first row)."""
    position = refs.index(ref)
    page = ListState().showing(position // size, refs, size, follow=False)
    return page.moved_to(ref, position % size)


def test_the_state_is_an_immutable_value() -> None:
    state = ListState()
    moved = state.moved_to("sw:1", 3)
    assert (state.selected, state.row) == (None, 0)
    assert (moved.selected, moved.row) == ("sw:1", 3)
    assert moved == ListState().moved_to("sw:1", 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        moved.page = 2  # type: ignore[misc]


def test_page_count_has_at_least_one_page() -> None:
    assert [page_count(n, 10) for n in (0, 1, 10, 11, 25)] == [1, 1, 1, 2, 3]


def test_the_first_refresh_selects_the_first_row() -> None:
    state = ListState().refreshed(_refs(9, 8, 7), 2)
    assert (state.page, state.row, state.selected) == (0, 0, "sw:9")


def test_selection_survives_a_reorder_and_follows_its_action_to_another_page() -> None:
    refs = _refs(*range(20, 0, -1))
    state = _selecting("sw:15", refs, 4)
    assert (state.page, state.row) == (1, 1)
    newer = _refs(30, 29, 28, 27, 26) + refs  # five newer actions push it down a page
    after = state.refreshed(newer, 4)
    assert (after.selected, after.page, after.row) == ("sw:15", 2, 2)
    assert newer[after.page * 4 + after.row] == "sw:15"


def test_selection_survives_a_reorder_within_its_page() -> None:
    state = _selecting("sw:3", _refs(5, 4, 3, 2, 1), 10)
    after = state.refreshed(_refs(3, 5, 4, 2, 1), 10)
    assert (after.selected, after.row) == ("sw:3", 0)


def test_a_removed_selection_keeps_the_cursor_row_on_the_same_page() -> None:
    refs = _refs(*range(10, 0, -1))
    state = _selecting("sw:4", refs, 4)
    assert (state.page, state.row) == (1, 2)
    shrunk = [ref for ref in refs if ref != "sw:4"]
    after = state.refreshed(shrunk, 4)
    assert (after.page, after.row, after.selected) == (1, 2, "sw:3")


def test_a_cursor_on_the_first_row_stays_there_and_selects_the_newest() -> None:
    state = ListState().refreshed(_refs(3, 2, 1), 10)
    after = state.refreshed(_refs(4, 3, 2, 1), 10)
    assert (after.row, after.selected) == (0, "sw:4")


def test_page_clamps_when_the_list_shrinks_under_it() -> None:
    refs = _refs(*range(30, 0, -1))
    state = ListState().opening(2, "last", refs, 10)
    assert (state.page, state.row, state.selected) == (2, 9, "sw:1")
    after = state.moved_to(None, 9).refreshed(refs[:12], 10)  # selection gone, two pages left
    assert (after.page, after.row, after.selected) == (1, 1, "sw:19")
    assert ListState().refreshed([], 10) == ListState()


def test_a_filter_goes_back_to_the_first_page_and_keeps_a_selection_it_still_shows() -> None:
    refs = _refs(*range(10, 0, -1))
    state = _selecting("sw:5", refs, 3).waiting_for(4, "first")
    kept = state.filtered(parse_filter("sw:5"), ["sw:5"])
    assert (kept.page, kept.row, kept.wanted) == (0, state.row, None)
    assert kept.refreshed(["sw:5"], 3).selected == "sw:5"
    dropped = state.filtered(parse_filter("nothing"), [])
    assert (dropped.page, dropped.row) == (0, 0)
    assert dropped.refreshed([], 3).selected is None


def test_a_filter_that_shrinks_the_list_clamps_the_page() -> None:
    refs = _refs(*range(40, 0, -1))
    state = ListState().opening(3, "same", refs, 10)
    assert state.page == 3
    smaller = refs[:15]
    after = state.filtered(parse_filter("sw"), smaller).showing(3, smaller, 10, follow=False)
    assert (after.page, after.selected) == (1, smaller[10])


def test_opening_puts_the_cursor_on_the_first_last_or_same_row() -> None:
    refs = _refs(*range(25, 0, -1))
    start = ListState().opening(0, "first", refs, 10).moved_to(refs[4], 4)
    assert start.opening(1, "first", refs, 10).row == 0
    assert start.opening(1, "same", refs, 10).row == 4
    last = start.opening(2, "last", refs, 10)
    assert (last.page, last.row, last.selected) == (2, 4, "sw:1")
    assert start.opening(2, "same", refs, 10).row == 4
    assert last.moved_to(refs[24], 4).opening(2, "same", refs[:21], 10).row == 0


def test_page_targets_may_point_past_the_loaded_rows() -> None:
    state = ListState().opening(1, "first", _refs(*range(25, 0, -1)), 10)
    assert [state.target(t, 25, 10) for t in ("first", "last", "previous", "next")] == [0, 2, 0, 2]
    assert ListState().target("previous", 0, 10) == -1
    assert ListState().opening(2, "first", _refs(*range(25, 0, -1)), 10).target("next", 25, 10) == 3


def test_loading_flags_are_set_and_cleared_together() -> None:
    state = ListState().waiting_for(3, "last").loading_from(["seeweb", "redis"])
    assert state.wanted == WantedPage(3, "last") and state.loading == ("seeweb", "redis")
    ended = state.load_ended()
    assert ended.wanted is None and ended.loading == ()


def test_the_server_query_is_the_single_resource_term() -> None:
    assert ListState().server_query is None
    assert ListState().filtered(parse_filter("web-1"), []).server_query == "web-1"
    assert ListState().filtered(parse_filter("web-1 web-2"), []).server_query is None
