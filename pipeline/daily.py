"""`chokepoint daily`: the day's job, in order, never two at once.

Probe the sources (issue 18's hook), crawl every source (each landed crawl screens and tags what it
changed: the post-crawl steps), then send the digests, whose source-status section names every
source that failed today. The whole run holds one lock (`daily_lock`).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
from pipeline.report import SILENT, Reporter
from spiders.kit import clock


class AlreadyRunning(RuntimeError):
    """Another daily run holds the lock."""


@contextmanager
def daily_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block, or raise AlreadyRunning at once.

    An flock: the kernel releases it when the holder ends, however it ends, so a killed run never
    leaves a stale lock behind. The file keeps the holder's pid and start for the message.
    (Issue 11 adds a crawl lock; the two belong together, here.)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise AlreadyRunning(f"another `chokepoint daily` is running ({holder}; lock {path})") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {clock.now()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


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
        result.digest = send_digests(
            db,
            open_digest_db(private_db_path),
            outbox=outbox,
            health=health,
            site=site,
            since=since,
            probes=probes,
        )
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
