"""`chokepoint rule` (what one act did) and `chokepoint leadtimes` (inspection to publication to a list).

Glue only: the rules are in `pipeline.linkage`. Both only read; the database is opened
read-only and never created.
"""

from __future__ import annotations

import json
import textwrap

import click

from pipeline.cli.options import db_option
from pipeline.cli.reporter import ConsoleReporter


def _open(db_path):
    from pipeline.store.dated import NoDatabase, open_read_only

    try:
        return open_read_only(db_path)
    except NoDatabase as error:
        raise click.ClickException(str(error)) from None


@click.command()
@click.argument("rule")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option()
def rule(rule, output_format, db_path):
    """What one act did: the parties RULE added and revised, per list, and why each was listed.

    RULE is a Federal Register citation ("85 FR 83799", any page of the rule) or a
    document number ("2020-28052"). A listing is "added" by the rule when the rule is
    the first it cites, "revised" when it cites an earlier one too. Removals are not
    shown: a delisted row leaves the lists with its citations. When the rule's full
    text is stored, each party's line is followed by the paragraph of the text that
    names it ("why"), or says that none does.
    """
    from pipeline.linkage.passages import readable_quotes
    from pipeline.linkage.rules import UnknownRule, what_rule_did

    db = _open(db_path)
    try:
        report = what_rule_did(db, rule)
    except UnknownRule as error:
        raise click.ClickException(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(_as_json(report), indent=2, ensure_ascii=False, sort_keys=True))
        return
    reporter = ConsoleReporter()
    first, last = report.pages
    pages = f"{first}" + (f"-{last}" if last != first.page else "")
    doc = report.document
    if doc:
        reporter.out(f"{doc['document_number']}: {doc['title']}")
        reporter.out(f"  {doc.get('type') or 'document'}, published {doc['publication_date']}, {pages}")
        if doc.get("html_url"):
            reporter.out(f"  {doc['html_url']}")
        if not doc.get("has_text"):
            reporter.out(
                "  its full text is not stored, so no passage says why a party was listed "
                "(`chokepoint crawl federal_register --backfill-citations` fetches cited rules with their text)"
            )
    else:
        reporter.out(f"{first}: the rule is not stored (run `chokepoint crawl federal_register --backfill-citations`)")
    if not report.parties:
        reporter.out(f"No stored listing cites {pages}.")
        return
    for title, groups in (("added", report.added), ("revised", report.revised)):
        for code in sorted(groups):
            rows = groups[code]
            reporter.out(f"{code}: {len(rows)} {title} ({rows[0]['list_name'] or code})")
            for row in rows:
                removed = f"  [removed {row['removed_on'][:10]}]" if row["removed_on"] else ""
                country = f" ({row['country']})" if row["country"] else ""
                reporter.out(f"  {row['name']}{country}  cites {row['citation']}  [{row['id']}]{removed}")
                if doc and doc.get("has_text"):
                    why = readable_quotes(row["passage"] or "no paragraph of the stored text names this party")
                    reporter.out(
                        textwrap.fill(why, width=100, initial_indent="    why: ", subsequent_indent="         ")
                    )


def _as_json(report) -> dict:
    first, last = report.pages
    keep = ("id", "name", "list_code", "country", "citation", "removed_on", "passage")
    return {
        "asked": report.asked,
        "document": report.document,
        "volume": first.volume,
        "first_page": first.page,
        "last_page": last,
        "added": {code: [{k: r[k] for k in keep} for r in rows] for code, rows in sorted(report.added.items())},
        "revised": {code: [{k: r[k] for k in keep} for r in rows] for code, rows in sorted(report.revised.items())},
    }


@click.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--min-pairs",
    type=click.IntRange(1),
    default=5,
    show_default=True,
    help="Pairs an agency needs before its median is reported.",
)
@db_option()
def leadtimes(output_format, min_pairs, db_path):
    """Hours from public inspection to publication, and from publication to a list, per agency.

    Public inspection to publication: each filing stored beside its published version
    is one pair. Publication to a list: each listing that appeared after its source's
    first stored crawl, beside the Federal Register rule it cites, is one pair, measured
    to the crawl that first saw it (so no finer than the crawl schedule). Publication
    counts from the start of its day in Washington (the API gives the day, not the
    hour). An agency with at least --min-pairs pairs gets a median; the others are
    listed with their count. Fails when neither kind has a single pair.
    """
    from pipeline.linkage.leadtimes import appearance_times, lead_times
    from pipeline.store.links import appearance_pairs, inspection_pairs

    db = _open(db_path)
    found = lead_times(inspection_pairs(db), min_pairs)
    appeared = appearance_times(appearance_pairs(db), min_pairs)
    if not found.linked and not appeared.linked:
        raise click.ClickException(
            f"no lead time to report: {found.filings:,} public-inspection filing(s) stored, none with its "
            "published version stored (crawl federal_register_public_inspection and federal_register), and no "
            "listing that appeared after its source's first crawl cites a stored rule"
        )
    if output_format == "json":
        report = _lead_times_json(found, min_pairs)
        report["appearances"] = _lead_times_json(appeared, min_pairs)
        click.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    reporter = ConsoleReporter()
    reporter.out("Public inspection to publication in the Federal Register")
    reporter.out(f"{found.linked:,} of {found.filings:,} public-inspection filing(s) linked to their publication.")
    _print_agencies(reporter, found, min_pairs)
    reporter.out("")
    reporter.out("Publication to appearance on a list (until the crawl that first saw the listing)")
    reporter.out(
        f"{appeared.linked:,} listing(s) that appeared after their source's first crawl cite a stored rule"
        + ("." if appeared.linked else ": none to measure yet.")
    )
    if appeared.linked:
        _print_agencies(reporter, appeared, min_pairs)


def _lead_times_json(found, min_pairs: int) -> dict:
    return {
        "filings": found.filings,
        "linked": found.linked,
        "min_pairs": min_pairs,
        "agencies": [vars(a) for a in found.agencies],
        "unreadable": found.unreadable,
    }


def _print_agencies(reporter: ConsoleReporter, found, min_pairs: int) -> None:
    if found.reported:
        reporter.out(f"{'agency':45} {'pairs':>5} {'median h':>9} {'min h':>7} {'max h':>7}")
        for a in found.reported:
            reporter.out(
                f"{a.agency[:45]:45} {a.pairs:5} {a.median_hours:9.1f} {a.shortest_hours:7.1f} {a.longest_hours:7.1f}"
            )
    elif found.linked:
        reporter.out(f"No agency has {min_pairs} linked pairs yet: no median is reported.")
    if found.too_few:
        shown = ", ".join(f"{a.agency} ({a.pairs})" for a in found.too_few)
        reporter.out(f"Fewer than {min_pairs} pairs, no median: {shown}")
    if found.unreadable:
        reporter.warn(f"{len(found.unreadable)} pair(s) with unreadable times left out: {', '.join(found.unreadable)}")


COMMANDS = [rule, leadtimes]
