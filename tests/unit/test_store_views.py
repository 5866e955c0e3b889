"""Property: every view the store keeps equals filtering and sorting everything from scratch.

Whatever the order of merges (new actions, changed times and statuses, large
and small batches) and keystrokes (narrowing, widening, switching filters),
``refs``, ``position`` and ``page`` answer as the plain computation would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from tui import search_index
from tui import store as store_module
from tui.model import Action, Status
from tui.search import parse_filter, search_text
from tui.store import ActionStore, RefView

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
QUERIES = [
    "",
    "ec1",
    "ec12",
    "ec",
    "e",
    "status:failed",
    "ec1 status:running",
    "status:running ec1 resize",
    "resize",
    "x",
]

actions = st.builds(
    lambda n, t, status, resource, name: Action(
        ref=f"sw:{n}",
        backend="sw",
        backend_type="seeweb",
        id=str(n),
        name=name,
        status=status,
        resource=resource,
        created_at=T0 + timedelta(seconds=t),
    ),
    st.integers(0, 80),
    st.integers(0, 40),
    st.sampled_from(list(Status)),
    st.sampled_from(["ec1", "ec12", "ec123", "db2", None]),
    st.sampled_from(["create_server", "resize"]),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("merge"), st.lists(actions, max_size=70)),
        st.tuples(st.just("query"), st.sampled_from(QUERIES)),
    ),
    max_size=25,
)


def _expected(known: dict[str, Action], query: str) -> list[str]:
    action_filter = parse_filter(query)
    ordered = sorted(known.values(), key=lambda a: (-a.sort_time.timestamp(), a.ref))
    return [a.ref for a in ordered if action_filter.matches(a)]


@settings(max_examples=150, deadline=None)
@given(steps)
def test_kept_views_equal_the_from_scratch_filter_and_sort(
    script: list[tuple[str, object]],
) -> None:
    _run(script)


@settings(max_examples=60, deadline=None)
@given(steps, st.sampled_from([0, 10**9]))
def test_the_same_whether_a_new_view_scans_the_store_or_narrows_the_last(
    script: list[tuple[str, object]], scan_above: int
) -> None:
    """``SCAN_ABOVE`` 0: every new view narrows a kept one; a billion: every one scans."""
    with patch.object(store_module, "SCAN_ABOVE", scan_above):
        _run(script)


def _run(script: list[tuple[str, object]]) -> None:
    store = ActionStore()
    known: dict[str, Action] = {}
    for kind, argument in script:
        if kind == "merge":
            batch: list[Action] = argument  # type: ignore[assignment]
            store.merge(batch)
            known.update((a.ref, a) for a in batch)
        query: str = argument if kind == "query" else "ec1"  # type: ignore[assignment]
        expected = _expected(known, query)
        view = store.refs(parse_filter(query))
        assert list(view) == expected
        for at, ref in enumerate(expected):
            assert store.position(ref, parse_filter(query)) == at
        assert store.position("sw:999", parse_filter(query)) is None
        page = store.page(1, 7, parse_filter(query))
        assert [a.ref for a in page.actions] == expected[7:14] or page.index == 0
    for query in QUERIES:  # every view kept so far still holds
        assert list(store.refs(parse_filter(query))) == _expected(known, query)


TYPED = ["e", "ec", "ec1", "ec12", "ec123", "status:running e", "status:running ec1"]
typing = st.lists(
    st.one_of(
        st.tuples(st.just("merge"), st.lists(actions, max_size=40)),
        st.tuples(st.just("key"), st.integers(1, len(TYPED))),
        st.tuples(st.just("release"), st.just(0)),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(typing, st.sampled_from([2, 10**9]), st.sampled_from([0, 10**9]), st.sampled_from([1, 2]))
def test_polls_between_narrowing_keys_leave_every_view_and_the_kept_scan_as_from_scratch(
    script: list[tuple[str, object]], scan_above: int, one_by_one: int, keep_below: int
) -> None:
    """Merges (new, changed, moved, leaving a filter) between keys that narrow a search.

    After each step every kept view equals the plain filter and sort, and the
    view that keeps its scan holds, position for position, the search text of
    each of its refs. ``one_by_one`` 0: every edit rebuilds the lists it
    touches in one pass; a billion: every edit moves refs in one by one.
    ``keep_below`` 1: every scanned view keeps its texts; 2: only those
    holding at most half the store.
    """
    store = ActionStore()
    known: dict[str, Action] = {}
    typed = 0
    with (
        patch.object(store_module, "SCAN_ABOVE", scan_above),
        patch.object(search_index, "EDIT_ONE_BY_ONE", one_by_one),
        patch.object(store_module, "KEEP_TEXTS_BELOW", keep_below),
    ):
        for kind, argument in script:
            if kind == "merge":
                batch: list[Action] = argument  # type: ignore[assignment]
                store.merge(batch)
                known.update((a.ref, a) for a in batch)
            elif kind == "release":
                store.release()
            else:
                typed = argument  # type: ignore[assignment]
                query = TYPED[typed - 1]
                assert list(store.refs(parse_filter(query))) == _expected(known, query), query
            for action_filter, view in store._views.items():
                assert list(view) == [
                    ref for ref in _expected(known, "") if action_filter.matches(known[ref])
                ]
                if view._texts is not None:
                    assert view._texts == [search_text(known[ref]) for ref in view]
            assert sum(view._texts is not None for view in store._views.values()) <= 1


def _seeweb(n: int, resource: str) -> Action:
    return Action(
        ref=f"sw:{n}",
        backend="sw",
        backend_type="seeweb",
        id=str(n),
        name="resize",
        status=Status.RUNNING,
        resource=resource,
        created_at=T0 + timedelta(seconds=n),
    )


@patch.object(store_module, "KEEP_TEXTS_BELOW", 1)
def test_what_a_new_view_replaces_waits_for_release() -> None:
    """The kept scan a narrower key takes over, and a view pushed out, are freed by release."""
    store = ActionStore()
    store.merge([_seeweb(n, f"ec{n % 3}") for n in range(30)])
    store.refs(parse_filter("e"))
    before = store.refs(parse_filter("ec"))._texts
    assert before is not None
    narrower = store.refs(parse_filter("ec1"))
    assert narrower._texts is not None
    assert store._let_go == [before]
    store.release()
    assert store._let_go == []
    for query in ["ec2", "status:running", "resize", "ec0"][: store_module.VIEWS_KEPT]:
        store.refs(parse_filter(query))
    assert [view.live for view in store._let_go if isinstance(view, RefView)] == [False]
    assert list(narrower) == [f"sw:{n}" for n in range(29, -1, -1) if n % 3 == 1]


@patch.object(store_module, "KEEP_TEXTS_BELOW", 1)
def test_a_new_view_frees_what_the_last_one_let_go() -> None:
    """Nobody called release: the next view computed frees it first (one key's lists wait)."""
    store = ActionStore()
    store.merge([_seeweb(n, f"ec{n % 3}" if n % 2 else "db1") for n in range(30)])
    store.refs(parse_filter("e"))
    store.refs(parse_filter("ec"))
    first = list(store._let_go)
    assert len(first) == 1
    store.refs(parse_filter("ec1"))
    assert len(store._let_go) == 1
    assert store._let_go[0] is not first[0]


def test_a_view_over_most_of_the_store_keeps_no_texts_and_the_next_key_scans_the_store() -> None:
    """More than half the store: no texts kept; the key after it keeps them once few remain."""
    store = ActionStore()
    batch = [_seeweb(n, f"ec{n % 3}" if n % 4 else "db1") for n in range(40)]
    store.merge(batch)
    known = {a.ref: a for a in batch}
    wide = store.refs(parse_filter("ec"))
    assert wide._texts is None
    assert list(wide) == _expected(known, "ec")
    narrow = store.refs(parse_filter("ec1"))
    assert list(narrow) == _expected(known, "ec1")
    assert narrow._texts == [search_text(known[ref]) for ref in narrow]
