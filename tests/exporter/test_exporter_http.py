"""The exporter in-process on a real socket: the alert rules' metrics, hostile servers, paths.

:func:`tests.helpers.exporter.serving` runs :func:`tui.exporter.run.run_exporter`
in the test's event loop against the simulator; scrapes go over HTTP and are
read with the Prometheus library's parser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.helpers.exporter import Samples, matching, scrape_async, serving, wait_for_async
from tui.connect import build_backends
from tui.embedded import simulator_config
from tui.exporter.metrics import METRICS
from tui.sim import Simulator

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "exporter-rules.yml"
DOCS = ROOT / "docs" / "exporter.md"
RULES_TEST = Path(__file__).with_name("rules_test.yml")
"""``promtool test rules`` cases: each alert fires when it should, and only then."""

_METRIC_NAME = re.compile(r"\bactiondeck_[a-z0-9_]+\b")


def _all_up(samples: Samples) -> bool:
    up = matching(samples, "actiondeck_backend_up")
    return len(up) == 3 and all(v == 1.0 for v in up.values())


def _expressions() -> list[str]:
    document: Any = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    rules = [rule for group in document["groups"] for rule in group["rules"]]
    assert {rule["alert"] for rule in rules} >= {
        "ActionDeckActionFailed",
        "ActionDeckActionStuck",
        "ActionDeckBackendDown",
    }
    return [str(rule["expr"]) for rule in rules]


def test_the_rules_pass_promtool_and_its_unit_tests_when_it_is_installed() -> None:
    expressions = _expressions()  # a YAML parse, whatever is installed
    assert expressions
    promtool = shutil.which("promtool")
    if promtool is None:
        return
    for command in (["check", "rules", str(RULES)], ["test", "rules", str(RULES_TEST)]):
        done = subprocess.run(
            [promtool, *command], capture_output=True, text=True, timeout=60, cwd=ROOT
        )
        assert done.returncode == 0, done.stdout + done.stderr


async def test_every_metric_the_rules_and_docs_name_is_in_a_real_scrape(sim: Simulator) -> None:
    backends = build_backends(simulator_config(sim))
    async with serving(backends) as url:
        samples = await wait_for_async(url, _all_up)
    served = {name for name, _ in samples}
    used = {name for expr in _expressions() for name in _METRIC_NAME.findall(expr)}
    assert used and used <= served, used - served
    families = {re.sub(r"_(bucket|sum|count)$", "", name) for name in served}
    assert used <= families | served


def test_the_docs_list_every_metric_and_no_other() -> None:
    documented = set(_METRIC_NAME.findall(DOCS.read_text(encoding="utf-8")))
    declared = {f"{m.name}_total" if m.type == "counter" else m.name for m in METRICS}
    assert declared <= documented, declared - documented
    assert documented <= declared, documented - declared


async def test_hostile_server_text_reaches_the_scrape_inert(fresh_sim: Simulator) -> None:
    for server in fresh_sim.servers:
        server.faults.update(hostile_text=True)
    backends = build_backends(simulator_config(fresh_sim))
    async with serving(backends) as url:
        samples = await wait_for_async(
            url, lambda s: sum(matching(s, "actiondeck_actions").values()) > 0
        )
        async with httpx.AsyncClient(timeout=5) as client:
            raw = (await client.get(url)).text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]", raw)
    names = {dict(key)["name"] for key in matching(samples, "actiondeck_actions")}
    hostile = [name for name in names if name.startswith("[bold]x[/bold]")]
    assert hostile and all("␛[2J␛]0;pwned␇" in name for name in hostile)
    assert all(len(name) <= 101 for name in names)  # the 1 MB tail was cut


async def test_only_metrics_is_served(sim: Simulator) -> None:
    backends = build_backends(simulator_config(sim))
    async with serving(backends) as url:
        base = url.removesuffix("/metrics")
        async with httpx.AsyncClient(timeout=5) as client:
            index = await client.get(f"{base}/")
            missing = await client.get(f"{base}/secrets")
            post = await client.post(url)
        assert (await scrape_async(url)) is not None
    assert index.status_code == 200 and "/metrics" in index.text
    assert missing.status_code == 404
    assert post.status_code == 405
