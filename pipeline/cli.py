"""The `chokepoint` command: one click group, each command a few lines of glue."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from spiders.kit import clock
from pipeline.paths import DEFAULT_DB, DEFAULT_PRIVATE_DB, DEMO_DB, DEMO_PRIVATE_DB

# Commands import their parts (Scrapy, Datasette, sqlite-utils) when they run, so `--help` answers at once.


def db_option(default: Path = DEFAULT_DB):
    return click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=default,
                        show_default=True, help="SQLite database to use.")


def private_db_option(default: Path = DEFAULT_PRIVATE_DB):
    return click.option("--private-db", "private_db_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=default, show_default=True,
                        help="Private database (watchlists, alerts); never published.")


def open_db(path: Path):
    from sqlite_utils import Database

    path.parent.mkdir(parents=True, exist_ok=True)
    return Database(path)


def parse_expect(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        low, high = (int(part) for part in value.split(":"))
    except ValueError:
        raise click.BadParameter("use MIN:MAX, e.g. 10:50") from None
    return low, high


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chokepoint")
def cli():
    """Track export controls, sanctions lists and trade-defence measures.

    Crawl government sources, record what changed since the last run, and
    publish it all as a searchable Datasette site.
    """


@cli.command()
@click.argument("spider", required=False)
@click.option("--all", "crawl_all", is_flag=True, help="Crawl every source; carry on past failures.")
@click.option("--url", help="Crawl this URL (file://... or http://127.0.0.1:...) instead of the live source.")
@click.option("--since", help="Document streams: ask for documents published on or after this date (YYYY-MM-DD).")
@click.option("--full-text", is_flag=True, help="Document streams: also fetch each document's full text.")
@click.option("--expect", help="Accept MIN:MAX items instead of the source's declared range (for small samples).")
@click.option("--replay", "manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="Take each spider's response from this manifest of recorded files, not the live source.")
@click.option("--timeout", type=float, help="Seconds to wait for a source before failing (default 60).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's own log.")
@db_option()
@private_db_option()
def crawl(spider, crawl_all, url, since, full_text, expect, manifest, timeout, verbose, db_path, private_db_path):
    """Crawl SPIDER (or --all) and store what changed.

    A crawl that fails (source down, truncated, empty, changed shape, too few
    items) stores nothing and never marks a listing removed. `--all` carries on
    past failures and exits non-zero naming every source that failed.
    """
    from pipeline import postcrawl, runner
    from pipeline import sources as sources_module

    names = runner.spider_names()
    if crawl_all == bool(spider):
        raise click.UsageError(f"name one spider or pass --all; spiders: {', '.join(names)}")
    if spider and spider not in names:
        raise click.UsageError(f"no spider named {spider!r}; spiders: {', '.join(names)}")
    if url and (crawl_all or manifest):
        raise click.UsageError("--url needs a single spider and no --replay")
    if spider and since and not runner.spider_class(spider).reads_since:
        raise click.UsageError(f"{spider} reads its whole source on every crawl: it takes no --since")
    args = {}
    if full_text:
        args["full_text"] = "true"
    if timeout:
        args["download_timeout"] = timeout
    recorded = _load_replay(manifest) if manifest else {}
    requests = []
    for name in names if crawl_all else [spider]:
        request = recorded.get(name) or runner.CrawlRequest(name, url=url, expect=parse_expect(expect))
        if manifest and name not in recorded:
            request.unavailable = f"no recorded response in {manifest}"
        request.args.update(args)
        if since and runner.spider_class(name).reads_since:  # with --all, the streams that ask by date
            request.args["since"] = since
        requests.append(request)
    db = open_db(db_path)
    sources_module.register_sources(db)
    outcomes = runner.run_crawls(db, requests, progress=_show_progress,
                                 after_apply=postcrawl.steps(private_db_path, _TagProgress()), verbose=verbose)
    for outcome in outcomes:
        _report(outcome)
    failed = [o.spider for o in outcomes if not o.ok]
    if failed:
        click.echo(f"Error: {len(failed)} of {len(outcomes)} crawl(s) failed: {', '.join(failed)}", err=True)
        sys.exit(1)


def _load_replay(manifest: Path):
    from pipeline import replay

    try:
        return replay.load_manifest(manifest)
    except replay.ManifestError as error:
        raise click.ClickException(str(error)) from None


def _show_progress(spider: str, items: int) -> None:
    click.echo(f"  {spider}: {items:,} items so far…", err=True)


class _TagProgress:
    """Tagging a whole new list takes a while: say how far it got, at most once a second."""

    def __init__(self):
        self._last = 0.0

    def __call__(self, table: str, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if done == total or now - self._last >= 1.0:
            self._last = now
            click.echo(f"  tagging {table}: {done:,}/{total:,}…", err=True)


def _report(outcome) -> None:
    if outcome.ok:
        c = outcome.counts
        merged = outcome.items_seen - (c.added + c.modified + c.restored + c.unchanged)
        merged_note = f" ({merged} duplicate{'s' * (merged != 1)} merged)" if merged else ""
        click.echo(f"{outcome.spider}: ok, {outcome.items_seen:,} items{merged_note}: "
                   f"{c.added:,} added, {c.modified:,} modified, {c.removed:,} removed, {c.restored:,} restored, "
                   f"{c.unchanged:,} unchanged in {outcome.seconds:.1f} s [run {outcome.run_id}]"
                   + (f"; tagged and screened in {outcome.after_seconds:.1f} s" if outcome.after_seconds >= 0.1 else ""))
    else:
        click.echo(f"{outcome.spider}: FAILED [run {outcome.run_id}]: {outcome.error}", err=True)
    if outcome.warnings:
        click.echo(f"  {len(outcome.warnings)} warning(s), e.g.:", err=True)
        for warning in outcome.warnings[:3]:
            click.echo(f"    {warning}", err=True)


@cli.command()
@db_option()
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--check", is_flag=True, help="Exit non-zero when a source is failing or stale (for monitoring).")
def sources(db_path, output, check):
    """Every source: kind, jurisdiction, live URL, last success and failure, items, last change."""
    from pipeline import sources as sources_module

    now = clock.now()
    rows = sources_module.health(open_db(db_path), now)
    if output == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        _print_sources(rows, now)
    troubled = [row["spider"] for row in rows if row["status"] == "failing" or row["stale"]]
    if check and troubled:
        click.echo(f"Error: failing or stale: {', '.join(troubled)}", err=True)
        sys.exit(1)


def _print_sources(rows, now: str) -> None:
    from pipeline.sources import ago

    table = [("spider", "kind", "juris.", "status", "last success", "last failure", "items", "last change", "live URL")]
    for row in rows:
        status = row["status"] + (" (stale)" if row["stale"] and row["status"] != "never crawled" else "")
        table.append((row["spider"], row["kind"], row["jurisdiction"], status, ago(row["last_success"], now),
                      ago(row["last_failure"], now), f"{row['item_count']:,}", ago(row["last_changed"], now),
                      _shorten(row["live_url"], 60)))
    widths = [max(len(str(line[i])) for line in table) for i in range(len(table[0]))]
    for line in table:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip())
    for row in rows:
        if row["status"] == "failing":
            click.echo(f"{row['spider']}: last error: {row['last_error']}", err=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cli.command()
@db_option()
@click.option("--port", default=8001, show_default=True, help="Port to listen on (127.0.0.1).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
def serve(db_path, port, host):
    """Serve the database as a Datasette site: search, facets, feeds."""
    if not db_path.exists():
        raise click.ClickException(f"{db_path} does not exist: run `chokepoint crawl` or `chokepoint demo` first")
    from pipeline import site

    site.serve(db_path, host=host, port=port)


@cli.command()
@db_option(default=DEMO_DB)
@private_db_option(default=DEMO_PRIVATE_DB)
@click.option("--port", default=8001, show_default=True, help="Port for the site.")
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
def demo(db_path, private_db_path, port, no_serve):
    """Build a database from the bundled sample responses and serve it (no network)."""
    from pipeline import demo as demo_module
    from pipeline import site

    outcomes = demo_module.build(db_path, private_db_path, progress=_show_progress)
    for outcome in outcomes:
        _report(outcome)
    if not all(o.ok for o in outcomes):
        raise click.ClickException("a bundled sample failed to crawl; see above")
    if no_serve:
        click.echo(f"Demo database ready: {db_path}")
        return
    click.echo(f"Serving {db_path} at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    for hint in demo_module.SEARCH_HINTS:
        click.echo(f"  try http://127.0.0.1:{port}{hint}")
    site.serve(db_path, host="127.0.0.1", port=port)


# Screening commands live in their own module; it uses the options defined above.
from pipeline.cli_screening import COMMANDS as SCREENING_COMMANDS  # noqa: E402

for _command in SCREENING_COMMANDS:
    cli.add_command(_command)

from pipeline import cli_classify  # noqa: E402  (registers after the group exists)

cli.add_command(cli_classify.classify)
cli.add_command(cli_classify.train_classifier)
cli.add_command(cli_classify.eval_classifier)
cli.add_command(cli_classify.reclassify)
