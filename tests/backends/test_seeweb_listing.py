"""A Seeweb page read straight from its bytes gives what decoding and parsing it gives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.backends.test_seeweb_parse import DOCUMENTED
from tui.backends.seeweb.listing import read_page
from tui.backends.seeweb.wire import parse_or_none, parse_total
from tui.json_body import MAX_DEPTH, loads
from tui.model import Action

ACTION = DOCUMENTED


def decoded(content: bytes) -> tuple[list[Action | None], int | None]:
    """What the page gives decoded under the payload rules and parsed entry by entry."""
    payload = loads(content)
    return [parse_or_none("sw", item) for item in payload["actions"]], parse_total(
        payload.get("total_actions")
    )


def page(*entries: bytes, total: bytes = b"2", extra: bytes = b"") -> bytes:
    return b'{"actions":[' + b",".join(entries) + b'],"total_actions":' + total + extra + b"}"


def entry(**changes: Any) -> bytes:
    return json.dumps({**ACTION, **changes}).encode()


def test_a_documented_page_is_read_from_its_bytes_as_decoding_reads_it() -> None:
    content = page(entry(id=710, status="in-progress"), entry())
    read = read_page("sw", content)
    assert read is not None, "an ordinary page is read from its bytes"
    assert read == decoded(content)
    actions, total = read
    assert total == 2 and [a.ref for a in actions if a] == ["sw:710", "sw:709"]
    first = actions[0]
    assert first is not None and first.raw == {**ACTION, "id": 710, "status": "in-progress"}


def test_the_payload_is_decoded_by_the_rules_when_read() -> None:
    """A number beyond a double in a field the list does not read: ``null`` once read."""
    content = page(entry()[:-1] + b', "far": 1e400, "deep": {"a": [1, {"b": null}]}}')
    read = read_page("sw", content)
    assert read is not None and read == decoded(content)
    action = read[0][0]
    assert action is not None
    assert action.raw["far"] is None and action.raw["deep"] == {"a": [1, {"b": None}]}
    assert action.raw is not action.raw, "each read is a fresh copy"


@pytest.mark.parametrize(
    "content",
    [
        page(entry()[:-1] + b', "x": "\xff"}'),  # not UTF-8, in a field the list skips
        page(entry()[:-1] + b', "x": "\\udc00"}'),  # a lone surrogate
        page(entry(progress=float("nan"))),  # NaN: not JSON, read by the rules as null
        page(entry()[:-1] + b', "x": Infinity}'),
        page(entry()).replace(b'"progress": 100', b'"progress": 1e400'),
        page(entry(), b'"not an object"'),
        page(entry(), b"[1, 2]"),
        page(entry(), extra=b',"x":' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH),
        page(entry()[:-1] + b', "x":' + b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2) + b"}"),
        b"\xef\xbb\xbf" + page(entry()),  # a byte-order mark
        page(entry(id=int("9" * 400))),  # an integer beyond a double
        b'{"actions": {"a": 1}}',
        b'{"total_actions": 3}',
        b"[]",
        b"<html>busy</html>",
    ],
)
def test_what_it_cannot_vouch_for_is_left_to_decoding(content: bytes) -> None:
    assert read_page("sw", content) is None


def test_a_page_just_within_the_depth_is_read_from_its_bytes() -> None:
    nested = b"[" * (MAX_DEPTH - 3) + b"]" * (MAX_DEPTH - 3)
    content = page(entry()[:-1] + b', "x":' + nested + b"}")
    read = read_page("sw", content)
    assert read is not None and read == decoded(content)


def test_unreadable_entries_keep_their_place() -> None:
    content = page(entry(id="x"), entry(id=7.0), entry(id=None), entry(), total=b'"12"')
    read = read_page("sw", content)
    assert read is not None and read == decoded(content)
    assert [a.id if a else None for a in read[0]] == [None, "7", None, "709"]
    assert read[1] == 12


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
fields = st.sampled_from([*ACTION, "unknown", "extra", "progress", "id", "status", "created_at"])
entries = st.dictionaries(fields, json_values | st.sampled_from(list(ACTION.values())), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(entries, max_size=6), json_values, st.booleans())
def test_any_page_is_read_from_its_bytes_as_decoding_reads_it(
    items: list[dict[str, Any]], total: Any, ascii_only: bool
) -> None:
    """Whatever the fields hold, the page is read from its bytes as decoding reads it.

    (Nothing drawn here is left to decoding: the values are finite, short,
    shallow and without lone surrogates.)
    """
    content = json.dumps({"actions": items, "total_actions": total}, ensure_ascii=ascii_only)
    data = content.encode()
    read = read_page("sw", data)
    assert read is not None
    assert read == decoded(data)
    assert [a.raw if a else None for a in read[0]] == [
        a.raw if a else None for a in decoded(data)[0]
    ]
