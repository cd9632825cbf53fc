"""Watchlists, the alerts they raise and the reviews of them: `watchlist`, `alerts`, `review`. Glue only.

Nothing a team entered is lost here: `watchlist add` keeps every version, `watchlist remove`
only stops the screening, and the commands that read open the private database with
`open_existing`, so a wrong path is an error, never an empty answer.
"""

from __future__ import annotations

import json

import click

from pipeline.cli.options import allow_stale_option, db_option, private_db_option, reviewer_name
from pipeline.cli.reporter import ConsoleReporter
from pipeline.cli.screening import fail
from pipeline.csvout import csv_text
from pipeline.screening.errors import ScreeningError

ALERT_CSV_COLUMNS = (
    "watchlist",
    "counterparty_id",
    "counterparty",
    "country",
    "alert",
    "kind",
    "status",
    "score",
    "source",
    "list",
    "listed_name",
    "alias",
    "listing_id",
    "raised",
    "updated",
    "delisted_on",
    "delisted_run_id",
    "explanation",
    "watchlist_removed",
)


@click.group()
def watchlist():
    """Counterparty lists screened after every crawl (kept in the private database only, every version kept)."""


@watchlist.command("add")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option()
@private_db_option()
@click.option(
    "--replace-with-fewer",
    is_flag=True,
    help="Replace the watchlist even when FILE gives fewer counterparties than it has rows (rows not read), "
    "or none. The replaced version is kept.",
)
@allow_stale_option
def watchlist_add(name, file, db_path, private_db_path, replace_with_fewer, allow_stale):
    """Save FILE as the new version of watchlist NAME and screen it against every listing now.

    From then on, every crawl screens the listings it added or changed against it
    and records hits as alerts (`chokepoint alerts`). Earlier versions stay
    (`chokepoint watchlist history NAME`). A file with rows that cannot be read
    does not replace a watchlist unless --replace-with-fewer.
    """
    from pipeline.screening import run

    reporter = ConsoleReporter()
    try:
        added = run.add_watchlist(
            db_path,
            private_db_path,
            name,
            click.format_filename(file),
            replace_with_fewer=replace_with_fewer,
            allow_stale=allow_stale,
        )
    except ScreeningError as error:
        for problem in getattr(error, "problems", ()):
            reporter.warn(problem)
        fail(error)
    for warning in added.parsed.notices + added.parsed.problems + added.warnings:
        reporter.warn(warning)
    version = f"version {added.version['version']}"
    if added.screened is None:
        reporter.note(
            f"Watchlist {name!r} ({version}, {added.watchlist['entries']:,} counterparties) saved in "
            f"{private_db_path}; not screened yet ({added.not_screened}): the next crawl screens it"
        )
        return
    screened = added.screened
    reporter.out(
        f"Watchlist {name!r}: {screened.queries:,} counterparties saved and screened ({version}): "
        f"{screened.counts.new} new alert(s), {screened.counts.suppressed} suppressed as reviewed "
        f"[receipt {screened.receipt_id}]"
    )


@watchlist.command("list")
@private_db_option()
def watchlist_list(private_db_path):
    """List the watchlists (removed ones marked): counterparties, file, version, last update."""
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_existing

    reporter = ConsoleReporter()
    try:
        private = open_existing(private_db_path)
    except ScreeningError as error:
        fail(error)
    for row in watchlists.all_watchlists(private, include_removed=True):
        number = watchlists.version(private, row["version_id"])["version"]
        removed = f"\tremoved {row['removed']}" if row["removed"] else ""
        reporter.out(
            f"{row['name']}\t{row['entries']:,} counterparties\tfrom {row['source_file']}\tversion {number}"
            f"\tupdated {row['updated']}{removed}"
        )


