"""`chokepoint crawl` and `chokepoint sources`: glue around pipeline.crawl and pipeline.monitoring."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.cli.options import (
    db_option,
    lock_timeout_option,
    open_db,
    parse_expect,
    private_db_option,
    replay_option,
)
from pipeline.cli.reporter import ConsoleReporter
from spiders.kit import clock


@click.command()
@click.argument("spider", required=False)
@click.option("--all", "crawl_all", is_flag=True, help="Crawl every source; carry on past failures.")
@click.option("--url", help="Crawl this URL (file://... or http://127.0.0.1:...) instead of the live source.")
@click.option("--since", help="Document streams: ask for documents published on or after this date (YYYY-MM-DD).")
@click.option("--full-text", is_flag=True, help="Document streams: also fetch each document's full text.")
@click.option(
    "--backfill-citations",
    is_flag=True,
    help="federal_register only: fetch the rules that Entity List, MEU, DPL and DTC listings cite "
    "and that are not stored yet (with their full text), so every citation resolves to its rule; "
    "exits 1 naming the citations the API did not answer.",
)
@click.option("--expect", help="Accept MIN:MAX items instead of the source's declared range (for small samples).")
@replay_option("Take each spider's response from this manifest of recorded files, not the live source.")
@click.option("--timeout", type=float, help="Seconds to wait for a source before failing (default 60).")
@click.option(
    "--accept-removals",
    is_flag=True,
    help="Let through a crawl that removes or rewrites more of a list than the guard allows "
    "(a real mass delisting or reformatting); recorded in crawl_runs.",
)
@lock_timeout_option
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's own log.")
@db_option()
@private_db_option()
def crawl(
    spider,
    crawl_all,
    url,
    since,
    full_text,
    backfill_citations,
    expect,
    manifest,
    timeout,
    accept_removals,
    lock_timeout,
    verbose,
    db_path,
    private_db_path,
):
    """Crawl SPIDER (or --all) and store what changed.

    A crawl that fails (source down, truncated, empty, changed shape, too few
    items, far fewer listings or values than stored) stores nothing and never
    marks a listing removed. `--all` carries on past failures and exits non-zero
    naming every source that failed. Crawls of one database take turns.
    """
    from pipeline.crawl import engine, registry
    from pipeline.crawl.lock import CrawlLocked
    from pipeline.crawl.run import run_crawls
    from pipeline.crawl.steps import post_crawl_steps

    names = engine.spider_names()
    if crawl_all == bool(spider):
        raise click.UsageError(f"name one spider or pass --all; spiders: {', '.join(names)}")
    if spider and spider not in names:
        raise click.UsageError(f"no spider named {spider!r}; spiders: {', '.join(names)}")
    if url and (crawl_all or manifest):
        raise click.UsageError("--url needs a single spider and no --replay")
    if spider and since and not engine.spider_class(spider).reads_since:
        raise click.UsageError(f"{spider} reads its whole source on every crawl: it takes no --since")
    args = {}
    if full_text:
        args["full_text"] = "true"
    if timeout:
        args["download_timeout"] = timeout
    if backfill_citations:
        if spider != "federal_register" or url or manifest or since:
            raise click.UsageError(
                "--backfill-citations goes with `crawl federal_register` alone (no --url, --replay, --since)"
            )
        db = open_db(db_path)
        backfill = _backfill_args(db, ConsoleReporter())
        if backfill is None:
            return
        args.update(backfill)
    requests = crawl_requests(names if crawl_all else [spider], manifest, url, parse_expect(expect))
    for request in requests:
        request.args.update(args)
        if since and engine.spider_class(request.spider).reads_since:  # with --all, the streams that ask by date
            request.args["since"] = since
        request.accept_removals = accept_removals
    reporter = ConsoleReporter()
    try:
        db = open_db(db_path)
        registry.register_sources(db)
        outcomes = run_crawls(
            db, requests, post_crawl_steps(private_db_path), reporter, verbose=verbose, lock_timeout=lock_timeout
        )
    except CrawlLocked as error:
        reporter.error(f"{db_path}: {error}")
        sys.exit(1)
    except Exception as error:  # one line, never a traceback (-v logs it)
        if verbose:
            raise
        reporter.error(f"crawl stopped: {type(error).__name__}: {error}")
        sys.exit(1)
    for outcome in outcomes:
        report_outcome(reporter, outcome)
    if backfill_citations and all(o.ok for o in outcomes):
        _report_backfill(db, reporter)
    failed = [o.spider for o in outcomes if not o.ok]
    if failed:
        reporter.error(f"{len(failed)} of {len(outcomes)} crawl(s) failed: {', '.join(failed)}")
        sys.exit(1)


def crawl_requests(names, manifest: Path | None = None, url: str | None = None, expect=None):
    """One request per spider: its recorded response from `manifest` (a spider missing there fails by
    name), else `url` or the live source."""
    from pipeline.crawl.model import CrawlRequest

    recorded = _load_replay(manifest) if manifest else {}
    requests = []
    for name in names:
        request = recorded.get(name) or CrawlRequest(name, url=url, expect=expect)
        if manifest and name not in recorded:
            request.unavailable = f"no recorded response in {manifest}"
        requests.append(request)
    return requests


def _backfill_args(db, reporter: ConsoleReporter) -> dict[str, str] | None:
    """The spider's arguments for the cited documents not stored yet, or None (saying why) when there are none."""
    from pipeline import store
    from pipeline.store import citations

    store.ensure_schema(db)
    plan = citations.backfill_plan(db)
    if plan.cited == 0:
        raise click.ClickException(
            "nothing to backfill: no active Entity List, MEU, DPL or DTC listing with a Federal Register "
            "citation is stored (crawl csl or bis_denied first)"
        )
    old = (
        f"; {len(plan.before_api)} are older than 1994, which the Federal Register API does not serve"
        if plan.before_api
        else ""
    )
    untexted = f" ({len(plan.untexted):,} without their text, fetched again for it)" if plan.untexted else ""
    reporter.note(f"{plan.cited:,} cited rule(s): {plan.resolved:,} already stored{untexted}{old}.")
    if not plan.requests:
        reporter.out("nothing to backfill: every citation the API can serve already resolves to a stored rule.")
        return None
    agencies = sorted({request.agency for request in plan.requests})
    cited = sorted({request.citation for request in plan.requests})
    years = sorted({c.year for c in cited})
    reporter.note(
        f"fetching {len(cited):,} cited document(s) from {', '.join(agencies)}: "
        f"one search per year ({len(years)}: {years[0]}-{years[-1]}), keeping the documents that cover a cited page."
    )
    return {"citations": ",".join(str(c) for c in cited), "agencies": ",".join(agencies)}


