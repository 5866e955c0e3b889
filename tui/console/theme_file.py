"""The schema of a user's theme file (pydantic), loaded only when such a file is read.

:mod:`tui.console.themes` reads the files and turns a validated one into a
Textual theme; this module only says what a valid file holds.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from textual.theme import Theme

from tui.console.themes import check_colour, status_variable_defaults

ColourStr = Annotated[str, AfterValidator(check_colour)]


class ThemeFile(BaseModel):
    """The contents of one theme file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    """How the theme is chosen (``ui.theme``, ``--theme``, the command palette)."""
    dark: bool = True
    """Whether this is a dark theme (Textual derives shades from it)."""
    primary: ColourStr
    secondary: ColourStr | None = None
    accent: ColourStr | None = None
    background: ColourStr | None = None
    surface: ColourStr | None = None
    panel: ColourStr | None = None
    foreground: ColourStr | None = None
    success: ColourStr | None = None
    warning: ColourStr | None = None
    error: ColourStr | None = None
    variables: dict[str, str] = Field(default_factory=dict)
    """Extra Textual variables; ``status-*`` ones must be colours."""

    def to_theme(self) -> Theme:
        """The Textual theme, with every status variable filled in."""
        colours = self.model_dump(exclude={"variables"})
        theme = Theme(**colours)
        theme.variables = {**status_variable_defaults(theme), **self.variables}
        return theme
