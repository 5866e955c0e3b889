"""A bare Textual app for testing one widget or screen with ActionDeck's themes."""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel

from tui.console.animation import calm_animations
from tui.console.themes import DEFAULT_THEME, load_themes, status_variable_defaults


class ThemedApp(App[None]):
    """Registers the shipped themes, animates as the console does, remembers every toast."""

    def __init__(self) -> None:
        super().__init__()
        calm_animations(self)
        self.notices: list[str] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return status_variable_defaults(self.current_theme)

    def on_mount(self) -> None:
        for theme in load_themes(None).loaded:
            self.register_theme(theme)
        self.theme = DEFAULT_THEME

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Remember every toast's text, then show it."""
        self.notices.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
