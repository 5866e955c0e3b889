"""``python -m tui`` runs the ``actiondeck`` command."""

from tui.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
