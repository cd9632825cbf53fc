"""Screening commands: `screen`, `watchlist`, `alerts`, `review`, `receipt`. Glue only.

Like the other commands, each imports the matcher and databases when it runs, so
`chokepoint --help` stays instant.
"""

from __future__ import annotations

import csv
import getpass
import io
import json

import click

from pipeline.cli.options import db_option, private_db_option
from pipeline.cli.reporter import ConsoleReporter
from pipeline.screening.errors import ScreeningError
from pipeline.screening.match.settings import DEFAULT_LIMIT, DEFAULT_THRESHOLD

CSV_COLUMNS = (
    "row",
    "query",
    "country",
    "id",
    "name",
    "alias",
    "source",
    "list",
    "listed_country",
    "score",
    "match",
    "explanation",
    "listing_id",
)


def _fail(error: Exception):
    raise click.ClickException(str(error))


def _split_lists(values: tuple[str, ...]) -> list[str] | None:
    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    return codes or None


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@db_option()
@private_db_option()
@click.option(
    "--lists",
    "lists",
    multiple=True,
    metavar="CODES",
    help="Only these lists or sources, e.g. --lists SDN,EL or --lists csl (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one object per input row; csv: one row per candidate.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Score from which a candidate counts as a match.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 50),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Best candidate listings shown per row.",
)
def screen(file, db_path, private_db_path, lists, output_format, threshold, limit):
    """Screen the counterparties in FILE against every list.

    FILE is a CSV with a `name` column and, optionally, `country`, `id` and
    `address`. Prints the best candidate listings of each row with a score
    (0-1), whether it is a match, and why. A receipt of the run (list
    versions, input hash, results) is kept in the private database.
    """
    from pipeline.screening import run

    reporter = ConsoleReporter()
    try:
        result = run.screen_file(
            db_path,
            private_db_path,
            click.format_filename(file),
            _split_lists(lists),
            threshold=threshold,
            limit=limit,
            reporter=reporter,
        )
    except ScreeningError as error:
        _fail(error)
    for problem in result.problems:
        reporter.warn(problem)
    if output_format == "json":
        for row in result.rows:
            reporter.out(
                json.dumps(
                    {
                        "row": row.row_number,
                        "query": row.query.name,
                        "country": row.query.country,
                        "id": row.query.id,
                        "matches": [m.as_dict() for m in row.matches],
                    },
                    ensure_ascii=False,
                )
            )
    else:
        reporter.out(_as_csv(result.rows).rstrip("\n"))
    matched = sum(1 for row in result.rows if any(m.match for m in row.matches))
    reporter.note(
        f"Screened {len(result.rows):,} row(s) against {result.listings:,} listings: {matched:,} with a match"
        f"{f', {len(result.problems)} row(s) skipped' if result.problems else ''}; "
        f"receipt {result.receipt_id} in {private_db_path}"
    )


