"""Make server text safe to show: control, format and invisible characters made visible.

Text from a server is data. Before it reaches a terminal (the CLI's table or
stderr, the console), every character that could drive the terminal or hide
what the text says is replaced by a visible stand-in: ESC shows as ``␛`` (so
``\\x1b]52;…`` reads ``␛]52;…`` instead of writing the clipboard), other C0
controls as their control picture (``␀``, ``␇``), DEL as ``␡``, and C1
controls (``\\x9b`` is a one-byte CSI), bidi overrides and isolates,
zero-width and other invisible format characters, line/paragraph separators
and lone surrogates as ``\\u202e``-style escapes. Markup is left as it is:
the console wraps the result in ``Text``/``Content`` and never parses it.

:func:`display_text` adds a bound: at most ``limit`` characters and
``… (N more characters)``, so a 1 MB string costs no more than a short one.
This module has no UI dependency (no Textual, no Rich) and keeps no state.
"""

from __future__ import annotations

import re

# Every character of Unicode's Cc (controls), Cf (format), Zl, Zp and Cs
# (surrogates) categories, plus invisible letters used to spoof text (Hangul
# fillers, the combining grapheme joiner). tests/unit/test_text.py checks this
# class against the running Python's unicodedata.
_OTHER_INVISIBLE = (
    "\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164"
    "\ud800-\udfff\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_ONE_LINE = re.compile(f"[\x00-\x1f{_OTHER_INVISIBLE}]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER_INVISIBLE}]")
"""Keeps newline (``\\x0a``) and tab (``\\x09``)."""
_ASCII_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""The part of :data:`_MULTILINE` an ASCII text can hold (scans a long text much faster)."""

DISPLAY_LIMIT = 1_000
"""Characters of one server string shown in a detail field, toast or bar reason."""

CELL_LIMIT = 200
"""Characters of one server string kept for a list cell (cropped to its column anyway)."""


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture" (␀, ␇, ␉ …)
    if code == 0x7F:
        return "␡"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def safe_text(value: object, *, multiline: bool = False) -> str:
    """``value`` as a string whose control and invisible characters are made visible.

    The whole text is kept (raw JSON, copy and save use this); see
    :func:`display_text` for a bounded one-line version.

    Args:
        value: any value; ``None`` becomes the empty string.
        multiline: keep newlines and tabs (for tracebacks and raw JSON); a
            tab becomes four spaces and CRLF a newline.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if multiline:
        text = text.replace("\r\n", "\n")
        pattern = _ASCII_MULTILINE if text.isascii() else _MULTILINE
        return pattern.sub(_stand_in, text).replace("\t", "    ")
    return _ONE_LINE.sub(_stand_in, text)


def more_characters(count: int) -> str:
    """``… (1,234 more characters)``: what follows a cut text."""
    noun = "character" if count == 1 else "characters"
    return f"… ({count:,} more {noun})"


def display_text(value: object, limit: int = DISPLAY_LIMIT) -> str:
    """One line of at most ``limit`` server characters, then ``… (N more characters)``.

    Only the first ``limit`` characters are ever neutralised, so the cost does
    not grow with the string. ``N`` counts the characters left out of the
    original.

    Args:
        value: any value; ``None`` becomes the empty string.
        limit: how many characters of the original to show.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return safe_text(text)
    return f"{safe_text(text[:limit])}{more_characters(len(text) - limit)}"
