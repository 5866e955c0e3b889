"""The headless Prometheus exporter: poll the backends, serve ``/metrics``.

:mod:`~tui.exporter.state` folds every poll result into bounded counts,
:mod:`~tui.exporter.snapshot` is the plain data one scrape reads,
:mod:`~tui.exporter.metrics` maps that data to Prometheus metric families,
:mod:`~tui.exporter.server` serves them over HTTP and :mod:`~tui.exporter.run`
ties the poller, the state and the server together until a signal stops it.
Nothing here imports Textual or Rich, reads the config file or resolves a
secret: the command line builds the backends and hands them over.
"""
