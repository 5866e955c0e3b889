"""The scriptable commands (``actiondeck list/show/wait/config/sim``) and their plain-text output.

Never imports Textual or Rich at module level: only ``actiondeck`` with no
command starts the console, and it imports :mod:`tui.console` inside the
function that needs it.
"""
