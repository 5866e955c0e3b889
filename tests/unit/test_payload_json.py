"""The payload rules of decoding: a depth limit, finite numbers, and errors that say why."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.backends.base import BadResponseError
from tui.backends.http import decode_json, raise_for_status
from tui.json_body import MAX_DEPTH, JsonLimitError, _loads_by_the_rules, decodes_alike, loads
from tui.model import as_text, parse_progress, parse_time


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_depth_up_to_the_limit_is_accepted() -> None:
    value = loads(nested(MAX_DEPTH))
    assert json.dumps(value).count("[") == MAX_DEPTH


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 1000, 100_000])
def test_deeper_documents_are_refused(depth: int) -> None:
    with pytest.raises(JsonLimitError, match=f"JSON nested deeper than {MAX_DEPTH} levels"):
        loads(nested(depth))


def test_depth_counts_objects_and_arrays_alike() -> None:
    text = '{"a": ' * (MAX_DEPTH // 2) + "[" * (MAX_DEPTH // 2 + 1)
    text += "]" * (MAX_DEPTH // 2 + 1) + "}" * (MAX_DEPTH // 2)
    with pytest.raises(JsonLimitError):
        loads(text)


@pytest.mark.parametrize(
    "literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 400, "9" * 5000]
)
def test_numbers_no_double_holds_become_null(literal: str) -> None:
    assert loads(f'{{"progress": {literal}, "ok": 1}}') == {"progress": None, "ok": 1}


def test_ordinary_numbers_are_kept_exactly() -> None:
    assert loads("[1, -2, 1.5, 1e300, 123456789012345678901234567890]") == [
        1, -2, 1.5, 1e300, 123456789012345678901234567890
    ]  # fmt: skip


def test_not_json_is_a_value_error_not_a_limit() -> None:
    with pytest.raises(ValueError) as caught:
        loads(b"{nope")
    assert not isinstance(caught.value, JsonLimitError)


def test_decode_json_names_backend_path_and_reason() -> None:
    response = httpx.Response(200, content=nested(100_000).encode())
    with pytest.raises(BadResponseError) as caught:
        decode_json(response, "seeweb", "/actions")
    assert str(caught.value) == f"seeweb: /actions: JSON nested deeper than {MAX_DEPTH} levels"


def test_a_deep_error_body_still_gives_the_status() -> None:
    response = httpx.Response(500, content=nested(100_000).encode())
    with pytest.raises(BadResponseError, match="HTTP 500"):
        raise_for_status(response, "redis", "GET /v1/actions")


@pytest.mark.parametrize(
    "value", [10**400, -(10**400), float("inf"), float("nan"), "1e400", "inf", "9" * 5000]
)
def test_progress_out_of_range_is_unreadable(value: object) -> None:
    assert parse_progress(value) is None


@pytest.mark.parametrize(
    "value", [10**400, 1e300, -(10**20), float("nan"), "1e400", "9" * 5000, {}, []]
)
def test_times_out_of_range_are_unreadable(value: object) -> None:
    assert parse_time(value) is None


def test_epoch_seconds_in_range_still_read() -> None:
    assert parse_time(0) == datetime(1970, 1, 1, tzinfo=UTC)


def test_as_text_of_an_integer_too_long_to_print_is_unreadable() -> None:
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        huge = int("9" * (limit + 10))
    finally:
        sys.set_int_max_str_digits(limit)
    assert as_text(huge) is None and as_text(10**400) == str(10**400)


@pytest.mark.parametrize(
    ("digits", "huge"), [(308, False), (309, True), (5000, True)], ids=["308", "309", "5000"]
)
def test_the_long_digit_scan_finds_a_run_anywhere(digits: int, huge: bool) -> None:
    """Only a body holding a run of 309 digits is decoded with the integer hook (the rest is
    fast): a run that long is found wherever it is, however many short runs come before."""
    short = ", ".join(f'{{"id": {n}, "at": "2026-03-14T00:00:{n % 60:02d}"}}' for n in range(500))
    body = f'{{"a": [{short}], "n": {"9" * digits}}}'
    decoded = loads(body.encode())
    assert (decoded["n"] is None) is huge and len(decoded["a"]) == 500


def test_digits_split_by_other_bytes_are_no_long_run() -> None:
    run = "1" * 200
    assert loads(f'["{run}x{run}", {run}]') == [f"{run}x{run}", int(run)]


EDGES = [
    b"\xef\xbb\xbf[1]",  # a byte-order mark
    b"[NaN, Infinity, -Infinity]",
    b'["\\udc00", "\\ud83d\\ude00"]',
    b"[1e309, -1e400, 1e-400, -0.0, 4.9e-324, 1.7976931348623157e308]",
    b"[" + b"9" * 400 + b"]",
    b'{"a": 1, "a": 2}',
    b'["\\u00e9", "\xc3\xa9", "\\/", "a\\tb"]',
    b'["\x01"]',
    b'["\xff"]',
    b"[1,]",
    b"[01]",
    b"",
    b"1",
    b'"text"',
    b"\t[true, false, null]\r\n",
]


def outcome(read: object, data: bytes) -> tuple[str, str]:
    try:
        return "value", repr(read(data))  # type: ignore[operator]
    except ValueError as error:
        return "error", type(error).__name__


@pytest.mark.parametrize("data", EDGES)
def test_decoding_fast_gives_what_the_rules_give(data: bytes) -> None:
    """Whatever msgspec refuses or reads otherwise is decoded by json under the rules."""
    assert outcome(loads, data) == outcome(_loads_by_the_rules, data)


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**40), max_value=10**40)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=20,
    ),
    st.booleans(),
)
def test_any_document_decodes_as_the_rules_decode_it(value: object, ascii_only: bool) -> None:
    data = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert repr(loads(data)) == repr(_loads_by_the_rules(data))


@pytest.mark.parametrize(
    ("data", "alike"),
    [
        (b'{"a": "plain"}', True),
        ('{"a": "é"}'.encode(), True),
        (b'{"a": "\xff"}', False),
        (b"[" + b"1" * 400 + b"]", False),
        (b"[" + b"1" * 300 + b"]", True),
    ],
)
def test_decodes_alike_checks_utf8_and_long_digit_runs(data: bytes, alike: bool) -> None:
    assert decodes_alike(data) is alike
