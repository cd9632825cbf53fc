"""`chokepoint trends` (new measures and listings per week or month) and `chokepoint surges` (early
warning). Glue only: the rules are in `pipeline.trends`. Both only read: the database is opened
read-only and never created; an empty or never-crawled one is an error, not a quiet trend."""

from __future__ import annotations

import json
from datetime import date, timedelta

import click

from pipeline.cli.options import db_option
from pipeline.cli.reporter import ConsoleReporter
from pipeline.csvout import csv_text

COUNTED = (
    "new measures are stored documents, counted on their publication date; new listings are counted on "
    "their listing date, or the day first seen when their list gave none and they came after its first crawl"
)


def fail(error: Exception | str):
    raise click.ClickException(str(error))


def _window(since: str | None, until: str | None, default_since: str) -> tuple[date, date, date]:
    from pipeline.trends.periods import BadWhen, parse_when
    from spiders.kit import clock

    today = clock.current().date()
    try:
        end = parse_when(until, today, end=True) if until else today
        start = parse_when(since or default_since, end if since is None else today)
    except BadWhen as error:
        raise click.BadParameter(str(error)) from None
    if start > end:
        raise click.BadParameter(f"--since {start} is after --until {end}")
    return start, end, today


def _read(db_path):
    from pipeline import trends
    from spiders.kit import clock

    try:
        return trends.read(trends.open_database(db_path), clock.now())
    except trends.NothingToCount as error:
        fail(error)


def _notes(reporter: ConsoleReporter, stored) -> None:
    for reason, number in sorted(stored.dated.not_counted.items()):
        if number:
            reporter.note(f"Not counted: {number:,} {reason}.")
    for warning in stored.warnings:
        reporter.warn(warning)


format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: a table; json: one object; csv: one row per line of the table (formulas neutralised).",
)
since_option = click.option(
    "--since", metavar="WHEN", help="First day: YYYY-MM-DD, YYYY-MM, YYYY, or 90d, 26w, 6m, 2y ago."
)
until_option = click.option("--until", metavar="WHEN", help="Last day (default: today), written like --since.")


@click.command()
@click.option(
    "--by",
    type=click.Choice(["industry", "dimension", "jurisdiction", "list"]),
    default="industry",
    show_default=True,
    help="Group by industry, rivalry dimension, issuing jurisdiction, or list (listings only).",
)
@since_option
@until_option
@click.option("--period", type=click.Choice(["week", "month"]), default="month", show_default=True)
@format_option
@db_option()
def trends(by, since, until, period, output_format, db_path):
    """New measures and new listings per week or month, by industry, dimension, jurisdiction or list.

    Reads what is stored (default window: the year to --until). A new measure is a stored
    document on its publication date; a new listing counts on its listing date, or on the day
    it was first seen if its list gives none and it arrived after the list's first crawl.
    Items left out, and sources never crawled or stale, are said on stderr.
    """
    from pipeline.trends import counts as tally

    start, end, _ = _window(since, until, "1y")
    reporter = ConsoleReporter()
    stored = _read(db_path)
    counts = tally.count(stored.dated.events, by, period, start, end)
    if output_format == "json":
        reporter.out(json.dumps(_as_json(counts, stored), ensure_ascii=False))
    elif output_format == "csv":
        columns = ("period", "start", by, "new_measures", "new_listings")
        rows = ((r.period, r.start.isoformat(), r.group or None, r.measures, r.listings) for r in counts.rows)
        reporter.out(csv_text(columns, rows).rstrip("\n"))
    else:
        header = (period, by, "new measures", "new listings")
        reporter.table(
            [header]
            + [
                (r.period, r.group or "-", r.measures if r.group else 0, r.listings if r.group else 0)
                for r in counts.rows
            ]
        )
    _notes(reporter, stored)
    several = " (an item with several labels counts under each)" if by in ("industry", "dimension") else ""
    reporter.note(
        f"Counted {counts.measures:,} new measures and {counts.listings:,} new listings from {start} to {end}, "
        f"per {period}, by {by}{several}: {COUNTED}."
    )
    if counts.left_out:
        reporter.note(f"{counts.left_out:,} new measures are on no list, so the list view leaves them out.")
    if not counts.measures and not counts.listings:
        days = sorted(event.day for event in stored.dated.events)
        span = f"stored items are dated from {days[0]} to {days[-1]}" if days else "no stored item has a usable date"
        reporter.warn(f"nothing new from {start} to {end}; {span}")


def _as_json(counts, stored) -> dict:
    return {
        "window": {"since": counts.since.isoformat(), "until": counts.until.isoformat()},
        "period": counts.period,
        "by": counts.by,
        "counted": {"new_measures": counts.measures, "new_listings": counts.listings, "rule": COUNTED},
        "not_counted": dict(sorted(stored.dated.not_counted.items())),
        "warnings": stored.warnings,
        "rows": [
            {
                "period": r.period,
                "start": r.start.isoformat(),
                counts.by: r.group,
                "new_measures": r.measures,
                "new_listings": r.listings,
            }
            for r in counts.rows
            if r.group
        ],
    }


SURGE_COLUMNS = ("week", "series", "kind", "count", "baseline", "baseline_weeks", "p_value", "reason", "items")


@click.command()
@since_option
@until_option
@format_option
@db_option()
def surges(since, until, output_format, db_path):
    """Weeks well above their own baseline: each industry in each jurisdiction, and each list.

    Tests every week from --since (default: four weeks ago) to --until against the
    series' trailing 26 weeks (negative-binomial test, p <= 0.01, at least 2 measures or
    listing days and three times the usual weekly rate), and says why each is a surge.
    Weeks with too little known history are listed as untested, never as quiet.
    """
    from pipeline import trends
    from spiders.kit import clock

    start, end, today = _window(since, until, "4w")
    reporter = ConsoleReporter()
    try:
        result, stored = trends.surges(trends.open_database(db_path), start, end, clock.now())
    except trends.NothingToCount as error:
        fail(error)
    found = result.surges
    if output_format == "json":
        for surge in found:
            reporter.out(json.dumps(_surge_json(surge), ensure_ascii=False))
    elif output_format == "csv":
        reporter.out(csv_text(SURGE_COLUMNS, (_surge_row(s) for s in found)).rstrip("\n"))
    else:
        for surge in found:
            reporter.out(f"{surge.reason}  [p = {surge.p_value:.1g}]")
            reporter.out(f"    {', '.join(surge.items)}")
    _notes(reporter, stored)
    for week in result.untested:
        reporter.warn(
            f"{week.series}: {week.count} in the week of {week.week} not judged: only {week.history_weeks} "
            f"week(s) of history stored before it (8 needed)"
        )
    first = start - timedelta(days=start.weekday())
    reporter.note(
        f"{len(found):,} surge(s) in the weeks from {first} to {end}, across {result.tested_series:,} series "
        f"(industry × jurisdiction for measures, lists for listings); {COUNTED}."
    )


def _surge_row(surge) -> tuple:
    return (
        surge.week.isoformat(),
        surge.series,
        surge.kind,
        surge.count,
        surge.baseline,
        surge.baseline_weeks,
        round(surge.p_value, 6),
        surge.reason,
        " ".join(surge.items),
    )


def _surge_json(surge) -> dict:
    row = dict(zip(SURGE_COLUMNS, _surge_row(surge)))
    row.update(
        items=list(surge.items),
        p_value=surge.p_value,
        industry=surge.industry,
        jurisdiction=surge.jurisdiction,
        list=surge.list,
    )
    return row


COMMANDS = (trends, surges)
