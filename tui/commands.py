"""Command palette (Ctrl+P) commands: filters, one per backend, one per theme, polling.

The provider asks the app for what exists (backend and theme names) through
the small :class:`CommandTarget` protocol and calls the app's public methods;
it keeps no state and does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import NamedTuple, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

FAILED_FILTER = "status:failed"
IN_FLIGHT_FILTER = "status:pending,running"


class CommandTarget(Protocol):
    """What the commands need from the app."""

    @property
    def backend_names(self) -> list[str]:
        """Configured backend names."""
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
        yield PaletteCommand(
            f"Filter: backend {name}",
            f"Show only the actions of {name}",
            partial(target.set_filter, f"backend:{name}"),
        )
    yield PaletteCommand("Clear filter", "Show every action", partial(target.set_filter, ""))
    for name in target.theme_names:
        yield PaletteCommand(
            f"Theme: {name}", f"Switch to the {name} theme", partial(target.use_theme, name)
        )
    yield PaletteCommand(
        "Pause/resume polling", "Stop or restart polling", target.action_toggle_pause
    )
    yield PaletteCommand("Refresh now", "Poll every backend now", target.action_refresh_now)


class ActionDeckCommands(Provider):
    """The console's own commands."""

    def _commands(self) -> Sequence[PaletteCommand]:
        return list(palette_commands(cast(CommandTarget, self.app)))

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        """The commands matching what was typed, best first."""
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
