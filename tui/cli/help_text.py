"""The words of ``--help``: examples per command and the exit-code table.

Plain text (no markup: argparse prints it as written). The standard library
only, so ``--help`` still loads nothing of the program.
"""

from __future__ import annotations

EXIT_CODES = """\
exit codes:
  0   success; for wait, the action completed
  1   wait: the action failed or was cancelled; watch --until-settled: one failed
  2   bad usage or config
  3   a backend cannot be reached or refuses the credentials
  4   wait --timeout ran out
  5   no such action, or the backend forgot it before its outcome was known
  70  an internal error in ActionDeck (ACTIONDECK_DEBUG=1 shows the details)
"""

_EXAMPLES = {
    "top": """\
  actiondeck                                  the console (the simulator if no config)
  actiondeck list 'status:failed type:resize'
  actiondeck wait seeweb:709 --timeout 600
  actiondeck config init && actiondeck config check --probe""",
    "list": """\
  actiondeck list 'status:failed type:resize ec2002'
  actiondeck list --backend prod --status running --format csv
  actiondeck list --format tsv --fields ref,status,progress --no-headers
  actiondeck list --json | jq '.[] | select(.progress < 50) | .ref'""",
    "show": """\
  actiondeck show seeweb:709
  actiondeck show openstack:SERVER_ID/REQUEST_ID --json""",
    "wait": """\
  actiondeck wait seeweb:709 --timeout 600 && echo resized
  actiondeck wait seeweb:709 redis:42 --any
  actiondeck wait cache:17 --json | jq .status""",
    "watch": """\
  actiondeck watch 'status:running'
  actiondeck watch resource:ec200285 --until-settled && echo all done
  actiondeck watch --format ndjson | jq -r '.ref + " " + .status'""",
    "sim": """\
  actiondeck sim --frozen --write-config sim.toml
  actiondeck sim --port 8700 --fault seeweb=503 --fault openstack=latency:5
  curl -X POST http://127.0.0.1:8700/__sim/faults -d 'seeweb=ok'""",
    "config": """\
  actiondeck config path
  actiondeck config init
  actiondeck config check --probe""",
    "completion": """\
  actiondeck completion bash > ~/.local/share/bash-completion/completions/actiondeck
  actiondeck completion zsh > "${fpath[1]}/_actiondeck"
  actiondeck completion fish > ~/.config/fish/completions/actiondeck.fish""",
}


def examples(command: str) -> str:
    """The ``examples:`` block that ends ``command``'s help."""
    return f"examples:\n{_EXAMPLES[command]}\n"


def top_epilog() -> str:
    """What ends ``actiondeck --help``: examples, then the exit codes."""
    return f"{examples('top')}\n{EXIT_CODES}"
