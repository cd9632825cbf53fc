"""`chokepoint daily`: the day's job, in order, never two at once.

Probe the sources (issue 18's hook), crawl every source (each landed crawl screens and tags what it
changed: the post-crawl steps), then send the digests, whose source-status section names every
source that failed today. The whole run holds one lock (`daily_lock`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from pipeline import monitoring
from pipeline.crawl import registry
from pipeline.crawl.model import CrawlOutcome, CrawlRequest
from pipeline.crawl.run import run_crawls
from pipeline.crawl.steps import post_crawl_steps
from pipeline.digest.links import Site
from pipeline.digest.run import DigestRun, send_digests
from pipeline.digest.tables import open_digest_db
from pipeline.locks import AlreadyRunning, exclusive
from pipeline.report import SILENT, Reporter
from spiders.kit import clock


def daily_lock(path: Path):
    """The daily run's lock (pipeline.locks): a second `chokepoint daily` exits at once, naming the first."""
    return exclusive(path, "chokepoint daily")


def probe_sources(db: Database, reporter: Reporter) -> dict[str, str]:
    """HOOK for issue 18: run `probe_sources()` (`chokepoint sources --probe`) here, first thing.

    Return {source: why its probe failed}; the digest names each such source at the top of every
    email and in its source-status section. Until issue 18 lands, nothing is probed.
    """
    return {}


@dataclass
class DailyResult:
    outcomes: list[CrawlOutcome] = field(default_factory=list)
    digest: DigestRun = field(default_factory=DigestRun)
    lines: list[str] = field(default_factory=list)  # one summary line per step
    digest_error: str | None = None  # why no digest was sent at all

    @property
    def failed_sources(self) -> list[str]:
        return [outcome.spider for outcome in self.outcomes if not outcome.ok]


def run_daily(
    db_path: Path,
    private_db_path: Path,
    requests: Sequence[CrawlRequest],
    *,
    outbox,
    site: Site,
    lock_path: Path,
    since: str | None = None,
    reporter: Reporter = SILENT,
) -> DailyResult:
    """Crawl → tag → screen → digest under the lock; the digest goes out whatever the crawls did."""
    with daily_lock(lock_path):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(db_path)
        registry.register_sources(db)
        probes = probe_sources(db, reporter)
        result = DailyResult(outcomes=run_crawls(db, requests, post_crawl_steps(private_db_path), reporter))
        result.lines += [_crawl_line(result.outcomes), _tag_line(result.outcomes), _screen_line(result.outcomes)]
        health = monitoring.source_report(db, clock.now())
        try:
            result.digest = send_digests(
                db,
                open_digest_db(private_db_path),
                outbox=outbox,
                health=health,
                site=site,
                since=since,
                probes=probes,
            )
        except AlreadyRunning as error:  # a `chokepoint digest` started by hand: this one sends nothing
            result.digest_error = str(error)
            result.lines.append(f"digest: NOT SENT: {error}")
        else:
            result.lines.append(f"digest: {result.digest.summary()}")
    return result


def _crawl_line(outcomes: list[CrawlOutcome]) -> str:
    landed = [o for o in outcomes if o.ok]
    failed = [o.spider for o in outcomes if not o.ok]
    totals = {
        kind: sum(getattr(o.counts, kind) for o in landed) for kind in ("added", "modified", "removed", "restored")
    }
    line = f"crawl: {len(outcomes)} sources, {len(landed)} ok, {len(failed)} failed"
    line += f" ({', '.join(failed)})" if failed else ""
    return line + ": " + ", ".join(f"{n:,} {kind}" for kind, n in totals.items())


def _steps(outcomes: list[CrawlOutcome], name: str) -> list:
    return [step for outcome in outcomes for step in outcome.steps if step.step == name]


def _tag_line(outcomes: list[CrawlOutcome]) -> str:
    steps = _steps(outcomes, "tagging")
    tagged = {table: sum(step.tagged.get(table, 0) for step in steps) for table in ("documents", "listings")}
    warnings = [warning for step in steps for warning in step.warnings]
    line = f"tag: {tagged['documents']:,} documents and {tagged['listings']:,} listings tagged"
    return line + (f"; {warnings[0]}" if warnings else "")


def _screen_line(outcomes: list[CrawlOutcome]) -> str:
    steps = [step for step in _steps(outcomes, "screening") if step.watchlists]
    if not steps:
        return "screen: no changed listing screened (no watchlist, or nothing changed)"
    changed = sum(step.changed for step in steps)
    watchlists = sorted({screened.watchlist for step in steps for screened in step.watchlists})
    new = sum(screened.counts.new for step in steps for screened in step.watchlists)
    return (
        f"screen: {changed:,} changed listings against {len(watchlists)} watchlist(s) "
        f"({', '.join(watchlists)}): {new} new alert(s)"
    )
