"""`chokepoint daily`: glue around pipeline.daily (crawl every source, tag, screen, send the digests)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.digest import report_deliveries
from pipeline.cli.options import (
    WHEN,
    db_option,
    mail_options,
    outbox_from,
    private_db_option,
    replay_option,
    site_from,
)
from pipeline.cli.reporter import ConsoleReporter


@click.command()
@replay_option("Crawl each source from this manifest of recorded files, not the live source.")
@click.option(
    "--lock",
    "lock_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lock file (default: daily.lock beside --db).",
)
@click.option("--since", type=WHEN, help="Start each subscriber's FIRST digest here rather than when they subscribed.")
@mail_options
@db_option()
@private_db_option()
def daily(
    manifest,
    lock_path,
    since,
    smtp_host,
    smtp_port,
    smtp_user,
    smtp_starttls,
    mail_from,
    site_url,
    dry_run,
    db_path,
    private_db_path,
):
    """The day's job: crawl every source (tagging and screening what changed), then send the digests.

    Never two at once (a lock). One summary line per step. Exits 1 when any source failed or a
    digest could not be sent; the digests still go out, naming each failed source at the top.
    """
    from pipeline.cli.crawl import crawl_requests, report_outcome
    from pipeline.crawl import engine
    from pipeline.daily import run_daily
    from pipeline.locks import AlreadyRunning

    reporter = ConsoleReporter()
    outbox = outbox_from(smtp_host, smtp_port, smtp_user, smtp_starttls, mail_from, dry_run)
    site = site_from(site_url, db_path)
    requests = crawl_requests(engine.spider_names(), manifest)
    try:
        result = run_daily(
            db_path,
            private_db_path,
            requests,
            outbox=outbox,
            site=site,
            lock_path=lock_path or db_path.parent / "daily.lock",
            since=since,
            reporter=reporter,
        )
    except AlreadyRunning as error:
        raise click.ClickException(str(error)) from None
    for outcome in result.outcomes:
        report_outcome(reporter, outcome)
    report_deliveries(reporter, result.digest, dry_run)
    for line in result.lines:
        reporter.out(line)
    problems = []
    if result.failed_sources:
        problems.append(f"{len(result.failed_sources)} source(s) failed: {', '.join(result.failed_sources)}")
    if result.digest.failed:
        problems.append(f"{len(result.digest.failed)} digest(s) not sent")
    if result.digest_error:
        problems.append("no digest sent")
    if problems:
        reporter.error("; ".join(problems))
        sys.exit(1)


COMMANDS = (daily,)
