"""The scan's columns: whatever the merges, a scan keeps what the plain filter keeps, in order.

Property tests on random stores (new actions older, newer and in between,
changed statuses, texts and times, small and large batches) and random
queries of the search language (terms, ``key:value`` qualifiers, status
aliases and prefixes, unknown keys, quotes): every new view scans the
store, and must equal filtering and sorting every action from scratch with
:meth:`ActionFilter.matches`. The columns themselves must equal the store's
texts and statuses read in its order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import search_index
from tui import store as store_module
from tui.model import Action, Status
from tui.search import parse_filter, search_text
from tui.search_index import scan_columns
from tui.store import ActionStore

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)

actions = st.builds(
    lambda n, t, status, resource, name, user, backend: Action(
        ref=f"{backend}:{n}",
        backend=backend,
        backend_type="seeweb",
        id=str(n),
        name=name,
        status=status,
        resource=resource,
        user=user,
        created_at=T0 + timedelta(seconds=n // 2 if t is None else t),
    ),
    st.integers(0, 60),
    st.one_of(st.none(), st.none(), st.none(), st.integers(-30, 30)),  # mostly: its own time
    st.sampled_from(list(Status)),
    st.sampled_from(["ec1", "ec12", "ec123", "db2", "EC1-Web", None]),
    st.sampled_from(["create_server", "resize", "delete"]),
    st.sampled_from(["alice", "bob", None]),
    st.sampled_from(["sw", "nova"]),
)
tokens = st.sampled_from(
    [
        "ec",
        "ec1",
        "EC12",
        "1",
        "2",
        "sw:",
        "nova:1",
        "web",
        "resize",
        "x",
        "\x00",
        "status:failed",
        "status:run",
        "status:ok,error",
        "status:c",
        "backend:sw",
        "backend:no",
        "type:resize",
        "name:delete",
        "user:al",
        "resource:ec1",
        "foo:bar",
        '"ec 1"',
        "is:nothing",
    ]
)
queries = st.lists(tokens, max_size=4).map(" ".join)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("merge"), st.lists(actions, max_size=60)),
        st.tuples(st.just("query"), queries),
    ),
    max_size=20,
)


def _expected(known: dict[str, Action], query: str) -> list[str]:
    action_filter = parse_filter(query)
    ordered = sorted(known.values(), key=lambda a: (-a.sort_time.timestamp(), a.ref))
    return [a.ref for a in ordered if action_filter.matches(a)]


def _columns_match(store: ActionStore) -> None:
    order = list(store.refs())
    columns = store._columns
    texts, statuses = columns.read(order, store.refs().position, store._texts, store._actions)
    assert texts == [search_text(store.get(ref)) for ref in order]  # type: ignore[arg-type]
    assert statuses == [store.get(ref).status for ref in order]  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(steps, st.sampled_from([0, search_index.REBUILD_ABOVE]))
def test_a_scan_keeps_what_the_plain_filter_keeps_in_the_lists_order(
    script: list[tuple[str, object]], rebuild_above: int
) -> None:
    """``REBUILD_ABOVE`` 0: changes in place are always caught up, never rebuilt."""
    store = ActionStore()
    known: dict[str, Action] = {}
    with (
        patch.object(store_module, "SCAN_ABOVE", 10**9),  # every new view scans
        patch.object(search_index, "REBUILD_ABOVE", rebuild_above),
    ):
        for kind, argument in script:
            if kind == "merge":
                batch: list[Action] = argument  # type: ignore[assignment]
                store.merge(batch)
                known.update((a.ref, a) for a in batch)
                continue
            query: str = argument  # type: ignore[assignment]
            assert list(store.refs(parse_filter(query))) == _expected(known, query), query
            _columns_match(store)
        _columns_match(store)
        if rebuild_above == 0:  # merges edit the columns: never a read that rebuilds them
            assert store._columns.rebuilds == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(actions, min_size=1, max_size=80), st.lists(queries, min_size=1, max_size=4))
def test_scan_columns_equals_the_filter_of_each_action(
    batch: list[Action], typed: list[str]
) -> None:
    """The bare function: statuses and every term, over columns in any order."""
    order = list(dict.fromkeys(a.ref for a in batch))
    last = {a.ref: a for a in batch}
    texts = [search_text(last[ref]) for ref in order]
    statuses = [last[ref].status for ref in order]
    for query in typed:
        wanted = parse_filter(query)
        kept, kept_texts = scan_columns(order, texts, statuses, wanted.text, wanted.statuses)
        expected = [
            ref
            for ref in order
            if (not wanted.statuses or last[ref].status in wanted.statuses)
            and all(term in search_text(last[ref]) for term in wanted.text)
        ]
        assert kept == expected
        assert kept is not order
        assert kept_texts == [search_text(last[ref]) for ref in kept]
        for up_to in (0, len(expected) - 1, len(expected)):
            bounded, bounded_texts = scan_columns(
                order, texts, statuses, wanted.text, wanted.statuses, up_to
            )
            assert bounded == expected
            if len(expected) > up_to:
                assert bounded_texts is None
            else:
                assert bounded_texts == kept_texts


def _window(first: int, count: int, *, status: Status = Status.RUNNING) -> list[Action]:
    """``count`` actions, each a second older than the one before it."""
    return [
        Action(
            ref=f"sw:{n}",
            backend="sw",
            backend_type="seeweb",
            id=str(n),
            name="resize",
            status=status,
            resource=f"ec{n}",
            created_at=T0 - timedelta(seconds=n),
        )
        for n in range(first, first + count)
    ]


def _edited_not_rebuilt(store: ActionStore) -> None:
    """The columns hold every position of the order already, and a read rebuilds nothing."""
    order = list(store.refs())
    columns = store._columns
    assert len(columns.texts) == len(columns.statuses) == len(order)
    rebuilds = columns.rebuilds
    _columns_match(store)
    assert columns.rebuilds == rebuilds


def test_older_windows_newer_actions_and_changes_in_place_are_caught_up_not_rebuilt() -> None:
    store = ActionStore()
    failed = parse_filter("status:failed")
    with patch.object(store_module, "SCAN_ABOVE", 10**9):
        store.merge(_window(100, 50))
        assert store.refs(failed) == []
        store.merge(_window(150, 50))  # older: the end of the list
        store.merge(_window(50, 50))  # newer: its start
        store.merge([*_window(120, 3, status=Status.FAILED), *_window(20, 5)])
        assert list(store.refs(parse_filter("ec12 status:failed"))) == [
            "sw:120",
            "sw:121",
            "sw:122",
        ]
        _edited_not_rebuilt(store)
        store.merge(_window(130, 2, status=Status.FAILED))  # a new filter scans again
        assert len(store.refs(parse_filter("status:fail"))) == 5
        _edited_not_rebuilt(store)


@pytest.mark.parametrize("count", [2, 100], ids=["few", "many"])
def test_windows_deep_in_the_middle_and_moved_actions_are_edited_in(count: int) -> None:
    """A few refs are moved in one by one, many in one pass: either way nothing is rebuilt."""
    store = ActionStore()
    store.merge(_window(0, 10))
    store.merge(_window(10 + count, 200))
    store.merge(_window(10, count))  # 200 rows after it
    _edited_not_rebuilt(store)
    with patch.object(store_module, "SCAN_ABOVE", 10**9):
        assert list(store.refs(parse_filter("ec1"))) == _expected(
            {a.ref: a for a in store.actions()}, "ec1"
        )
    ahead = [replace(a, created_at=T0 + timedelta(hours=1)) for a in _window(5, count // 2)]
    back = [replace(a, created_at=T0 - timedelta(days=1)) for a in _window(60, count // 2 + 1)]
    store.merge([*ahead, *back])
    _edited_not_rebuilt(store)
    assert set(store.refs()[: len(ahead)]) == {a.ref for a in ahead}
    assert set(store.refs()[-len(back) :]) == {a.ref for a in back}


def _kept_scan(store: ActionStore) -> tuple[list[str], list[str]] | None:
    """The refs of the view that keeps the texts it scanned, and those texts."""
    kept = [v for v in store._views.values() if v._texts is not None]
    assert len(kept) <= 1
    return (list(kept[0]), kept[0]._texts) if kept and kept[0]._texts is not None else None


def test_typing_narrows_the_last_scan_by_its_texts() -> None:
    """``ec1`` → ``ec12`` scans the texts of what ``ec1`` kept, not the store's maps."""
    store = ActionStore()
    store.merge(_window(0, 1000))
    with patch.object(store_module, "SCAN_ABOVE", 10**9):
        store.refs(parse_filter("ec1"))  # 111 of 1,000: the next key would not scan
    kept = _kept_scan(store)
    assert kept is not None and len(kept[0]) == 111
    store._texts.clear()  # a lookup a ref would fail now
    expected = ["sw:12", *(f"sw:{n}" for n in range(120, 130))]
    view = store.refs(parse_filter("ec12"))
    assert list(view) == expected
    assert view._texts == [f"ec{n}\x00{n}\x00resize\x00sw:{n}" for n in [12, *range(120, 130)]]
    assert _kept_scan(store) == (expected, view._texts)


