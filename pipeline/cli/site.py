"""`chokepoint serve` and `chokepoint demo`: the published site, and the bundled samples behind it."""

from __future__ import annotations

import click

from pipeline.cli.crawl import report_outcome
from pipeline.cli.options import DEMO_DB, DEMO_PRIVATE_DB, db_option, existing_db, private_db_option
from pipeline.cli.reporter import ConsoleReporter


@click.command()
@db_option()
@click.option("--port", default=8001, show_default=True, help="Port to listen on (127.0.0.1).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
def serve(db_path, port, host):
    """Serve the database as the site, read-only (immutable), always at /chokepoint/: what's new, search, feeds."""
    from pipeline import site

    try:
        site.serve(existing_db(db_path), host=host, port=port)
    except (site.PrivateDatabase, site.DatabaseBusy) as error:
        raise click.ClickException(str(error)) from None


@click.command()
@db_option(default=DEMO_DB)
@private_db_option(default=DEMO_PRIVATE_DB)
@click.option("--port", default=8001, show_default=True, help="Port for the site.")
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
def demo(db_path, private_db_path, port, no_serve):
    """Build a database from the bundled sample responses and serve it (no network)."""
    from pipeline import site
    from pipeline.crawl import demo as demo_module

    reporter = ConsoleReporter(log_progress=False)
    outcomes = demo_module.build(db_path, private_db_path, reporter)
    for outcome in outcomes:
        report_outcome(reporter, outcome)
    if not all(o.ok for o in outcomes):
        raise click.ClickException("a bundled sample failed to crawl; see above")
    from pipeline.linkage.suggest import RankingUnavailable

    try:
        ranked = demo_module.rank_responses(db_path, reporter)
    except RankingUnavailable as error:
        raise click.ClickException(f"responses not ranked: {error}") from None
    reporter.out(f"Responses: {ranked.suggested} suggested over {ranked.measures} measures")
    for line in _digest_recipe(db_path, private_db_path, port):
        reporter.out(line)
    if no_serve:
        reporter.out(f"Demo database ready: {db_path}")
        return
    reporter.out(f"Serving {db_path} at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    for hint in demo_module.SEARCH_HINTS:
        reporter.out(f"  try http://127.0.0.1:{port}{hint}")
    site.serve(db_path, host="127.0.0.1", port=port)


def _digest_recipe(db_path, private_db_path, port: int) -> list[str]:
    """How to receive the demo's digest by email: a local SMTP server that prints what it gets, a watchlist,
    a subscription, and the digest (its first one from today, when the demo's crawls were stored)."""
    import os
    import shlex
    import sys

    from pipeline.crawl.demo import SAMPLES_DIR
    from spiders.kit import clock

    def shown(path) -> str:
        relative = os.path.relpath(path)
        return shlex.quote(relative if not relative.startswith("..") else str(path))

    chokepoint = shown(sys.argv[0])
    databases = f"--db {shown(db_path)} --private-db {shown(private_db_path)}"
    return [
        "Receive this demo's digest by email, from a local SMTP server that prints what it gets:",
        f"  {shown(sys.executable)} -m aiosmtpd -n -l 127.0.0.1:8025 &",
        f"  {chokepoint} watchlist add suppliers {shown(SAMPLES_DIR / 'watchlist.csv')} {databases}",
        f"  {chokepoint} subscribe you@example.com {databases}",
        f"  {chokepoint} digest --since {clock.today()} --smtp-host 127.0.0.1 --smtp-port 8025 "
        f"--site-url http://127.0.0.1:{port} {databases}",
    ]


COMMANDS = (serve, demo)
