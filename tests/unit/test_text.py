"""safe_text: every control character and escape sequence a server sends is made visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.text import safe_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, "", id="none-is-empty"),
        pytest.param("", "", id="empty"),
        pytest.param("web-1", "web-1", id="plain"),
        pytest.param(42, "42", id="number"),
        pytest.param("\x1b[2J", "␛[2J", id="esc-clear-screen"),
        pytest.param("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇", id="osc52-with-bel"),
        pytest.param("ring\x07", "ring␇", id="bel"),
        pytest.param("over\rwrite", "over␍write", id="carriage-return"),
        pytest.param("nul\x00", "nul␀", id="nul"),
        pytest.param("del\x7f", "del␡", id="del"),
        pytest.param("csi\x9b2J", "csi\\u009b2J", id="c1-csi"),
        pytest.param("nel\x85", "nel\\u0085", id="c1-next-line"),
        pytest.param("abc\u202edcba", "abc\\u202edcba", id="bidi-right-to-left-override"),
        pytest.param("\u2066isolate\u2069", "\\u2066isolate\\u2069", id="bidi-isolates"),
        pytest.param("line\u2028sep", "line\\u2028sep", id="unicode-line-separator"),
        pytest.param("a\nb", "a␊b", id="newline-made-visible-on-one-line"),
        pytest.param("a\tb", "a␉b", id="tab-made-visible-on-one-line"),
        pytest.param("[bold]x[/bold]", "[bold]x[/bold]", id="markup-untouched-is-plain-text"),
        pytest.param("café ✔ 日本", "café ✔ 日本", id="unicode-kept"),
    ],
)
def test_single_line(value: object, expected: str) -> None:
    assert safe_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("a\nb\n", "a\nb\n", id="newlines-kept"),
        pytest.param("a\r\nb", "a\nb", id="crlf-becomes-lf"),
        pytest.param("a\rb", "a␍b", id="lone-cr-made-visible"),
        pytest.param("\tindented", "    indented", id="tab-expanded"),
        pytest.param("x\x1b[31mred\x1b[0m", "x␛[31mred␛[0m", id="sgr-neutralised"),
        pytest.param("p\u202eq", "p\\u202eq", id="bidi-neutralised"),
        pytest.param(None, "", id="none-is-empty"),
    ],
)
def test_multiline(value: object, expected: str) -> None:
    assert safe_text(value, multiline=True) == expected


_DANGEROUS = set(range(0x00, 0x20)) | set(range(0x7F, 0xA0)) | {0x2028, 0x2029}
_DANGEROUS |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))


@given(st.text())
def test_no_control_character_survives_one_line(text: str) -> None:
    assert not {ord(char) for char in safe_text(text)} & _DANGEROUS


@given(st.text())
def test_only_newlines_survive_multiline(text: str) -> None:
    survivors = {ord(char) for char in safe_text(text, multiline=True)} & _DANGEROUS
    assert survivors <= {0x0A}
