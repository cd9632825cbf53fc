"""`changes`, `subscribe`, `unsubscribe`, `subscriptions` and `digest`: glue around pipeline.store.changes and
pipeline.digest."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from classifier.labels import DIMENSIONS, INDUSTRIES
from pipeline.cli.options import (
    WHEN,
    db_option,
    existing_db,
    lock_timeout_option,
    mail_options,
    open_db,
    outbox_from,
    private_db_option,
    site_from,
)
from pipeline.cli.reporter import ConsoleReporter
from spiders.kit import clock

CHANGE_COLUMNS = (
    "id",
    "at",
    "run_id",
    "item_type",
    "kind",
    "source",
    "list_code",
    "jurisdiction",
    "publisher",
    "item_id",
    "name",
    "publication_date",
    "dimensions",
    "industries",
    "fields",
)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: --list EL,SDN --list DPL."""
    return tuple(dict.fromkeys(part.strip() for value in values for part in value.split(",") if part.strip()))


def _label_option(flag: str, name: str, labels: tuple[str, ...], what: str):
    return click.option(
        flag, name, multiple=True, type=click.Choice(labels), help=f"Only items tagged with these {what}."
    )


def filter_options(command):
    """What a reader follows, for `changes` and `subscribe` alike (each repeatable or comma-separated)."""
    for option in reversed(
        (
            click.option("--source", "sources", multiple=True, metavar="SPIDER", help="Only these sources."),
            click.option(
                "--list", "lists", multiple=True, metavar="CODE", help="Listings only on these lists (EL, SDN, ...)."
            ),
            click.option(
                "--jurisdiction",
                "jurisdictions",
                multiple=True,
                metavar="CODE",
                help="Only these jurisdictions (US, EU, CN, JP, UN...).",
            ),
            _label_option("--dimension", "dimensions", DIMENSIONS, "rivalry dimensions"),
            _label_option("--industry", "industries", INDUSTRIES, "industries"),
        )
    ):
        command = option(command)
    return command


def _filters(sources, lists, jurisdictions, dimensions, industries):
    from pipeline.crawl import engine
    from pipeline.store.changes import ChangeFilter

    sources, lists = _split(sources), _split(lists)
    unknown = [source for source in sources if source not in engine.spider_names()]
    if unknown:
        raise click.BadParameter(f"no source named {', '.join(unknown)}; sources: {', '.join(engine.spider_names())}")
    return ChangeFilter(
        sources=sources,
        lists=tuple(code.upper() for code in lists),
        jurisdictions=tuple(code.upper() for code in _split(jurisdictions)),
        dimensions=tuple(dimensions),
        industries=tuple(industries),
    )