def _report_backfill(db, reporter: ConsoleReporter) -> None:
    """After a backfill: what still does not resolve, by name (never a quiet success)."""
    from pipeline.store import citations

    _report_passages(db, reporter)
    plan = citations.backfill_plan(db)
    if plan.untexted:
        shown = ", ".join(str(c) for c in plan.untexted[:10]) + (" ..." if len(plan.untexted) > 10 else "")
        reporter.warn(
            f"{len(plan.untexted):,} cited rule(s) stored without their text (the API's answer gave none): {shown}"
        )
    missing = plan.missing
    if missing:
        shown = ", ".join(str(c) for c in missing[:10]) + (" ..." if len(missing) > 10 else "")
        reporter.error(
            f"{len(missing):,} of {plan.cited:,} cited rule(s) still not found in the Federal Register API's answer: {shown}"
        )
        sys.exit(1)
    else:
        reporter.out(
            f"every one of the {plan.cited - len(plan.before_api):,} citations from 1994 on resolves to a stored rule."
        )


def _report_passages(db, reporter: ConsoleReporter) -> None:
    """How many citing parties the stored rule texts say something about (pipeline.linkage.passages)."""
    from pipeline.store import citations, passages

    found = passages.coverage(db, list(citations.LIST_AGENCIES))
    untexted = found["resolved"] - found["with_text"]
    reporter.out(
        f"why listed: {found['with_passage']:,} of {found['with_text']:,} citing parties have a passage in their "
        "rule's stored text" + (f"; {untexted:,} cite only rules stored without their text." if untexted else ".")
    )


def _load_replay(manifest: Path):
    from pipeline.crawl import replay

    try:
        return replay.load_manifest(manifest)
    except replay.ManifestError as error:
        raise click.ClickException(str(error)) from None


