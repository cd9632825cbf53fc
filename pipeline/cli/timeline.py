"""`chokepoint timeline`: the measures and listing actions about one party, industry or dimension, in date
order, one lane per jurisdiction. Glue only: the timeline is built by `pipeline.linkage.timeline`.
Only reads: the database is opened read-only and never created."""

from __future__ import annotations

import json

import click

from pipeline.cli.options import db_option
from pipeline.cli.reporter import ConsoleReporter

MARK, LANE = "●", "│"


@click.command()
@click.option("--party", metavar="LISTING_ID", help="A listed party, by its id (csl:EL:..., as on its page).")
@click.option("--industry", metavar="ID", help="An industry of the taxonomy (semiconductors, critical_minerals...).")
@click.option(
    "--dimension", metavar="ID", help="A rivalry dimension (key_inputs, core_tech, partnerships, governance)."
)
@click.option(
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    metavar="CODE",
    help="Only entries from these jurisdictions (US, CN, EU, JP, UN...); repeatable or comma-separated.",
)
@click.option("--since", metavar="WHEN", help="First day: YYYY-MM-DD, YYYY-MM, YYYY, or 90d, 26w, 6m, 2y ago.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option()
def timeline(party, industry, dimension, jurisdictions, since, output_format, db_path):
    """Measures and listing actions about one party, industry or dimension, in date order, by jurisdiction.

    For a party: its listing and removal, the rules its entry cites, and the same for the
    parties linked to it (parent, subsidiary, shared address) or listed under its name on
    other lists. For an industry or a dimension: every document tagged with it and the
    listings tagged with it, one entry per list per day. Give exactly one of --party,
    --industry, --dimension. What could not be placed is said on stderr.
    """
    from pipeline.linkage.timeline import UnknownSubject, build
    from pipeline.store.dated import NoDatabase, open_read_only
    from pipeline.trends.periods import BadWhen, parse_when
    from spiders.kit import clock

    asked = [(name, value) for name, value in (("party", party), ("industry", industry), ("dimension", dimension))]
    given = [(name, value) for name, value in asked if value]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --party, --industry or --dimension")
    subject, value = given[0]
    try:
        start = parse_when(since, clock.current().date()) if since else None
    except BadWhen as error:
        raise click.BadParameter(str(error), param_hint="--since") from None
    codes = [code for text in jurisdictions for code in text.split(",")]
    try:
        found = build(open_read_only(db_path), subject, value, codes, start)
    except (NoDatabase, UnknownSubject) as error:
        raise click.ClickException(str(error)) from None
    reporter = ConsoleReporter()
    if output_format == "json":
        reporter.out(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
    else:
        for line in text_lines(found):
            reporter.out(line)
    for reason, number in sorted(found.left_out.items()):
        reporter.note(f"Not placed: {number:,} {reason}.")


def text_lines(found) -> list[str]:
    """The timeline as lines: a date, one column per jurisdiction (● where the entry is), then what happened."""
    from pipeline.linkage.timeline import nothing_found

    if not found.entries:
        return [nothing_found(found)]
    lanes = found.lanes
    width = max(len(lane) for lane in lanes)
    lines = [
        f"Timeline of {found.subject} {found.title}: {len(found.entries)} entries, lanes {', '.join(lanes)}",
        f"{'':10}  " + " ".join(lane.ljust(width) for lane in lanes),
    ]
    for entry in found.entries:
        cells = " ".join((MARK if lane == entry.jurisdiction else LANE).ljust(width) for lane in lanes)
        lines.append(f"{entry.day.isoformat()}  {cells}  {_what(entry)}")
    lines.append(f"Checked: {'; '.join(found.checked)}.")
    return lines


def _what(entry) -> str:
    if entry.kind in ("measure", "response"):
        text = f"{entry.kind}: {entry.title} ({entry.publisher or entry.source})"
    elif entry.parties > 1:
        text = entry.title
    else:
        verb = "listed on" if entry.kind == "listed" else "removed from"
        text = f"{entry.title}, {verb} {entry.list}"
        if entry.dated_by not in ("listing date", "removed"):
            text += f" ({entry.dated_by})"
    if entry.rules:
        text += "; cites " + ", ".join(rule.citation or rule.title or "" for rule in entry.rules)
    if entry.via:
        text += f" [{entry.via}]"
    return text + (f"  {entry.url}" if entry.url else "")


COMMANDS = (timeline,)