@click.command()
@click.option(
    "--since", required=True, type=WHEN, help="From this moment: 2024-01-31, 2024-01-31T06:00:00Z, 36h, 7d, 2w."
)
@click.option("--until", type=WHEN, help="Up to (not including) this moment.")
@filter_options
@click.option("--format", "output", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@db_option()
def changes(since, until, sources, lists, jurisdictions, dimensions, industries, output, db_path):
    """Everything that changed in a window: new, modified, removed and restored listings, new and revised documents.

    The digest is built from exactly this. `--list` narrows listings only; a listing's jurisdiction
    is its source's. Items not tagged yet cannot be judged by --dimension or --industry: they are
    counted on stderr, never dropped silently.
    """
    from pipeline.store.changes import Window, changes_in

    reporter = ConsoleReporter()
    filters = _filters(sources, lists, jurisdictions, dimensions, industries)
    found = changes_in(open_db(existing_db(db_path)), Window(since=since, until=until), filters)
    if output == "json":
        for row in found.rows:
            reporter.out(json.dumps({k: v for k, v in row.items() if k != "label_scores"}, ensure_ascii=False))
    elif output == "csv":
        reporter.out(_as_csv(found.rows).rstrip("\n"))
    else:
        _print_changes(reporter, found.rows)
    kinds = {}
    for row in found.rows:
        key = f"{row['item_type']}s {row['kind']}"
        kinds[key] = kinds.get(key, 0) + 1
    detail = ", ".join(f"{n:,} {key}" for key, n in sorted(kinds.items()))
    reporter.note(
        f"{len(found.rows):,} change(s) since {since}{f' until {until}' if until else ''}{f': {detail}' if detail else ''}"
    )
    if found.untagged:
        reporter.warn(
            f"{len(found.untagged):,} change(s) not tagged yet, so not judged by --dimension/--industry (run `chokepoint reclassify`)"
        )


def _print_changes(reporter: ConsoleReporter, rows) -> None:
    table = [("id", "at", "item", "kind", "source", "list", "name")]
    for row in rows:
        name = row["name"] or ""
        if row["item_type"] == "listing" and row["country"]:
            name += f" ({row['country']})"
        table.append(
            (str(row["id"]), row["at"], row["item_type"], row["kind"], row["source"], row["list_code"] or "", name)
        )
    reporter.table(table)


def _as_csv(rows) -> str:
    """Through the safe writer (pipeline.csvout): a listed name starting with '=' stays text in a spreadsheet."""
    from pipeline.csvout import csv_text

    return csv_text(
        CHANGE_COLUMNS,
        (
            [
                json.dumps(row[c], ensure_ascii=False) if isinstance(row[c], (list, dict)) else row[c]
                for c in CHANGE_COLUMNS
            ]
            for row in rows
        ),
    )


@click.command()
@click.argument("email")
@click.option("--name", help="Who it is for, e.g. a team's name (shown in the digest).")
@filter_options
@click.option("--watchlist", help="Exposure from this watchlist's alerts only (default: every watchlist).")
@click.option(
    "--confirm-empty", is_flag=True, help='Also send a daily "nothing changed" digest naming the sources checked.'
)
@db_option()
@private_db_option()
def subscribe(
    email,
    name,
    sources,
    lists,
    jurisdictions,
    dimensions,
    industries,
    watchlist,
    confirm_empty,
    db_path,
    private_db_path,
):
    """Subscribe EMAIL to the digest (or change what it follows). No filter: everything.

    Filters are the same as `chokepoint changes`. The first digest covers what changes after now
    (`chokepoint digest --since WHEN` starts it earlier).
    """
    from email.utils import parseaddr

    from pipeline.digest import subscriptions
    from pipeline.digest.exposure import latest_alert_id
    from pipeline.screening.errors import UnknownWatchlist
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_private
    from pipeline.store.changes import latest_change_id, lists_by_source

    reporter = ConsoleReporter()
    if parseaddr(email)[1] != email or "@" not in email:
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    filters = _filters(sources, lists, jurisdictions, dimensions, industries)
    private = open_private(private_db_path)
    if watchlist:
        try:
            watchlists.find(private, watchlist)
        except UnknownWatchlist as error:
            raise click.ClickException(str(error)) from None
    latest = 0
    if db_path.exists():
        db = open_db(db_path)
        latest = latest_change_id(db)
        known = {code for codes in lists_by_source(db).values() for code in codes}
        unknown = [code for code in filters.lists if code not in {k.upper() for k in known}]
        if unknown:
            raise click.BadParameter(
                f"no list {', '.join(unknown)} in {db_path}; lists: {', '.join(sorted(known)) or 'none yet'}"
            )
    elif filters.lists:
        reporter.warn(f"{db_path} does not exist yet: list codes {', '.join(filters.lists)} not checked")
    _check_jurisdictions(filters.jurisdictions)
    subscription, new = subscriptions.subscribe(
        private,
        email,
        name=name,
        filters=filters,
        watchlist=watchlist,
        confirm_empty=confirm_empty,
        latest_change_id=latest,
        latest_alert_id=latest_alert_id(private),
    )
    reporter.out(f"{'Subscribed' if new else 'Updated'} {email} [{subscription.id}]: {subscription.describe()}")


def _check_jurisdictions(jurisdictions: tuple[str, ...]) -> None:
    from pipeline.crawl.registry import declared_sources

    known = {fact["jurisdiction"].upper() for fact in declared_sources() if fact["jurisdiction"]}
    unknown = [code for code in jurisdictions if code not in known]
    if unknown:
        raise click.BadParameter(
            f"no source of jurisdiction {', '.join(unknown)}; jurisdictions: {', '.join(sorted(known))}"
        )


@click.command()
@click.argument("email")
@private_db_option()
def unsubscribe(email, private_db_path):
    """Stop sending EMAIL the digest (what it was sent stays in the sent log)."""
    from pipeline.digest import subscriptions
    from pipeline.screening.private.database import open_private

    try:
        subscriptions.unsubscribe(open_private(private_db_path), email)
    except subscriptions.UnknownSubscriber as error:
        raise click.ClickException(str(error)) from None
    ConsoleReporter().out(f"Unsubscribed {email}")


@click.command()
@private_db_option()
def subscriptions(private_db_path):
    """List the subscribers: what each follows, and their last digest."""
    from pipeline.digest import log
    from pipeline.digest import subscriptions as subscriptions_module
    from pipeline.screening.private.database import open_private

    reporter = ConsoleReporter()
    private = open_private(private_db_path)
    every = subscriptions_module.all_subscriptions(private)
    for subscription in every:
        place = log.place(private, subscription)
        last = "no digest yet" if place.first else f"last digest {place.since}"
        reporter.out(
            f"[{subscription.id}] {subscription.email}{f' ({subscription.name})' if subscription.name else ''}: "
            f"{subscription.describe()}{'; daily confirmation' if subscription.confirm_empty else ''}; {last}"
        )
    reporter.note(f"{len(every)} subscriber(s)")


def report_deliveries(reporter: ConsoleReporter, run, dry_run: Path | None) -> None:
    for delivery in run.deliveries:
        line = f"{delivery.email}: {delivery.status}{f': {delivery.detail}' if delivery.detail else ''}"
        (reporter.error if delivery.status == "failed" else reporter.out)(line)
    if dry_run:
        reporter.note(f"dry run: .eml files in {dry_run}; nothing sent, nothing recorded")


@click.command()
@click.option("--since", type=WHEN, help="Start each subscriber's FIRST digest here rather than when they subscribed.")
@lock_timeout_option
@mail_options
@db_option()
@private_db_option()
def digest(
    since,
    lock_timeout,
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
    """Send each subscriber one email with what changed since their last digest.

    Sections: your exposure (watchlist alerts), new and removed listings by list (with the rule
    that listed them), new measures and documents by dimension and industry, and source status,
    with any source that failed, was blocked or is stale named at the top. Each subscriber gets each
    change exactly once: a second run sends nothing new, a refused address is retried next run.
    Takes the database's crawl lock: it waits for a crawl (or another digest) to finish.
    """
    from pipeline import monitoring
    from pipeline.crawl import registry
    from pipeline.crawl.lock import CrawlLocked, crawl_lock
    from pipeline.digest.run import send_digests
    from pipeline.screening.private.database import open_private

    reporter = ConsoleReporter()
    outbox = outbox_from(smtp_host, smtp_port, smtp_user, smtp_starttls, mail_from, dry_run)
    site = site_from(site_url)
    db = open_db(existing_db(db_path))
    try:
        with crawl_lock(db_path, lock_timeout, reporter):
            registry.register_sources(db)
            health = monitoring.source_report(db, clock.now())
            private = open_private(private_db_path)
            run = send_digests(db, private, outbox=outbox, health=health, site=site, since=since)
    except CrawlLocked as error:
        raise click.ClickException(f"{db_path}: {error}") from None
    report_deliveries(reporter, run, dry_run)
    reporter.out(f"digest: {run.summary()}")
    if run.failed:
        sys.exit(1)


COMMANDS = (changes, subscribe, unsubscribe, subscriptions, digest)
