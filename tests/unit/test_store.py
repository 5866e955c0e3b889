"""The action store: merge, dedupe, order, filter and page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tui.model import Action, Status, action_from_json
from tui.search import parse_filter
from tui.store import ActionStore, MergeResult

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _action(n: int, backend: str = "sw", **fields: object) -> Action:
    data: dict[str, object] = {
        "ref": f"{backend}:{n}",
        "backend": backend,
        "backend_type": "seeweb",
        "id": str(n),
        "name": "create_server",
        "status": Status.COMPLETED,
        "resource": f"ec{n % 7}",
        "created_at": T0 + timedelta(seconds=n),
    }
    data.update(fields)
    return action_from_json(data)


def test_merge_dedupes_and_reports_only_real_changes() -> None:
    store = ActionStore()
    first = store.merge([_action(1), _action(2), _action(1)])
    assert first.added == {"sw:1", "sw:2"} and not first.changed
    version = store.version
    again = store.merge([_action(1), _action(2)])
    assert not again.any and store.version == version
    changed = store.merge([_action(2, status=Status.FAILED)])
    assert changed.changed == {"sw:2"} and store.version == version + 1
    assert store.get("sw:2").status is Status.FAILED  # type: ignore[union-attr]
    assert len(store) == 2


def test_a_merge_lists_what_it_added_and_changed_in_the_order_merged() -> None:
    store = ActionStore()
    first = store.merge([_action(5), _action(2), _action(9), _action(2)])
    assert first.order == ("sw:5", "sw:2", "sw:9"), "each ref once, where first met"
    assert list(first.in_order) == list(first.order)
    again = store.merge([_action(7), _action(5, status=Status.FAILED), _action(2), _action(1)])
    assert again.order == ("sw:7", "sw:5", "sw:1"), "the unchanged sw:2 is not listed"
    assert set(again.order) == again.added | again.changed
    assert not store.merge([_action(7)]).order
    assert list(first.added_in_order) == ["sw:5", "sw:2", "sw:9"]
    assert list(again.added_in_order) == ["sw:7", "sw:1"], "sw:5 changed: not added"


def test_a_merge_result_made_without_an_order_lists_every_ref_it_holds() -> None:
    result = MergeResult(frozenset({"a:1", "a:2"}), frozenset({"a:3"}))
    assert sorted(result.in_order) == ["a:1", "a:2", "a:3"]
    assert sorted(result.added_in_order) == ["a:1", "a:2"]


def test_order_is_newest_first_and_follows_time_changes() -> None:
    store = ActionStore()
    store.merge([_action(n) for n in (3, 1, 2)])
    assert store.refs() == ["sw:3", "sw:2", "sw:1"]
    store.merge([_action(1, created_at=T0 + timedelta(hours=1))])
    assert store.refs() == ["sw:1", "sw:3", "sw:2"]


def test_ties_are_broken_by_ref_so_order_is_stable() -> None:
    store = ActionStore()
    store.merge([_action(1, backend="b", created_at=T0), _action(1, backend="a", created_at=T0)])
    assert store.refs() == ["a:1", "b:1"]


def test_filter_and_page() -> None:
    store = ActionStore()
    store.merge([_action(n) for n in range(100)])
    store.merge([_action(5, status=Status.FAILED)])
    action_filter = parse_filter("ec3")
    matching = store.refs(action_filter)
    assert matching == [f"sw:{n}" for n in range(99, -1, -1) if n % 7 == 3]
    page = store.page(1, 5, action_filter)
    assert [a.ref for a in page.actions] == matching[5:10]
    assert (page.first, page.last, page.total, page.count) == (6, 10, len(matching), 3)
    assert [a.ref for a in store.actions(parse_filter("status:failed"))] == ["sw:5"]


def test_page_index_is_clamped_and_empty_pages_are_sane() -> None:
    store = ActionStore()
    assert store.page(3, 10).actions == []
    assert (store.page(3, 10).first, store.page(3, 10).count) == (0, 1)
    store.merge([_action(n) for n in range(25)])
    last = store.page(99, 10)
    assert last.index == 2 and len(last.actions) == 5 and (last.first, last.last) == (21, 25)


def test_a_filtered_view_is_kept_and_follows_merges() -> None:
    store = ActionStore()
    store.merge([_action(n) for n in range(10)])
    action_filter = parse_filter("ec1")
    assert store.refs(action_filter) is store.refs(action_filter)
    before = store.refs(action_filter)
    store.merge([_action(50), _action(8, resource="ec9")])  # 50 % 7 == 1: it matches
    assert store.refs(action_filter) is before  # updated in place, not recomputed
    assert list(before) == ["sw:50", "sw:1"]


def test_a_view_no_longer_kept_stays_as_it_was() -> None:
    store = ActionStore()
    store.merge([_action(n) for n in range(10)])
    first = store.refs(parse_filter("ec1"))
    for query in ("ec2", "ec3", "ec4", "ec5"):
        store.refs(parse_filter(query))
    assert not first.live
    store.merge([_action(50)])
    assert list(first) == ["sw:8", "sw:1"] and first.index("sw:1") == 1
    assert "sw:50" not in first and "sw:50" in store.refs(parse_filter("ec1"))


def test_position() -> None:
    store = ActionStore()
    store.merge([_action(n) for n in range(3)] + [_action(9, backend="re")])
    assert store.position("sw:1") == 2
    assert store.position("nope") is None
    assert store.refs().index("sw:1") == 2 and "sw:9" not in store.refs(parse_filter("ec1"))


def test_typing_narrows_from_the_previous_view_and_widening_rescans() -> None:
    store = ActionStore()
    store.merge([_action(n, resource=f"ec{n}") for n in range(300)])
    expected = {
        query: [f"sw:{n}" for n in range(299, -1, -1) if query in f"ec{n}"]
        for query in ("ec1", "ec12", "ec1")
    }
    for query in ("ec1", "ec12", "ec1"):
        assert store.refs(parse_filter(query)) == expected[query]
    narrowed = store.refs(parse_filter("ec12"))
    store.merge([_action(1200, resource="ec1200")])  # arrives between two keystrokes
    assert store.refs(parse_filter("ec120"))[0] == "sw:1200"
    assert narrowed[0] == "sw:1200"  # the kept view followed the merge


def test_bulk_merge_orders_like_single_inserts() -> None:
    one_by_one, bulk = ActionStore(), ActionStore()
    actions = [
        _action(n, created_at=T0 + timedelta(seconds=(n * 7919) % 1000)) for n in range(1000)
    ]
    for action in actions:
        one_by_one.merge([action])
    bulk.merge([*actions, replace(actions[0], status=Status.FAILED)])
    assert bulk.refs() == one_by_one.refs()
    assert bulk.get("sw:0").status is Status.FAILED  # type: ignore[union-attr]


def test_a_list_version_without_events_keeps_the_known_events() -> None:
    from tui.model import Event

    store = ActionStore()
    detailed = _action(1, events=(Event(name="compute_reboot_instance", result="Success"),))
    store.merge([detailed])
    listed = _action(1, status=Status.FAILED)  # newer, but from the list: no events
    assert store.merge([listed]).changed == {"sw:1"}
    kept = store.get("sw:1")
    assert kept is not None and kept.status is Status.FAILED and kept.events == detailed.events
    assert not store.merge([listed]).any
    fresh = _action(1, status=Status.FAILED, events=(Event(name="x", result="Error"),))
    store.merge([fresh])
    assert store.get("sw:1").events == fresh.events  # type: ignore[union-attr]


def test_the_order_reads_the_sort_time_whichever_times_an_action_has() -> None:
    """Created, else started, else updated, else the epoch: as ``Action.sort_time`` says."""
    actions = [
        _action(1, created_at=T0 + timedelta(seconds=5)),
        _action(2, created_at=None, started_at=T0 + timedelta(seconds=9)),
        _action(3, created_at=None, updated_at=T0 + timedelta(seconds=7)),
        _action(4, created_at=None),
        _action(5, created_at=T0, started_at=T0 + timedelta(hours=1)),
    ]
    expected = [a.ref for a in sorted(actions, key=lambda a: (-a.sort_time.timestamp(), a.ref))]
    assert expected == ["sw:2", "sw:3", "sw:1", "sw:5", "sw:4"]
    in_one = ActionStore()
    in_one.merge(actions)  # every ref new: merged in one pass
    one_by_one = ActionStore()
    for action in actions:
        one_by_one.merge([action, _action(99)])  # sw:99 known from the second on: the loop
    assert in_one.refs() == expected
    assert [ref for ref in one_by_one.refs() if ref != "sw:99"] == expected


def test_a_batch_of_new_actions_from_any_iterable_merges_like_a_list() -> None:
    from_list, from_generator = ActionStore(), ActionStore()
    actions = [_action(n) for n in (4, 2, 8)]
    merged = from_list.merge(actions)
    assert from_generator.merge(action for action in actions) == merged
    assert merged.order == ("sw:4", "sw:2", "sw:8") and merged.added == {"sw:4", "sw:2", "sw:8"}
    assert from_list.get("sw:2") is actions[1]
    assert from_generator.refs(parse_filter("ec1")) == from_list.refs(parse_filter("ec1"))


def test_a_merge_of_only_new_actions_lists_them_as_added_in_the_order_merged() -> None:
    store = ActionStore()
    merged = store.merge([_action(5), _action(9), _action(2)])
    assert merged == MergeResult(frozenset({"sw:5", "sw:9", "sw:2"}), frozenset(), merged.order)
    assert merged.order == ("sw:5", "sw:9", "sw:2") == tuple(merged.added_in_order)
    assert merged.any and merged.added == {"sw:5", "sw:9", "sw:2"} and not merged.changed
    assert store.refs() == ["sw:9", "sw:5", "sw:2"], "merged out of order: sorted all the same"
    assert not store.merge([]).any


def test_joined_merge_results_read_as_one_merge_of_them_all() -> None:
    """Each ref once where first met; added by one part and changed by a later one: added."""
    parts = [
        MergeResult(frozenset({"a:1", "a:2"}), frozenset(), ("a:1", "a:2")),
        MergeResult.of_new(("a:3",)),
        MergeResult(frozenset({"a:4"}), frozenset({"a:1", "a:0"}), ("a:4", "a:1", "a:0")),
        MergeResult(frozenset(), frozenset()),
    ]
    joined = MergeResult.joined(parts)
    assert joined.any
    assert joined.order == ("a:1", "a:2", "a:3", "a:4", "a:0")
    assert joined.added == {"a:1", "a:2", "a:3", "a:4"}
    assert joined.changed == {"a:0"}
    assert list(joined.added_in_order) == ["a:1", "a:2", "a:3", "a:4"]
    nothing = MergeResult.joined([MergeResult(frozenset(), frozenset())])
    assert not nothing.any and not nothing.order and not nothing.added
    assert not MergeResult.joined([]).any