def report_outcome(reporter: ConsoleReporter, outcome) -> None:
    """One line per crawl (stdout when it landed, stderr when it failed), then a few of its warnings."""
    if outcome.ok:
        c = outcome.counts
        merged = outcome.items_seen - (c.added + c.modified + c.restored + c.unchanged)
        merged_note = f" ({merged} duplicate{'s' * (merged != 1)} merged)" if merged else ""
        reporter.out(
            f"{outcome.spider}: ok, {outcome.items_seen:,} items{merged_note}: "
            f"{c.added:,} added, {c.modified:,} modified, {c.removed:,} removed, {c.restored:,} restored, "
            f"{c.unchanged:,} unchanged in {outcome.seconds:.1f} s [run {outcome.run_id}]"
            + (f"; tagged and screened in {outcome.after_seconds:.1f} s" if outcome.after_seconds >= 0.1 else "")
        )
    else:
        reporter.note(f"{outcome.spider}: FAILED [run {outcome.run_id}]: {outcome.error}")
    warnings = outcome.all_warnings
    if warnings:
        reporter.note(f"  {len(warnings)} warning(s), e.g.:")
        for warning in warnings[:3]:
            reporter.note(f"    {warning}")


@click.command()
@db_option()
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--check", is_flag=True, help="Exit non-zero when a source is failing, blocked or stale (for monitoring)."
)
@click.option("--lists", "show_lists", is_flag=True, help="The lists instead, as `chokepoint lists` shows them.")
@click.option(
    "--probe",
    is_flag=True,
    help="Fetch the first page (or first bytes) of every source's live URL now and judge it: "
    "ok, moved, blocked, changed shape or unreachable. Stores nothing.",
)
def sources(db_path, output, check, show_lists, probe):
    """Every source: kind, jurisdiction, live URL, last success and failure, items, last change.

    Reads the database; without one, shows the declared sources, none crawled (and creates nothing).
    With --probe, what each source's live URL answers right now instead.
    """
    from sqlite_utils import Database

    from pipeline import monitoring
    from pipeline.cli.screening import print_lists
    from pipeline.crawl import registry
    from pipeline.crawl.lock import mark_interrupted_runs

    reporter = ConsoleReporter()
    if show_lists:
        print_lists(reporter, db_path, output)
        return
    if probe:
        _probe(reporter, output, check)
        return
    now = clock.now()
    if db_path.exists():
        db = open_db(db_path)
    else:
        reporter.note(f"no database at {db_path} yet: no source has been crawled")
        db = Database(memory=True)
    registry.register_sources(db)
    mark_interrupted_runs(db, now)
    rows = monitoring.source_report(db, now)
    if output == "json":
        for row in rows:
            reporter.out(json.dumps(row, ensure_ascii=False))
    else:
        _print_sources(reporter, rows, now)
    troubled = [row["spider"] for row in rows if row["status"] in ("failing", "blocked") or row["stale"]]
    if check and troubled:
        reporter.error(f"failing, blocked or stale: {', '.join(troubled)}")
        sys.exit(1)


def _probe(reporter: ConsoleReporter, output: str, check: bool) -> None:
    from pipeline.crawl import engine
    from pipeline.crawl.probe import ProbeFailed, probe_sources

    reporter.note(f"probing {len(engine.spider_names())} sources' live URLs (nothing is stored)")
    try:
        results = probe_sources()
    except ProbeFailed as error:
        raise click.ClickException(str(error)) from None
    if output == "json":
        for result in results:
            reporter.out(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        table = [("spider", "probe", "detail")] + [(r.spider, r.status, _shorten(r.detail, 160)) for r in results]
        reporter.table(table)
    troubled = [result.spider for result in results if not result.ok]
    if check and troubled:
        reporter.error(f"not ok: {', '.join(troubled)}")
        sys.exit(1)


def _print_sources(reporter: ConsoleReporter, rows, now: str) -> None:
    from pipeline.monitoring import ago

    table = [("spider", "kind", "juris.", "status", "last success", "last failure", "items", "last change", "live URL")]
    for row in rows:
        status = row["status"] + (" (stale)" if row["stale"] and row["status"] != "never crawled" else "")
        table.append(
            (
                row["spider"],
                row["kind"],
                row["jurisdiction"],
                status,
                ago(row["last_success"], now),
                ago(row["last_failure"], now),
                f"{row['item_count']:,}",
                ago(row["last_changed"], now),
                _shorten(row["live_url"], 60),
            )
        )
    reporter.table(table)
    for row in rows:
        if row["status"] in ("failing", "blocked"):
            reporter.note(f"{row['spider']}: last error: {row['last_error']}")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


COMMANDS = (crawl, sources)
