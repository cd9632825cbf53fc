"""`chokepoint export`: the published database in the formats other tools read."""

from __future__ import annotations

import sys

import click

from pipeline.cli.options import db_option, existing_db
from pipeline.cli.reporter import ConsoleReporter


@click.command()
@db_option()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["ftm"]),
    default="ftm",
    show_default=True,
    help="ftm: FollowTheMoney entities, one JSON object a line (OpenSanctions, yente, Aleph).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    show_default=True,
    help="File to write (- for stdout).",
)
def export(db_path, format_, output):
    """Export every listing as a party with its sanction, and the rules that listed them.

    CSV and JSON of every table and query come from the site itself (the links under each table).
    """
    from sqlite_utils import Database

    from pipeline.export import ftm

    reporter = ConsoleReporter()
    db = Database(existing_db(db_path))
    if output == "-":
        counts = ftm.write(db, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            counts = ftm.write(db, handle)
    written = ", ".join(f"{n:,} {schema}" for schema, n in sorted(counts.schemas.items()))
    reporter.note(f"exported {sum(counts.schemas.values()):,} entities: {written}")
    for reason, n in sorted(counts.left_out.items()):
        reporter.note(f"left out {n:,} listing(s): {reason}")


COMMANDS = (export,)
