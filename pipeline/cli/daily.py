"""`chokepoint daily`: glue around pipeline.daily (crawl every source, tag, screen, send the digests)."""

from __future__ import annotations

import sys

import click

from pipeline.cli.digest import report_deliveries
from pipeline.cli.options import (
    WHEN,
    db_option,
    lock_timeout_option,
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
    "--probe/--no-probe",
    default=True,
    show_default=True,
    help="Probe the live sources first (`chokepoint sources --probe`); a source not ok is named in every digest.",
)
@lock_timeout_option
@click.option("--since", type=WHEN, help="Start each subscriber's FIRST digest here rather than when they subscribed.")
@mail_options
@db_option()
@private_db_option()
def daily(
    manifest,
    probe,
    lock_timeout,
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

    Holds the database's crawl lock for the whole run (a crawl or digest started by hand waits its
    turn), finishing first what a killed run still owed. One summary line per step. Exits 1 when any
    source failed, a digest could not be sent or the measures' responses could not be re-ranked; the
    digests still go out, naming each failed source at the top.
    """
    from pipeline.cli.crawl import crawl_requests, report_outcome
    from pipeline.crawl import engine
    from pipeline.crawl.lock import CrawlLocked
    from pipeline.daily import run_daily

    reporter = ConsoleReporter()
    outbox = outbox_from(smtp_host, smtp_port, smtp_user, smtp_starttls, mail_from, dry_run)
    site = site_from(site_url)
    requests = crawl_requests(engine.spider_names(), manifest)
    try:
        result = run_daily(
            db_path,
            private_db_path,
            requests,
            outbox=outbox,
            site=site,
            since=since,
            probe=probe,
            lock_timeout=lock_timeout,
            reporter=reporter,
        )
    except CrawlLocked as error:
        raise click.ClickException(f"{db_path}: {error}") from None
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
    if result.ranking_error:
        problems.append(f"responses not re-ranked: {result.ranking_error}")
    if problems:
        reporter.error("; ".join(problems))
        sys.exit(1)


COMMANDS = (daily,)
