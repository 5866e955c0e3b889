"""The console: the only package that imports Textual (app, screens, widgets, palette, themes).

It reads backends only through :mod:`tui.poller` and the fetcher's workers,
and formats through :mod:`tui.format`, adding only styling.
"""
