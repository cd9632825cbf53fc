"""`chokepoint daily`: the day's job, in order, never beside another crawl of the same database.

Under the database's crawl lock (`pipeline.crawl.lock`, the one `chokepoint crawl` takes) for the
whole run: finish the post-crawl steps a killed run still owes (`finish_pending`), probe the live
sources (`pipeline.crawl.probe`), crawl every source (each landed crawl screens and tags what it
changed: the post-crawl steps), re-rank the measures' responses when a document is new or changed
(`pipeline.linkage.suggest`), then send the digests, whose source-status section names every
source that failed, was blocked or whose probe was not ok today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from pipeline import monitoring
from pipeline.crawl import registry
from pipeline.crawl.lock import DEFAULT_TIMEOUT, crawl_lock
from pipeline.crawl.model import CrawlOutcome, CrawlRequest
from pipeline.crawl.probe import ProbeFailed, probe_sources
from pipeline.crawl.run import finish_pending, run_crawls
from pipeline.crawl.steps import post_crawl_steps
from pipeline.digest.links import Site
from pipeline.digest.run import DigestRun, send_digests
from pipeline.report import SILENT, Reporter
from pipeline.screening.private.database import open_private
from spiders.kit import clock


def probe_live(requests: Sequence[CrawlRequest], reporter: Reporter) -> tuple[dict[str, str], str]:
    """Probe the sources crawled live today (not those replayed from files or given a URL).

    Returns ({source: what its probe found, when not ok}, a summary line). A probe that could not
    run at all names every live source, so the digest never reads as an all-clear it did not check.
    """
    live = [request.spider for request in requests if request.url is None and not request.unavailable]
    if not live:
        return {}, "probe: no live source to probe (every crawl reads recorded files or a given URL)"
    try:
        results = probe_sources(live)
    except ProbeFailed as error:
        reporter.note(str(error))
        return {name: str(error) for name in live}, f"probe: NOT RUN: {error}"
    found = {result.spider: f"{result.status}: {result.detail}" for result in results if not result.ok}
    line = f"probe: {len(results)} live sources, {len(results) - len(found)} ok"
    return found, line + (f", not ok: {', '.join(sorted(found))}" if found else "")


@dataclass
class DailyResult:
    outcomes: list[CrawlOutcome] = field(default_factory=list)
    digest: DigestRun = field(default_factory=DigestRun)
    lines: list[str] = field(default_factory=list)  # one summary line per step
    ranking_error: str | None = None  # why the responses could not be re-ranked, when a document changed

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
    since: str | None = None,
    probe: bool = True,
    lock_timeout: float = DEFAULT_TIMEOUT,
    reporter: Reporter = SILENT,
) -> DailyResult:
    """Finish owed work → probe → crawl → tag → screen → rank responses → digest, all under the crawl lock; the digest
    goes out whatever the crawls did. Raises CrawlLocked when another crawl holds the database too long."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with crawl_lock(db_path, lock_timeout, reporter):
        db = Database(db_path)
        registry.register_sources(db)
        steps = post_crawl_steps(private_db_path)
        result = DailyResult()
        finished = finish_pending(db, steps, reporter)
        if finished:
            result.lines.append(f"finish: post-crawl steps of {len(finished)} interrupted run(s) finished")
        probes, probe_line = probe_live(requests, reporter) if probe else ({}, "probe: skipped (--no-probe)")
        result.lines.append(probe_line)
        result.outcomes = run_crawls(db, requests, steps, reporter, lock_timeout=lock_timeout)
        result.lines += [_crawl_line(result.outcomes), _tag_line(result.outcomes), _screen_line(result.outcomes)]
        line, result.ranking_error = _rank_responses(db, result.outcomes, reporter)
        result.lines.append(line)
        health = monitoring.source_report(db, clock.now())
        result.digest = send_digests(
            db,
            open_private(private_db_path),
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


def _rank_responses(db: Database, outcomes: list[CrawlOutcome], reporter: Reporter) -> tuple[str, str | None]:
    """Re-rank the measures' responses when a crawl landed a new or changed document (people's decisions kept):
    its summary line, and why it could not run (the digest still goes out; the command then exits 1)."""
    changed = sum(
        o.counts.added + o.counts.modified + o.counts.restored
        for o in outcomes
        if o.ok and o.kind == "documents" and o.counts
    )
    if not changed:
        return "responses: not re-ranked (no new or changed document)", None
    from pipeline.linkage.suggest import RankingUnavailable, update_suggestions

    try:
        ranked = update_suggestions(db, clock.now(), reporter=reporter)
    except RankingUnavailable as error:
        return f"responses: NOT re-ranked: {error}", str(error)
    return f"responses: {ranked.suggested:,} suggested over {ranked.measures:,} measures", None


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