@watchlist.command("history")
@click.argument("name")
@click.option(
    "--version", "number", type=int, help="Print this version's counterparties as CSV (to read back with `add`)."
)
@private_db_option()
def watchlist_history(name, number, private_db_path):
    """Every version of watchlist NAME: when saved, from which file, how many counterparties and rows not read."""
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_existing

    reporter = ConsoleReporter()
    try:
        private = open_existing(private_db_path)
        if number is not None:
            rows = watchlists.version_entries(private, name, number)
            columns = ("row", "name", "country", "id", "address")
            lines = [(row, query.name, query.country, query.id, query.address) for row, query in rows]
            reporter.out(csv_text(columns, lines).rstrip("\n"))
            return
        versions = watchlists.history(private, name)
    except ScreeningError as error:
        fail(error)
    for row in versions:
        not_read = f"\t{len(row['not_read'])} row(s) not read" if row["not_read"] else ""
        reporter.out(
            f"v{row['version']}\t{row['entries']:,} counterparties of {row['file_rows']:,} row(s)\t{row['saved']}"
            f"\tfrom {row['source_file']}\tsha256 {row['input_sha256'][:12]}{not_read}"
            + ("\tcurrent" if row["current"] else "")
        )


@watchlist.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@private_db_option()
def watchlist_remove(name, yes, private_db_path):
    """Stop screening watchlist NAME. Its versions, alerts and reviews are kept for auditors, marked as
    belonging to a removed watchlist (`alerts --include-removed`); asks first unless --yes."""
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_existing

    try:
        private = open_existing(private_db_path)
        found = watchlists.find(private, name)
        if not yes:
            kept = watchlists.audit_counts(private, found["id"])
            click.confirm(
                f"Remove watchlist {name!r} ({found['entries']:,} counterparties, {kept['alerts']:,} alert(s), "
                f"{kept['reviews']:,} review(s))? It will no longer be screened; its versions, alerts and reviews "
                "stay for auditors",
                abort=True,
            )
        removed = watchlists.remove(private, name)
    except ScreeningError as error:
        fail(error)
    ConsoleReporter().out(f"Watchlist {name!r} removed on {removed['removed']}; its alerts and reviews are kept")


@click.command()
@private_db_option()
@click.option(
    "--status",
    type=click.Choice(["open", "confirmed", "false_positive", "all"]),
    default="open",
    show_default=True,
    help="Which alerts to list.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"]),
    help="Only alerts raised on or after this date (YYYY-MM-DD) or time (UTC).",
)
@click.option("--watchlist", "watchlist_name", help="Only this watchlist's alerts (removed or not).")
@click.option("--include-removed", is_flag=True, help="Also the alerts of removed watchlists.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="text: a block per counterparty; csv: a row per alert; json: an object per counterparty.",
)
def alerts(private_db_path, status, since, watchlist_name, include_removed, output_format):
    """Alerts per counterparty: each watchlisted counterparty (under its own id) with the listings it
    matched, and the ones removed from a list since ("delisted")."""
    from pipeline.screening.private import alerts as alerts_module
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_existing

    reporter = ConsoleReporter()
    try:
        private = open_existing(private_db_path)
        if watchlist_name:
            watchlists.find(private, watchlist_name)
    except ScreeningError as error:
        fail(error)
    groups = alerts_module.alert_groups(
        private,
        since=since.strftime("%Y-%m-%dT%H:%M:%SZ") if since else None,
        status=None if status == "all" else status,
        watchlist=watchlist_name,
        include_removed=include_removed,
    )
    if output_format == "json":
        for group in groups:
            reporter.out(json.dumps(group.as_dict(), ensure_ascii=False))
    elif output_format == "csv":
        reporter.out(_alerts_csv(groups).rstrip("\n"))
    else:
        for group in groups:
            _print_group(reporter, group)
        count = sum(len(group.alerts) for group in groups)
        reporter.note(f"{count:,} alert(s) for {len(groups):,} counterparties")