def _known(store: ActionStore, ref: str) -> Action:
    action = store.get(ref)
    assert action is not None
    return action


def _scanned_store() -> ActionStore:
    """1,000 actions and a scan of ``ec1`` done."""
    store = ActionStore()
    store.merge(_window(0, 1000))
    with patch.object(store_module, "SCAN_ABOVE", 10**9):
        store.refs(parse_filter("ec1"))
    assert _kept_scan(store) is not None
    return store


@pytest.mark.parametrize(
    "change",
    [
        {"progress": 50.0, "user": "bob"},  # a detail read: nothing a scan reads
        {"status": Status.FAILED},  # a scan of statuses would keep otherwise
        {"resource": "ec1-db7"},  # the text reads otherwise, and it stays
        {"resource": "db7"},  # the text reads otherwise: it leaves
        {"created_at": T0 + timedelta(hours=1)},  # it moves in the order
        {"created_at": T0 - timedelta(hours=1)},  # it moves to the end
    ],
    ids=["detail", "status", "text", "leaves", "ahead", "back"],
)
def test_a_merge_keeps_the_last_scan_as_a_scan_from_scratch_would_read_it(
    change: dict[str, object],
) -> None:
    """Whatever a merge brings (and new actions beside it), the next key still narrows the scan."""
    store = _scanned_store()
    store.merge([replace(_known(store, "sw:13"), **change), *_window(1000, 20)])  # type: ignore[arg-type]
    kept = _kept_scan(store)
    assert kept is not None
    known = {a.ref: a for a in store.actions()}
    assert kept[0] == _expected(known, "ec1")
    assert kept[1] == [search_text(known[ref]) for ref in kept[0]]
    store._texts.clear()  # the next key reads the kept scan only
    assert list(store.refs(parse_filter("ec13"))) == _expected(known, "ec13")
