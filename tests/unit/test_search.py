"""The search language: free text and key:value tokens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.model import Action, Status, action_from_json
from tui.search import parse_filter


def _action(**fields: object) -> Action:
    base: dict[str, object] = {
        "ref": "prod:709",
        "backend": "prod",
        "backend_type": "seeweb",
        "id": "709",
        "name": "delete_server",
        "status": Status.COMPLETED,
        "resource": "ec200285",
        "user": "foo",
    }
    base.update(fields)
    return action_from_json(base)


@pytest.mark.parametrize(
    ("query", "matches"),
    [
        ("", True),
        ("ec2002", True),
        ("EC2002", True),
        ("709", True),
        ("delete", True),
        ("ec999", False),
        ("status:completed", True),
        ("status:done", True),
        ("status:failed", False),
        ("status:fail,comp", True),
        ("backend:prod", True),
        ("backend:staging", False),
        ("type:delete", True),
        ("name:create", False),
        ("user:foo", True),
        ("user:bar", False),
        ("resource:ec2002 status:completed backend:prod", True),
        ("resource:ec2002 status:running", False),
    ],
)
def test_filter_matches(query: str, matches: bool) -> None:
    assert parse_filter(query).matches(_action()) is matches


def test_unknown_keys_are_reported_and_searched_as_text() -> None:
    action_filter = parse_filter("colour:red")
    assert action_filter.unknown_keys == ("colour",)
    assert action_filter.text == ("colour:red",)


def test_resource_query_only_for_a_single_term() -> None:
    assert parse_filter("ec200285").resource_query == "ec200285"
    assert parse_filter("resource:ec2 status:failed").resource_query == "ec2"
    assert parse_filter("a b").resource_query is None
    assert parse_filter("status:failed").resource_query is None


def test_quotes_group_words_and_unbalanced_quotes_do_not_raise() -> None:
    assert parse_filter('"web 01"').text == ("web 01",)
    assert parse_filter('"web').text == ('"web',)


@given(st.text())
def test_any_query_parses(query: str) -> None:
    action_filter = parse_filter(query)
    assert isinstance(action_filter.matches(_action()), bool)


def test_is_marks_match_only_what_the_caller_says_the_action_has() -> None:
    action = _action()
    stuck = parse_filter("is:stuck")
    assert stuck.flags == frozenset({"stuck"})
    assert not stuck.is_empty
    assert stuck.matches(action, lambda _action: {"stuck", "watched"})
    assert not stuck.matches(action, lambda _action: {"watched"})
    assert not stuck.matches(action), "without a source of marks, is: keeps nothing"
    both = parse_filter("IS:Stuck is:watched ec2002")
    assert both.flags == frozenset({"stuck", "watched"})
    assert both.matches(action, lambda _action: ("watched", "stuck"))
    assert not both.matches(action, lambda _action: ("stuck",))


def test_an_unknown_mark_is_searched_as_text_and_named() -> None:
    parsed = parse_filter("is:sleepy")
    assert parsed.flags == frozenset()
    assert parsed.unknown_flags == ("sleepy",)
    assert parsed.text == ("is:sleepy",)
    assert parsed.unknown_keys == ()
