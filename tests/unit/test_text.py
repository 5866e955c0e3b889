"""safe_text and display_text: every control, format and invisible character is made visible."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.text import CELL_LIMIT, DISPLAY_LIMIT, display_text, more_characters, safe_text


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
        pytest.param("para\u2029sep", "para\\u2029sep", id="unicode-paragraph-separator"),
        pytest.param("\x1b]0;pwned\x07", "␛]0;pwned␇", id="osc0-window-title"),
        pytest.param("\x9b31m", "\\u009b31m", id="c1-csi-sgr"),
        pytest.param("\x9d0;t\x9c", "\\u009d0;t\\u009c", id="c1-osc-and-st"),
        pytest.param(
            "a\u202ab\u202bc\u202cd\u202d", "a\\u202ab\\u202bc\\u202cd\\u202d", id="embeddings"
        ),
        pytest.param("\u2067r\u2068f\u2069", "\\u2067r\\u2068f\\u2069", id="rtl-first-strong"),
        pytest.param("l\u200er\u200fa\u061c", "l\\u200er\\u200fa\\u061c", id="direction-marks"),
        pytest.param("z\u200bw\u200cn\u200dj", "z\\u200bw\\u200cn\\u200dj", id="zero-width"),
        pytest.param("w\u2060j\ufeffb", "w\\u2060j\\ufeffb", id="word-joiner-and-bom"),
        pytest.param("soft\xadhyphen", "soft\\u00adhyphen", id="soft-hyphen"),
        pytest.param("tag\U000e0041", "tag\\U000e0041", id="tag-character-smuggling"),
        pytest.param("fill\u3164er", "fill\\u3164er", id="hangul-filler"),
        pytest.param("half\ud800", "half\\ud800", id="lone-surrogate"),
        pytest.param("[@click=app.quit]y[/]", "[@click=app.quit]y[/]", id="action-markup-literal"),
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
_DANGEROUS |= set(range(0x200B, 0x2010)) | {0x2060, 0xFEFF, 0x061C}
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def test_every_control_format_and_separator_character_is_neutralised() -> None:
    """The hand-written class covers the running Python's Unicode database."""
    missed = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in _INVISIBLE_CATEGORIES
        and safe_text(chr(code)) == chr(code)
    ]
    assert missed == []


@given(st.text())
def test_no_control_character_survives_one_line(text: str) -> None:
    assert not {ord(char) for char in safe_text(text)} & _DANGEROUS


@given(st.text())
def test_only_newlines_survive_multiline(text: str) -> None:
    survivors = {ord(char) for char in safe_text(text, multiline=True)} & _DANGEROUS
    assert survivors <= {0x0A}


_ANY_DANGEROUS_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from([chr(code) for code in sorted(_DANGEROUS)]),
    )
)


@given(_ANY_DANGEROUS_TEXT)
def test_no_invisible_character_survives(text: str) -> None:
    for shown in (safe_text(text), display_text(text, limit=8)):
        assert not any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in shown)


@given(_ANY_DANGEROUS_TEXT)
def test_multiline_keeps_only_newlines_visible_as_such(text: str) -> None:
    shown = safe_text(text, multiline=True)
    assert {char for char in shown if unicodedata.category(char) in _INVISIBLE_CATEGORIES} <= {"\n"}


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        pytest.param(None, 5, "", id="none"),
        pytest.param("short", 5, "short", id="fits-exactly"),
        pytest.param("longer", 5, "longe… (1 more character)", id="one-more"),
        pytest.param("x" * 1_005, 5, "xxxxx… (1,000 more characters)", id="thousands"),
        pytest.param("\x1b]52;c;cHduZWQ=\x07", 4, "␛]52… (12 more characters)", id="cut-osc52"),
        pytest.param("a\nb", 5, "a␊b", id="one-line"),
        pytest.param(12345678, 4, "1234… (4 more characters)", id="number"),
    ],
)
def test_display_text_shows_a_bounded_prefix(value: object, limit: int, expected: str) -> None:
    assert display_text(value, limit=limit) == expected


def test_a_megabyte_string_is_shown_as_a_short_prefix() -> None:
    huge = "\u202e" * 1_000_000
    shown = display_text(huge)
    assert shown.endswith(more_characters(1_000_000 - DISPLAY_LIMIT))
    assert len(shown) <= 6 * DISPLAY_LIMIT + len(more_characters(1_000_000))
    assert "\u202e" not in shown
    assert CELL_LIMIT < DISPLAY_LIMIT


def test_safe_text_keeps_the_whole_text() -> None:
    """Raw JSON, copy and save keep everything (neutralised, never cut)."""
    huge = "ok\x1b" * 200_000
    assert safe_text(huge) == "ok␛" * 200_000


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_an_ascii_multiline_text_is_neutralised_as_any_text_is(text: str) -> None:
    """ASCII texts take a shorter pattern: the same result as with one non-ASCII character."""
    assert safe_text(text + "é", multiline=True) == safe_text(text, multiline=True) + "é"
