"""Command palette (Ctrl+P) commands: filters, one per backend, one per theme, polling.

The provider asks the app for what exists (backend and theme names) through
the small :class:`CommandTarget` protocol and calls the app's public methods;
it keeps no state and does no I/O. Names are shown literally: titles are
``Content`` built from neutralised plain text and help lines are escaped, since
the palette would otherwise parse both as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import NamedTuple, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from tui.text import display_text

FAILED_FILTER = "status:failed"
IN_FLIGHT_FILTER = "status:pending,running"


class CommandTarget(Protocol):
    """What the commands need from the app."""

    @property
    def backend_names(self) -> list[str]:
        """Configured backend names."""
        ...

    @property
    def saved_searches(self) -> list[tuple[str, str]]:
        """The config's saved searches, as (name, query)."""
        ...

    @property
    def theme_names(self) -> list[str]:
        """The console's themes."""
        ...

    def set_filter(self, text: str) -> None:
        """Show the actions matching ``text``."""
        ...

    def use_theme(self, name: str) -> None:
        """Switch theme."""
        ...

    def action_toggle_pause(self) -> None:
        """Pause or resume polling."""
        ...

    def action_refresh_now(self) -> None:
        """Poll every backend now."""
        ...

    def action_copy(self, kind: str) -> None:
        """Copy something of the selected action (``ref``, ``json``, ``show``, ``native``)."""
        ...


class PaletteCommand(NamedTuple):
    """One entry of the palette."""

    title: str
    help: str
    run: Callable[[], object]


def palette_commands(target: CommandTarget) -> Iterator[PaletteCommand]:
    """Every ActionDeck command, in the order the palette lists them."""
    yield PaletteCommand(
        "Filter: failed actions",
        "Show only failed actions",
        partial(target.set_filter, FAILED_FILTER),
    )
    yield PaletteCommand(
        "Filter: in-flight",
        "Show only pending and running actions",
        partial(target.set_filter, IN_FLIGHT_FILTER),
    )
    for name in target.backend_names:
        shown = display_text(name)
        yield PaletteCommand(
            f"Filter: backend {shown}",
            f"Show only the actions of {shown}",
            partial(target.set_filter, f"backend:{name}"),
        )
    yield PaletteCommand("Clear filter", "Show every action", partial(target.set_filter, ""))
    for name, query in target.saved_searches:
        yield PaletteCommand(
            f"Search: {display_text(name)}",
            f"Saved search: {display_text(query)}",
            partial(target.set_filter, query),
        )
    for name in target.theme_names:
        shown = display_text(name)
        yield PaletteCommand(
            f"Theme: {shown}", f"Switch to the {shown} theme", partial(target.use_theme, name)
        )
    yield PaletteCommand(
        "Pause/resume polling", "Stop or restart polling", target.action_toggle_pause
    )
    yield PaletteCommand("Refresh now", "Poll every backend now", target.action_refresh_now)
    for kind, title, help_text in COPY_COMMANDS:
        yield PaletteCommand(title, help_text, partial(target.action_copy, kind))


COPY_COMMANDS = (
    ("ref", "Copy: ref of the selected action", "Its BACKEND:ID, as actiondeck show takes it (y)"),
    ("json", "Copy: JSON of the selected action", "As actiondeck show --json prints it (Y)"),
    ("show", "Copy as command: actiondeck show", "actiondeck show REF"),
    (
        "native",
        "Copy as command: the backend's client",
        "openstack server event show …, or a curl line (secrets as $VARIABLES)",
    ),
)
"""The palette's copy commands: kind, title, help."""


class ActionDeckCommands(Provider):
    """The console's own commands."""

    def _commands(self) -> Sequence[PaletteCommand]:
        return list(palette_commands(cast(CommandTarget, self.app)))

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for command in self._commands():
            yield DiscoveryHit(
                Content(command.title), command.run, text=command.title, help=escape(command.help)
            )

    async def search(self, query: str) -> Hits:
        """The commands matching what was typed, best first."""
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                shown = highlight(matcher, command.title)
                yield Hit(score, shown, command.run, text=command.title, help=escape(command.help))


def highlight(matcher: Matcher, title: str) -> Content:
    """``title`` with the matched characters styled, never parsed as markup.

    (``Matcher.highlight`` would read ``title`` as markup.)
    """
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
