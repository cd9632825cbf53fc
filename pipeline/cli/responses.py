"""`chokepoint suggest-responses`, `chokepoint responses` and `chokepoint link`: measure ↔ countermeasure.

Glue only: the ranking is `pipeline.linkage.responses`, the tables `pipeline.store.responses`.
`responses` only reads (the database opened read-only); `suggest-responses` and `link` write.
"""

from __future__ import annotations

import json

import click

from pipeline.cli.options import db_option, existing_db, reviewer_name
from pipeline.cli.reporter import ConsoleReporter


def _writable(db_path):
    from sqlite_utils import Database

    from pipeline.store import ensure_schema

    db = Database(existing_db(db_path))
    ensure_schema(db)
    return db


@click.command("suggest-responses")
@click.option(
    "--window",
    type=click.IntRange(1, 3650),
    default=120,
    show_default=True,
    help="Days after a measure in which another government's measure counts as a candidate response.",
)
@db_option()
def suggest_responses(window, db_path):
    """Rank every stored measure's candidate responses and store the best five of each.

    A candidate is a measure of another government published from 10 days before to
    WINDOW days after it. Scores come from the classifier's multilingual embeddings
    (similar subject), the governments each text names, shared tags and parties, and
    timing. Decisions people made with `chokepoint link` are kept: a confirmed response
    stays, a rejected one is never suggested again. Run it after crawls (the tags it
    reads are set when a crawl lands); same database, same suggestions.
    """
    from pipeline.linkage.suggest import RankingUnavailable, update_suggestions
    from spiders.kit import clock

    db = _writable(db_path)
    reporter = ConsoleReporter()
    try:
        result = update_suggestions(db, clock.now(), window=window, reporter=reporter)
    except RankingUnavailable as error:
        raise click.ClickException(f"responses not ranked: {error}") from None
    if not result.measures:
        raise click.ClickException(
            f"{db_path}: no dated measure with a jurisdiction is stored, nothing to rank (crawl a source first)"
        )
    reporter.out(
        f"{result.measures:,} measures ranked (window {window} days): {result.suggested:,} suggestions stored; "
        f"{result.confirmed:,} confirmed and {result.rejected:,} rejected by people, kept."
    )


@click.command()
@click.argument("measure_id")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option()
def responses(measure_id, output_format, db_path):
    """The responses suggested or confirmed for MEASURE_ID, and what it responds to.

    MEASURE_ID is a stored document's id (eu_trade_defence:AS689, federal_register:2024-28270).
    Rejected pairs are not shown. Fails when suggestions were never computed
    (`chokepoint suggest-responses`); says so when the measure arrived after the last ranking,
    or is not ranked at all (no publication date, say).
    """
    from pipeline.store.dated import NoDatabase, open_read_only
    from pipeline.store.responses import last_ranking, measure, not_ranked_because, responses_of

    try:
        db = open_read_only(db_path)
    except NoDatabase as error:
        raise click.ClickException(str(error)) from None
    document = measure(db, measure_id)
    if document is None:
        raise click.ClickException(f"no stored document has id {measure_id!r}")
    ranking = last_ranking(db)
    if ranking is None:
        raise click.ClickException(f"{db_path}: responses were never ranked; run `chokepoint suggest-responses`")
    found = responses_of(db, measure_id)
    late = bool(document["first_seen"] and document["first_seen"] > ranking["at"])
    unranked = not_ranked_because(document)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "measure": document,
                    **found,
                    "ranking": ranking,
                    "stored_after_ranking": late,
                    "not_ranked": unranked,
                },
                indent=2,
                ensure_ascii=False,
                sort_keys=True,
            )
        )
        return
    reporter = ConsoleReporter()
    reporter.out(f"{document['id']} ({document['jurisdiction']}, {document['day']}): {document['title']}")
    for heading, rows in (("Responses", found["responses"]), ("In response to", found["in_response_to"])):
        reporter.out(f"{heading}: {len(rows) or 'none'}")
        for row in rows:
            score = "  -   " if row["score"] is None else f"{row['score']:.4f}"
            reporter.out(f"  {score}  {row['other_id']} ({row['jurisdiction']}, {row['day']}): {row['title']}")
            if row["explanation"]:
                reporter.out(f"          {row['explanation']}")
            reporter.out(f"          {_status(row)}")
    reporter.out(f"Ranked {ranking['at']} over {ranking['measures']:,} measures, window {ranking['window_days']} days.")
    if unranked:
        reporter.warn(f"{measure_id} is not ranked: {unranked}")
    elif late:
        reporter.warn(f"{measure_id} was stored after the last ranking: run `chokepoint suggest-responses`")


def _status(row) -> str:
    if row["status"] == "confirmed":
        note = f": {row['note']}" if row["note"] else ""
        return f"confirmed by {row['reviewer']} on {row['decided_at'][:10]}{note}"
    return "suggested (no person has confirmed it)"


@click.command()
@click.argument("measure_id")
@click.argument("response_id")
@click.option("--confirm", "decision", flag_value="confirmed", help="RESPONSE_ID is a response to MEASURE_ID.")
@click.option("--reject", "decision", flag_value="rejected", help="It is not; never suggest it again.")
@click.option("--note", default=None, help="Why (kept with the decision).")
@click.option(
    "--reviewer",
    "--by",
    "reviewer",
    default=None,
    help="Who decided (default: $CHOKEPOINT_REVIEWER, else your user name).",
)
@db_option()
def link(measure_id, response_id, decision, note, reviewer, db_path):
    """Confirm or reject RESPONSE_ID as a response to MEASURE_ID.

    The decision is in force at once, on the site and in `chokepoint responses`, and
    for good: re-ranking, re-crawling and rebuilding keep it. Every decision is kept;
    the newest on a pair is in force, so a later --confirm undoes a --reject.
    """
    from pipeline.store.responses import UnknownMeasure, record_decision
    from spiders.kit import clock

    if decision is None:
        raise click.UsageError("say --confirm or --reject")
    db = _writable(db_path)
    reviewer = reviewer_name(reviewer)
    try:
        decision_id = record_decision(
            db, measure_id, response_id, decision, (note or "").strip() or None, reviewer, clock.now()
        )
    except UnknownMeasure as error:
        raise click.ClickException(str(error)) from None
    ConsoleReporter().out(
        f"{response_id} {decision} as a response to {measure_id} by {reviewer} [decision {decision_id}]"
    )


COMMANDS = [suggest_responses, responses, link]
