"""Screening a file: `screen`, the `lists` it can use, and the `receipt` of every run. Glue only.

Like the other commands, each imports the matcher and databases when it runs, so
`chokepoint --help` stays instant. Commands that only read never create a database:
they open the private one with `open_existing` and the published one read-only.
(Watchlists, alerts and reviews: `pipeline.cli.watchlists`.)
"""

from __future__ import annotations

import json
import sys

import click

from pipeline.cli.options import allow_stale_option, db_option, private_db_option
from pipeline.cli.reporter import ConsoleReporter
from pipeline.csvout import csv_text
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
    "not_screened",
    "warnings",
)


def fail(error: Exception | str):
    """One line on stderr, exit 1."""
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
    help="Only these lists or sources, e.g. --lists SDN,EL or --lists csl (repeatable; `chokepoint lists` shows them).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one object per input row; csv: one row per candidate (formulas neutralised for spreadsheets).",
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
@allow_stale_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Screen on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786; "
    "start one with `dask scheduler` and `dask worker ADDRESS --nthreads 1`). Same output and receipt; "
    "default: in this process.",
)
@click.option(
    "--scheduler-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for the scheduler, and for a first worker to join it.",
)
def screen(
    file, db_path, private_db_path, lists, output_format, threshold, limit, allow_stale, scheduler, scheduler_timeout
):
    """Screen the counterparties in FILE against every list.

    FILE is a CSV with a `name` column and, optionally, `country`, `id` and
    `address` (UTF-8, UTF-16 with its byte-order mark, or Windows-1252). Prints
    every row of the file: the best candidate listings with a score (0-1), whether
    each is a match and why, or why the row could not be screened. A receipt of
    the run (list versions, input hash, results) is kept in the private database.
    Exits 1 when a list cannot be vouched for (see --allow-stale), no row could be read, or the --scheduler
    cannot be reached or loses the work (nothing is recorded then).
    """
    from pipeline.screening import run
    from pipeline.screening.spool import batches

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
            allow_stale=allow_stale,
            scheduler=scheduler,
            scheduler_timeout=scheduler_timeout,
        )
    except ScreeningError as error:
        fail(error)
    for warning in result.parsed.notices + result.parsed.problems + result.warnings:
        reporter.warn(warning)
    header = output_format == "csv"
    for batch in batches(result.in_file_order):  # read back from disk: results are never all in memory
        _print_rows(reporter, output_format, batch, result.warnings, header)
        header = False
    if header:  # no row at all: a CSV still has its header
        _print_rows(reporter, output_format, [], result.warnings, header)
    result.rows.close()
    if result.receipt_id is None:
        reporter.error(
            f"nothing screened: all {len(result.parsed.skipped):,} row(s) of {result.parsed.path} were not read "
            "(reasons above)"
        )
        sys.exit(1)
    skipped = len(result.parsed.skipped)
    if result.coverage.not_crawled and result.coverage.lists is None:
        reporter.note(f"Never crawled, so not screened against: {', '.join(result.coverage.not_crawled)}")
    reporter.note(
        f"Screened {len(result.rows):,} of {result.parsed.file_rows:,} row(s) against {result.coverage.describe()}: "
        f"{result.matched:,} with a match{f', {skipped:,} not read (see above)' if skipped else ''}; "
        f"receipt {result.receipt_id} in {private_db_path}"
    )


def _print_rows(reporter: ConsoleReporter, output_format: str, rows, warnings: list[str], header: bool) -> None:
    if output_format == "json":
        for row in rows:
            reporter.out(json.dumps(_as_json(row, warnings), ensure_ascii=False))
    else:
        reporter.out_raw(_as_csv(rows, warnings, header))  # CSV's own CRLF line ends


def _as_json(row, warnings: list[str]) -> dict:
    from pipeline.screening.counterparties import NotRead

    if isinstance(row, NotRead):
        shown = {"row": row.row, "query": row.name, "country": row.country, "id": row.id, "not_screened": row.reason}
        shown["matches"] = []
    else:
        shown = {
            "row": row.row_number,
            "query": row.query.name,
            "country": row.query.country,
            "id": row.query.id,
            "matches": [m.as_dict() for m in row.matches],
        }
    if warnings:
        shown["warnings"] = warnings
    return shown


def _as_csv(rows, warnings: list[str], header: bool = True) -> str:
    """One CSV row per candidate (a row with no candidate, or not screened, gets one line with empty candidate columns)."""
    from pipeline.screening.counterparties import NotRead

    warned = " | ".join(warnings)
    empty_candidate = [""] * 9
    lines = []
    for row in rows:
        if isinstance(row, NotRead):
            lines.append([row.row, row.name, row.country, row.id, *empty_candidate, row.reason, warned])
            continue
        base = [row.row_number, row.query.name, row.query.country, row.query.id]
        if not row.matches:
            lines.append(base + empty_candidate + ["", warned])
        for m in row.matches:
            candidate = [m.name, m.alias, m.source, m.list_code, m.country, m.score, m.match, m.explanation]
            lines.append(base + candidate + [m.listing_id, "", warned])
    return csv_text(CSV_COLUMNS, lines, header)


@click.command("lists")
@db_option()
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
def lists_command(db_path, output):
    """Every list screening can use: its code (for `screen --lists`), name, source, parties, last successful crawl, status.

    A status other than `ok` (failing, stale) means `screen` refuses that list unless --allow-stale.
    """
    print_lists(ConsoleReporter(), db_path, output)


def print_lists(reporter: ConsoleReporter, db_path, output: str) -> None:
    """The lists table (also `chokepoint sources --lists`)."""
    from pipeline.screening import coverage
    from spiders.kit import clock

    try:
        rows, never = coverage.list_states(coverage.open_published(db_path), clock.now())
    except ScreeningError as error:
        fail(error)
    if not rows:
        fail(f"{db_path}: no listings yet; crawl a list first (`chokepoint crawl csl`)")
    if output == "json":
        for row in rows:
            reporter.out(json.dumps(row, ensure_ascii=False))
    else:
        header = ("list", "name", "source", "listings", "last success", "status")
        reporter.table(
            [header]
            + [
                (
                    row["list"],
                    row["name"],
                    row["source"],
                    f"{row['listings']:,}",
                    row["last_success"] or "never",
                    row["status"],
                )
                for row in rows
            ]
        )
    if never:
        reporter.note(f"Never crawled, so nothing of theirs is screened: {', '.join(never)}")


@click.command()
@click.argument("receipt_id", type=int, required=False)
@private_db_option()
def receipt(receipt_id, private_db_path):
    """Show screening receipt RECEIPT_ID as JSON (or list them all): lists and versions used, input hash,
    rows not read, warnings, results."""
    from pipeline.screening.private import receipts
    from pipeline.screening.private.database import open_existing

    reporter = ConsoleReporter()
    try:
        private = open_existing(private_db_path)
    except ScreeningError as error:
        fail(error)
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


COMMANDS = (screen, lists_command, receipt)
