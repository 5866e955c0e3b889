"""The ``:`` jump bar and the pager's word on history not loaded yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import Input

from tests.helpers.app import AppFactory, Settle, Until
from tui.console.screens.jump import Jump, JumpBar, JumpError, land, parse_jump
from tui.console.widgets.pager import Pager, PagerView

SIZE = (120, 36)


def test_parse_jump() -> None:
    assert parse_jump(":oldest") == Jump("oldest")
    assert parse_jump("newest") == Jump("newest")
    assert parse_jump(":page 12") == Jump("page", page=11)
    day_end = datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_jump(":date 2026-11-30") == Jump("date", before=day_end)
    assert parse_jump(":ref seeweb:42") == Jump("ref", ref="seeweb:42")
    for bad, expected in [
        (":page 0", "page number"),
        (":page x", "page number"),
        (":date 30/11/2026", "YYYY-MM-DD"),
        (":warp 9", "unknown jump"),
        (":", "type a jump"),
        (":ref", "unknown jump"),
    ]:
        with pytest.raises(JumpError, match=expected):
            parse_jump(bad)


def test_land() -> None:
    base = datetime(2026, 11, 30, 12, tzinfo=UTC)
    times = {f"b:{i}": base - timedelta(hours=6 * i) for i in range(10)}  # newest first
    refs = list(times)
    at = times.__getitem__
    assert land(Jump("page", page=2), refs, 3, time_of=at, more=False).page == 2
    assert land(Jump("page", page=9), refs, 3, time_of=at, more=True).load
    short = land(Jump("page", page=9), refs, 3, time_of=at, more=False)
    assert short.page == 3 and short.missing == "there are only 4 pages"
    oldest = land(Jump("oldest"), refs, 3, time_of=at, more=False)
    assert (oldest.page, oldest.last_row) == (3, True)
    assert land(Jump("oldest"), refs, 3, time_of=at, more=True).load
    nov29 = parse_jump(":date 2026-11-29")
    assert land(nov29, refs, 3, time_of=at, more=False).ref == "b:3"  # b:2 is 11-30 00:00
    old = land(parse_jump(":date 2020-01-01"), refs, 3, time_of=at, more=False)
    assert old.missing is not None and "end of history" in old.missing
    assert land(parse_jump(":date 2020-01-01"), refs, 3, time_of=at, more=True).load


def test_pager_says_when_a_filtered_view_is_a_floor_and_marks_the_end() -> None:
    view = PagerView(1, 20, 56, filtered=True, more_on_server=True)
    assert view.text() == "1–20 of ≥ 56, more on the server  ·  filtered"
    assert PagerView(41, 45, 45, end=True).text() == "41–45 of 45  ·  end of history"


async def jump(pilot: object, text: str) -> None:
    await pilot.press("colon")  # type: ignore[attr-defined]
    await pilot.press(*text, "enter")  # type: ignore[attr-defined]


async def test_page_and_oldest_load_deeper_history_from_the_servers(
    make_app: AppFactory, settle: Settle, until: Until
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        await pilot.press("colon")
        assert isinstance(app.screen, JumpBar)
        await pilot.press(*"warp", "enter")
        assert isinstance(app.screen, JumpBar)  # a bad jump stays, and says why
        assert "unknown jump" in str(app.screen.query_one("#jump-hint").render())
        await pilot.press("escape")
        assert app.screen is screen

        loaded = len(app.store)
        deep = loaded // screen.page_size() + 3  # past what is loaded
        await jump(pilot, f"page {deep}")
        await until(pilot, lambda: screen.page_index == deep - 1)
        assert len(app.store) > loaded

        await jump(pilot, "oldest")
        await until(pilot, lambda: "end of history" in screen.query_one(Pager).plain)
        await settle(app, pilot)
        total = sum(h.total or 0 for h in app.backends_snapshot().health.values())
        assert len(app.store) >= total
        assert screen.selected_ref == app.store.refs()[-1]

        await jump(pilot, "newest")
        assert screen.selected_ref == app.store.refs()[0]


async def test_date_and_ref_jumps(make_app: AppFactory, settle: Settle, until: Until) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        newest = app.store.get(app.store.refs()[0])
        assert newest is not None
        day = (newest.sort_time - timedelta(days=1)).date()
        await jump(pilot, f"date {day.isoformat()}")
        await until(pilot, lambda: screen.selected_ref != app.store.refs()[0])
        chosen = app.store.get(screen.selected_ref or "")
        assert chosen is not None and chosen.sort_time.date() <= day
        refs = list(app.store.refs())
        before = refs[refs.index(chosen.ref) - 1]
        assert app.store.get(before).sort_time.date() > day  # type: ignore[union-attr]

        target = refs[7]
        await jump(pilot, f"ref {target}")
        assert screen.selected_ref == target
        seeweb = next(ref for ref in refs[10:] if ref.startswith("seeweb:"))
        await jump(pilot, f"ref {seeweb.split(':', 1)[1]}")  # an id alone
        assert screen.selected_ref == seeweb


async def test_a_filtered_view_says_the_server_holds_more(
    make_app: AppFactory, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.main_screen.query_one(Input).value = "status:failed"
        await pilot.pause()
        text = app.main_screen.query_one(Pager).plain
        assert " of ≥ " in text and "more on the server" in text


async def test_help_lists_the_new_keys_the_jump_bar_and_the_search_language(
    make_app: AppFactory, settle: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        listed = app.screen.plain  # type: ignore[attr-defined]
        for expected in ("  n ", "Notifications", "  : ", "Jump", ":date 2026-11-30"):
            assert expected in listed, expected
        assert "Search language" in listed and "is:stuck" in listed and "status:failed" in listed