def _as_csv(rows) -> str:
    """One CSV row per candidate (a row with no candidate gets one line with empty candidate columns)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        base = [row.row_number, row.query.name, row.query.country or "", row.query.id or ""]
        if not row.matches:
            writer.writerow(base + [""] * (len(CSV_COLUMNS) - len(base)))
        for m in row.matches:
            writer.writerow(
                base
                + [
                    m.name,
                    m.alias,
                    m.source,
                    m.list_code,
                    m.country or "",
                    m.score,
                    str(m.match).lower(),
                    m.explanation,
                    m.listing_id,
                ]
            )
    return text.getvalue()


@click.group()
def watchlist():
    """Counterparty lists screened after every crawl (kept in the private database only)."""


@watchlist.command("add")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option()
@private_db_option()
def watchlist_add(name, file, db_path, private_db_path):
    """Store FILE as watchlist NAME (replacing its entries) and screen it against every listing now.

    From then on, every crawl screens the listings it added or changed against it
    and records hits as alerts (`chokepoint alerts`).
    """
    from pipeline.screening import run

    reporter = ConsoleReporter()
    try:
        problems, screened = run.add_watchlist(db_path, private_db_path, name, click.format_filename(file))
    except ScreeningError as error:
        _fail(error)
    for problem in problems:
        reporter.warn(problem)
    if screened is None:
        reporter.note(
            f"Watchlist {name!r} saved in {private_db_path}; {db_path} does not exist yet, so it will be "
            "screened after the next crawl"
        )
        return
    reporter.out(
        f"Watchlist {name!r}: {screened.queries:,} counterparties saved and screened: "
        f"{screened.counts.new} new alert(s), {screened.counts.suppressed} suppressed as reviewed "
        f"[receipt {screened.receipt_id}]"
    )


@watchlist.command("list")
@private_db_option()
def watchlist_list(private_db_path):
    """List the watchlists and how many counterparties each holds."""
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_private

    reporter = ConsoleReporter()
    for row in watchlists.all_watchlists(open_private(private_db_path)):
        reporter.out(
            f"{row['name']}\t{row['entries']:,} counterparties\tfrom {row['source_file']}\tupdated {row['updated']}"
        )


@watchlist.command("remove")
@click.argument("name")
@private_db_option()
def watchlist_remove(name, private_db_path):
    """Delete watchlist NAME with its alerts and reviews (receipts are kept)."""
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_private

    try:
        watchlists.remove(open_private(private_db_path), name)
    except ScreeningError as error:
        _fail(error)
    ConsoleReporter().out(f"Watchlist {name!r} removed")


@click.command()
@private_db_option()
@click.option(
    "--status",
    type=click.Choice(["open", "confirmed", "false_positive", "all"]),
    default="open",
    show_default=True,
    help="Which alerts to list.",
)
@click.option("--watchlist", "watchlist_name", help="Only this watchlist's alerts.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def alerts(private_db_path, status, watchlist_name, output_format):
    """List alerts: watchlisted counterparties that matched a listing."""
    from pipeline.screening.private import alerts as alerts_module
    from pipeline.screening.private import watchlists
    from pipeline.screening.private.database import open_private

    reporter = ConsoleReporter()
    private = open_private(private_db_path)
    try:
        watchlist_id = watchlists.find(private, watchlist_name)["id"] if watchlist_name else None
    except ScreeningError as error:
        _fail(error)
    rows = alerts_module.list_alerts(private, None if status == "all" else status, watchlist_id)
    for row in rows:
        if output_format == "json":
            reporter.out(json.dumps(row, ensure_ascii=False))
        else:
            reporter.out(
                f"[{row['id']}] {row['status']}: {row['counterparty']} ~ {row['listed_name']} "
                f"({row['source']} {row['list_code']}, score {row['score']:.2f}) in {row['watchlist']}: "
                f"{row['explanation']}"
            )
    if output_format == "text":
        reporter.note(f"{len(rows)} alert(s)")


@click.command()
@click.argument("alert_id", type=int)
@click.option(
    "--false-positive",
    "decision",
    flag_value="false_positive",
    help="Not the listed party: stays quiet until the listing changes materially.",
)
@click.option("--confirmed", "decision", flag_value="confirmed", help="The listed party: a true match.")
@click.option("--note", required=True, help="Why (kept with the decision for auditors).")
@click.option("--reviewer", default=lambda: getpass.getuser(), show_default="current user", help="Who decided.")
@private_db_option()
def review(alert_id, decision, note, reviewer, private_db_path):
    """Record a decision on alert ALERT_ID: --false-positive or --confirmed, with a --note."""
    from pipeline.screening.private import reviews
    from pipeline.screening.private.database import open_private

    if decision is None:
        raise click.UsageError("say --false-positive or --confirmed")
    try:
        review_id = reviews.review(open_private(private_db_path), alert_id, decision, note, reviewer)
    except ScreeningError as error:
        _fail(error)
    ConsoleReporter().out(f"Alert {alert_id}: {decision.replace('_', ' ')} by {reviewer} [review {review_id}]")


@click.command()
@click.argument("receipt_id", type=int, required=False)
@private_db_option()
def receipt(receipt_id, private_db_path):
    """Show screening receipt RECEIPT_ID as JSON (or list them all): lists and versions used, input hash, results."""
    from pipeline.screening.private import receipts
    from pipeline.screening.private.database import open_private

    reporter = ConsoleReporter()
    private = open_private(private_db_path)
    if receipt_id is None:
        for row in receipts.all_receipts(private):
            reporter.out(
                f"[{row['id']}] {row['started']} {row['kind']}: {row['input_name']}: "
                f"{row['queries']:,} screened, {row['matches']:,} match(es)"
            )
        return
    found = receipts.receipt(private, receipt_id)
    if found is None:
        raise click.ClickException(
            f"no receipt {receipt_id} in {private_db_path} (list them with `chokepoint receipt`)"
        )
    reporter.out(json.dumps(found, ensure_ascii=False, indent=2))


COMMANDS = (screen, watchlist, alerts, review, receipt)
