"""Make server text safe to show: control characters and escape sequences neutralised.

Text from a server is data. Before it reaches a terminal (the CLI's table or
the console), every C0/C1 control character and escape sequence is replaced
by a visible stand-in, so ``\\x1b[2J`` shows as text instead of clearing the
screen. The console additionally wraps such strings in ``rich.text.Text`` so
that ``[bold]`` is never parsed as markup; this module itself has no UI
dependency.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_WITH_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture" (␀, ␇, ␉ …)
    if code == 0x7F:
        return "␡"
    return f"\\u{code:04x}"


def safe_text(value: object, *, multiline: bool = False) -> str:
    """``value`` as a string with control characters made visible.

    Args:
        value: any value; ``None`` becomes the empty string.
        multiline: keep newlines and tabs (for tracebacks and raw JSON).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if multiline:
        text = text.replace("\r\n", "\n")
        return _CONTROL.sub(_stand_in, text).replace("\t", "    ")
    return _CONTROL_WITH_NEWLINES.sub(_stand_in, text)
