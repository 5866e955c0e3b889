"""Paging and searching the action list: pager text, keys, deeper pages, server-side search."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.message import Message

from tests.helpers.app import AppFactory, Settle
from tui.config import UiConfig
from tui.console.app import ActionDeckApp
from tui.console.messages import ActionsFetched, FetchPurpose, MoreRequested, ServerSearchRequested
from tui.console.widgets.backend_bar import BackendBar
from tui.console.widgets.pager import Pager
from tui.console.widgets.search_box import SearchBox
from tui.model import Status
from tui.search import ActionFilter, parse_filter

SIZE = (120, 36)


def pager_text(app: ActionDeckApp) -> str:
    """What the pager line says."""
    return app.main_screen.query_one(Pager).plain


def shown(app: ActionDeckApp) -> list[Any]:
    """The actions on the visible page, top to bottom."""
    return [app.store.get(ref) for ref in app.main_screen.table.refs]


def server_total(app: ActionDeckApp) -> int:
    """How many actions the backends say they have."""
    return sum(max(app.loaded[name], h.total or 0) for name, h in app.health.items())


def fetched(messages: list[Message], purpose: FetchPurpose) -> list[ActionsFetched]:
    """Each fetched window of one purpose, once."""
    unique = {id(m): m for m in messages if isinstance(m, ActionsFetched)}
    return [m for m in unique.values() if m.purpose is purpose]


async def test_pages_follow_the_terminal_height_and_flip_with_brackets_and_pgup_pgdn(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        suffix = f" of {server_total(app):,} ({len(app.store):,} loaded)"
        assert pager_text(app) == "1–30" + suffix
        first_page = screen.table.refs

        await pilot.press("right_square_bracket")
        assert pager_text(app) == "31–60" + suffix
        assert screen.table.refs == app.store.refs()[30:60]
        await pilot.press("pagedown")
        assert pager_text(app) == "61–90" + suffix
        await pilot.press("pageup", "left_square_bracket")
        assert pager_text(app) == "1–30" + suffix
        assert screen.table.refs == first_page
        await pilot.press("left_square_bracket")  # nothing before the first page
        assert pager_text(app) == "1–30" + suffix


async def test_moving_past_the_edge_of_a_page_flips_it(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app(ui=UiConfig(page_size=4))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        refs = app.store.refs()
        await pilot.press("j", "j", "j")
        assert screen.selected_ref == refs[3] and pager_text(app).startswith("1–4 of ")
        await pilot.press("j")  # past the bottom: the top of the next page
        assert screen.selected_ref == refs[4] and pager_text(app).startswith("5–8 of ")
        await pilot.press("k")  # past the top: the bottom of the previous page
        assert screen.selected_ref == refs[3] and pager_text(app).startswith("1–4 of ")
        await pilot.press("j", "j", "right_square_bracket")  # the cursor keeps its row
        assert screen.selected_ref == refs[9] and pager_text(app).startswith("9–12 of ")


async def test_configured_page_size_wins_over_the_terminal_height(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app(ui=UiConfig(page_size=20))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert pager_text(app).startswith("1–20 of ")
        await pilot.press("right_square_bracket")
        assert pager_text(app).startswith("21–40 of ")
        assert len(app.main_screen.table.refs) == 20


async def test_paging_past_the_loaded_rows_fetches_deeper_seeweb_pages(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app(ui=UiConfig(page_size=50))
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        loaded_before = set(app.store.refs())
        seeweb_before = app.loaded["seeweb"]
        await pilot.press("G")  # the last loaded page: deeper rows are fetched ahead
        await settle(app, pilot)
        requests = {id(m): m.missing for m in messages if isinstance(m, MoreRequested)}
        assert list(requests.values()) == [70]  # 230 loaded, and 300 fill the page after
        [window] = fetched(messages, FetchPurpose.PAGE)
        assert window.backend == "seeweb" and window.actions
        assert app.loaded["seeweb"] > seeweb_before
        assert len(app.store) == len(loaded_before) + (app.loaded["seeweb"] - seeweb_before)
        assert app.main_screen.selected_ref == app.store.refs()[-1]  # still the oldest loaded

        index = app.main_screen.page_index
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert app.main_screen.page_index == index + 1
        start = (index + 1) * 50 + 1
        assert pager_text(app).startswith(f"{start}–{start + 49} of {server_total(app):,} (")
        assert any(ref not in loaded_before for ref in app.main_screen.table.refs)


async def test_slash_focuses_search_the_list_filters_as_you_type_and_esc_leaves(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        search = screen.query_one(SearchBox)
        await pilot.press("slash")
        assert app.focused is search

        await pilot.press(*"status:f")
        assert {a.status for a in shown(app)} == {Status.FAILED}
        count = len(app.store.refs(parse_filter("status:failed")))
        more = ", more on the server"  # the servers hold actions not loaded yet
        assert pager_text(app) == f"1–{min(count, 30)} of ≥ {count}{more}  ·  filtered"
        await pilot.press("escape")
        assert app.focused is screen.table and search.value == "status:f"

        search.value = "status:failed backend:redis"
        await pilot.pause()
        assert {(a.status, a.backend) for a in shown(app)} == {(Status.FAILED, "redis")}
        search.value = "type:console user:foo"
        await pilot.pause()
        assert shown(app) and all(
            a.name == "console" and a.user == "foo" and a.backend == "seeweb" for a in shown(app)
        )
        search.value = "nosuchthing"
        await pilot.pause()
        assert shown(app) == [] and pager_text(app) == "no matching actions"
        search.value = "colour:blue"
        await pilot.pause()
        assert "unknown key colour:" in pager_text(app)
        search.value = ""
        await pilot.pause()
        assert pager_text(app).startswith("1–30 of ")


async def test_focus_moves_at_once_so_a_burst_of_keys_lands_where_it_was_typed(
    make_app: AppFactory, settle: Settle
) -> None:
    """Esc then ``/`` in one burst (type-ahead over SSH): the search box keeps the focus.

    A deferred focus move back to the list used to land after the ``/``, so the
    query's letters ran list commands (``p`` paused polling).
    """
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        search = screen.query_one(SearchBox)
        for leave in (screen.action_focus_list, screen.leave_search):
            screen.action_focus_search()
            leave()  # Esc: back to the list ...
            screen.action_focus_search()  # ... and "/" before anything else runs
            await pilot.pause()
            assert app.focused is search, leave.__name__
        await pilot.press(*"op")
        assert search.value.endswith("op") and not app.main_screen.query_one(BackendBar).paused


async def test_free_text_matches_resource_and_also_searches_seeweb_on_the_server(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        resource = "ec200285"  # the documented busy server: many actions, most not loaded
        known = len(app.store.refs(ActionFilter(resources=(resource,))))

        await pilot.press("slash", *resource)
        assert all(a.resource == resource for a in shown(app))
        await settle(app, pilot)

        requests = [m.query for m in messages if isinstance(m, ServerSearchRequested)]
        assert requests[-1] == resource and len(set(requests)) == len(resource)
        [answer] = [m for m in fetched(messages, FetchPurpose.SEARCH) if m.query == resource]
        assert answer.backend == "seeweb" and {a.resource for a in answer.actions} == {resource}
        found = len(app.store.refs(ActionFilter(resources=(resource,))))
        assert found > known and found >= len(answer.actions)
        assert pager_text(app).startswith(f"1–{min(found, 30)} of ≥ {found}, more on the server")
        assert all(a.resource == resource for a in shown(app))


async def test_a_search_answer_for_an_older_query_is_dropped(
    make_app: AppFactory, settle: Settle
) -> None:
    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"ec2")
        stale_action = app.store.get(app.store.refs()[0])
        assert stale_action is not None
        late = replace(stale_action, ref="seeweb:424242", id="424242")
        app.post_message(ActionsFetched("seeweb", [late], FetchPurpose.SEARCH, query="ec"))
        current = replace(late, ref="seeweb:434343", id="434343")
        app.post_message(ActionsFetched("seeweb", [current], FetchPurpose.SEARCH, query="ec2"))
        await pilot.pause()
        assert "seeweb:424242" not in app.store
        assert "seeweb:434343" in app.store


async def test_preload_pages_through_every_backend_without_delaying_the_first_paint(
    make_app: AppFactory, settle: Settle
) -> None:
    messages: list[Message] = []
    app: ActionDeckApp = make_app(preload=True)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(app, pilot)
        windows = fetched(messages, FetchPurpose.PRELOAD)
        assert {m.backend for m in windows} == set(app.backend_names)
        assert app.loaded["seeweb"] == app.health["seeweb"].total == 754
        assert pager_text(app) == f"1–30 of {len(app.store):,}"  # nothing left on a server


async def test_what_the_preload_loaded_is_left_out_of_collections_until_the_app_ends(
    make_app: AppFactory, settle: Settle
) -> None:
    """A full collection over a loaded store cost a key hundreds of milliseconds."""
    import gc

    app: ActionDeckApp = make_app(preload=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        while app.workers and any(w.group == "preload" for w in app.workers):
            await pilot.pause(0.05)
        assert len(app.store) > 700
        assert gc.get_freeze_count() > len(app.store)  # the actions and what they hold
    assert gc.get_freeze_count() == 0  # the app's objects are collected as any others again


async def test_each_preload_window_is_left_out_of_collections_once_merged(
    make_app: AppFactory, settle: Settle
) -> None:
    """While a preload grows the store, full collections would walk all of it again and again."""
    import gc

    app: ActionDeckApp = make_app(preload=True)
    frozen_at_merge: list[tuple[int, int]] = []
    merged = app.fetcher.merged

    def record(backend: str) -> None:
        frozen_at_merge.append((gc.get_freeze_count(), len(app.store)))
        merged(backend)

    app.fetcher.merged = record  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        while app.workers and any(w.group == "preload" for w in app.workers):
            await pilot.pause(0.05)
    assert len(frozen_at_merge) >= 2
    assert all(frozen > held for frozen, held in frozen_at_merge), frozen_at_merge
    assert gc.get_freeze_count() == 0


async def test_a_filtered_view_of_a_big_store_is_left_out_of_collections(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A million-action view walked by each young collection cost a key 50-140 ms."""
    import gc

    from tui.console import collector

    app: ActionDeckApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(collector, "FREEZE_ABOVE", len(app.store))  # this store is "big"
        await pilot.press("slash", *"ec2")
        await pilot.pause()
        view = app.store.refs(parse_filter("ec2"))
        assert 0 < len(view) < len(app.store)
        assert shown(app) and all("ec2" in (a.resource or "") for a in shown(app))
        assert not any(each is view._refs for each in gc.get_objects())
        assert gc.isenabled()
        monkeypatch.setattr(collector, "FREEZE_ABOVE", len(app.store) + 1)  # small again
        await pilot.press("0")
        await pilot.pause()
        walked = app.store.refs(parse_filter("ec20"))._refs
        assert any(each is walked for each in gc.get_objects())
    assert gc.get_freeze_count() == 0
