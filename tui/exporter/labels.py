"""Label values made from server text: neutralised, cut short and bounded in number.

An action's name comes from the server, so it can be anything: long, full of
control characters, or different for every action. A backend gets at most
:data:`MAX_NAMES_PER_BACKEND` distinct ``name`` values, each kept for good once
given; every later name is counted under :data:`OTHER_NAME`. Escaping quotes,
backslashes and newlines for the text format is the Prometheus library's job;
here control and invisible characters become visible stand-ins
(:func:`tui.text.safe_text`), so a scrape shown in a terminal cannot drive it.
"""

from __future__ import annotations

from tui.text import safe_text

MAX_NAMES_PER_BACKEND = 100
"""Distinct ``name`` label values per backend; later names count as :data:`OTHER_NAME`."""

OTHER_NAME = "other"
"""The ``name`` of every action whose name came after the first hundred."""

UNNAMED = "unnamed"
"""The ``name`` of an action whose name is empty."""

NAME_LIMIT = 100
"""Characters of a label value (after neutralising); a longer one is cut and ends with ``…``."""


def label_text(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` as a label value: control characters visible, then at most ``limit`` characters.

    A longer value is cut and ends with ``…`` (so ``limit`` + 1 characters at most).
    """
    shown = safe_text(text[:limit])
    if len(text) > limit or len(shown) > limit:
        return f"{shown[:limit]}…"
    return shown


class NameLabels:
    """The ``name`` label values of one backend (at most ``limit`` of them, then ``other``)."""

    def __init__(self, limit: int = MAX_NAMES_PER_BACKEND) -> None:
        self._limit = limit
        self._labels: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._labels)

    def label(self, name: str) -> str:
        """The label value for an action called ``name`` (stable once given)."""
        found = self._labels.get(name)
        if found is not None:
            return found
        if len(self._labels) >= self._limit:
            return OTHER_NAME
        value = label_text(name) if name else UNNAMED
        self._labels[name] = value
        return value
