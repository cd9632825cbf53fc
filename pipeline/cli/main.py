"""The `chokepoint` click group; the commands live beside it, one module per part of the system."""

from __future__ import annotations

import click

from pipeline.cli import (
    classify,
    crawl,
    daily,
    digest,
    export,
    links,
    responses,
    screening,
    site,
    timeline,
    trends,
    watchlists,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chokepoint")
def cli():
    """Track export controls, sanctions lists and trade-defence measures.

    Crawl government sources, record what changed since the last run, and
    publish it all as a searchable Datasette site.
    """


for module in (crawl, site, export, screening, watchlists, classify, trends, links, responses, timeline, digest, daily):
    for command in module.COMMANDS:
        cli.add_command(command)