def _print_group(reporter: ConsoleReporter, group) -> None:
    who = " ".join(part for part in (group.watchlist, group.counterparty_id, group.counterparty) if part)
    where = f" ({group.country})" if group.country else ""
    opened = sum(1 for alert in group.alerts if alert["status"] == "open")
    removed = f" [watchlist removed {group.watchlist_removed}]" if group.watchlist_removed else ""
    reporter.out(f"{who}{where}: {len(group.alerts)} alert(s), {opened} open{removed}")
    for alert in group.alerts:
        kind = " delisted" if alert["kind"] == "delisted" else ""
        delisted = (
            f"; listing removed {alert['delisted_on']} (crawl run {alert['delisted_run_id']})"
            if alert["delisted_on"]
            else ""
        )
        reporter.out(
            f"  [{alert['id']}] {alert['status']}{kind} {alert['score']:.2f} {alert['list_code']} {alert['listed_name']} "
            f"({alert['source']}), raised {alert['created'][:10]}: {alert['explanation']}{delisted}"
        )


def _alerts_csv(groups) -> str:
    from pipeline.screening.private.alerts import alert_fields

    lines = []
    for group in groups:
        for alert in group.alerts:
            shown = alert_fields(alert)
            lines.append(
                [group.watchlist, group.counterparty_id, group.counterparty, group.country, shown.pop("id")]
                + [shown[key] for key in ALERT_CSV_COLUMNS[5:-1]]
                + [group.watchlist_removed]
            )
    return csv_text(ALERT_CSV_COLUMNS, lines)


@click.command()
@click.argument("alert_id", type=int, required=False)
@click.option(
    "--all-for",
    "counterparty",
    metavar="COUNTERPARTY_ID",
    help="Every open alert of this counterparty (its id in the watchlist, e.g. V0001, or its name when it has none).",
)
@click.option("--watchlist", "watchlist_name", help="With --all-for: the watchlist, when the id is in several.")
@click.option(
    "--false-positive", is_flag=True, help="Not the listed party: stays quiet until the listing changes materially."
)
@click.option("--confirmed", is_flag=True, help="The listed party: a true match.")
@click.option("--note", required=True, help="Why (kept with the decision for auditors).")
@click.option(
    "--by",
    "--reviewer",
    "reviewer",
    help="Who decides (default: $CHOKEPOINT_REVIEWER, else the current user).",
)
@private_db_option()
def review(alert_id, counterparty, watchlist_name, false_positive, confirmed, note, reviewer, private_db_path):
    """Record a decision on alert ALERT_ID, or on every open alert of a counterparty (--all-for):
    --false-positive or --confirmed, with a --note."""
    from pipeline.screening.private import reviews
    from pipeline.screening.private.database import open_existing

    if false_positive and confirmed:
        raise click.UsageError("--confirmed and --false-positive contradict each other: pass one")
    if not (false_positive or confirmed):
        raise click.UsageError("say --false-positive or --confirmed")
    if (alert_id is None) == (counterparty is None):
        raise click.UsageError(
            "name an ALERT_ID or --all-for COUNTERPARTY_ID" + (", not both" if counterparty is not None else "")
        )
    if not note.strip():
        raise click.UsageError("--note must say why (it is kept with the decision for auditors)")
    decision = "false_positive" if false_positive else "confirmed"
    reviewer = reviewer_name(reviewer)
    reporter = ConsoleReporter()
    try:
        private = open_existing(private_db_path)
        if alert_id is not None:
            review_id = reviews.review(private, alert_id, decision, note.strip(), reviewer)
            reporter.out(f"Alert {alert_id}: {decision.replace('_', ' ')} by {reviewer} [review {review_id}]")
            return
        done = reviews.review_all_for(private, counterparty, decision, note.strip(), reviewer, watchlist_name)
    except ScreeningError as error:
        fail(error)
    ids = done.review_ids
    numbers = f"reviews {ids[0]}-{ids[-1]}" if len(ids) > 1 else f"review {ids[0]}"
    who = " ".join(part for part in (done.counterparty_id, done.counterparty) if part)
    reporter.out(
        f"{len(ids)} alert(s) of {who} in watchlist {done.watchlist!r}: "
        f"{decision.replace('_', ' ')} by {reviewer} [{numbers}]"
    )


COMMANDS = (watchlist, alerts, review)
