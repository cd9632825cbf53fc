"""The live probe: every source's first page (or a large file's first bytes), with the spider's own settings.

`probe_sources` asks each source what its crawl would ask first, judges the
answer (spiders/kit/probe.py) and stores nothing. Per source: ok, moved, blocked,
changed shape or unreachable, the worst of its start requests, each with its own
finding. `chokepoint sources --probe` prints it; a daily job runs it before its
crawls and reports it with the sources' health.

The probe runs in a child process (`python -m pipeline.crawl.probe`): Scrapy's
reactor runs once per process, and a job that probes and then crawls needs it
for the crawls.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.crawl import engine
from pipeline.report import SILENT

STATUSES = ("blocked", "unreachable", "changed shape", "moved", "ok")  # worst first


class ProbeFailed(RuntimeError):
    """The probe itself could not run (not a source's failure: those are findings)."""


@dataclass
class ProbeResult:
    spider: str
    status: str  # the worst of its checks: ok, moved, blocked, changed shape, unreachable
    detail: str  # the worst check's, with its URL
    checks: list[dict[str, Any]] = field(default_factory=list)  # per start request: url, status, detail, ...

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def as_dict(self) -> dict[str, Any]:
        return {"spider": self.spider, "status": self.status, "detail": self.detail, "checks": self.checks}


def probe_sources(
    names: Sequence[str] | None = None, timeout: float | None = None, env: dict[str, str] | None = None
) -> list[ProbeResult]:
    """Probe these sources (every one when None), one result each, in name order. Stores nothing."""
    command = [sys.executable, "-m", "pipeline.crawl.probe", *(names or [])]
    if timeout:
        command += ["--timeout", str(timeout)]
    child = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if child.returncode != 0:
        lines = child.stderr.strip().splitlines()
        raise ProbeFailed(f"the probe did not run: {lines[-1] if lines else f'exit {child.returncode}'}")
    findings = [json.loads(line) for line in child.stdout.splitlines() if line.strip()]
    return summarise(findings, names or engine.spider_names())


def summarise(findings: list[dict[str, Any]], names: Sequence[str]) -> list[ProbeResult]:
    results = []
    for name in sorted(names):
        checks = [finding for finding in findings if finding["spider"] == name]
        if not checks:
            checks = [{"spider": name, "url": "", "status": "unreachable", "detail": "the probe asked nothing"}]
        worst = min(checks, key=lambda check: STATUSES.index(check["status"]))
        detail = worst["detail"]
        if detail and worst["url"] and worst["url"].split("?", 1)[0] not in detail:
            detail = f"{worst['url']}: {detail}"
        results.append(ProbeResult(name, worst["status"], detail, checks))
    return results


# -- in the child process ------------------------------------------------------------------


def run_probes(names: Sequence[str], timeout: float | None = None) -> list[dict[str, Any]]:
    """Every source's findings, from one Scrapy process."""
    from spiders.kit.probe import probe_spider_for

    findings: list[dict[str, Any]] = []
    arguments = {"download_timeout": timeout} if timeout else {}

    def plan():
        for name in names:
            yield probe_spider_for(engine.spider_class(name)), arguments, name

    def on_crawled(name, crawled: engine.Crawled) -> None:
        found = [item.as_dict() for item in crawled.items]
        if crawled.error is not None and not found:
            detail = f"the probe failed: {type(crawled.error).__name__}: {crawled.error}"
            found = [{"spider": name, "url": "", "status": "unreachable", "detail": detail}]
        findings.extend(found)

    engine.crawl_all(plan(), on_crawled, SILENT)
    return findings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Probe sources; one JSON finding per line (see probe_sources).")
    parser.add_argument("names", nargs="*", help="spiders (default: all)")
    parser.add_argument("--timeout", type=float, help="seconds to wait for each answer")
    args = parser.parse_args(argv)
    known = engine.spider_names()
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"no spider named {', '.join(unknown)}; spiders: {', '.join(known)}")
    for finding in run_probes(args.names or known, args.timeout):
        print(json.dumps(finding, ensure_ascii=False))


if __name__ == "__main__":
    main()
