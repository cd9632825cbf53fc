"""Rows of a recorded Consolidated Screening List file, parsed by the real CSL spider and turned into
what the classifier reads, as a crawl would: shared by the classifier's bench scripts."""

from __future__ import annotations

from pathlib import Path

CSL_2022 = "csl/csl_consolidated_2022-05_full.csv"


def crawled_listings(path: Path) -> list[dict]:
    """Every row of the CSV as the CSL spider yields it, as a stored-row dict (list_code, entry_id, name...)."""
    from pipeline.store.records import to_row
    from spiders.csl.csl import CslSpider
    from spiders.kit.items import as_record
    from spiders.kit.offline import parse_items, response_for

    spider = CslSpider(url=path.resolve().as_uri())
    return [to_row(as_record(item)) for item in parse_items(spider, response_for(path.resolve()))]


def classifier_item(row: dict) -> dict:
    """What the classifier reads of a stored listing row: pipeline.tagging's text, plus its aliases."""
    from classifier.listing import aliases_of
    from pipeline.tagging import listing_input

    return {**listing_input(row), "aliases": aliases_of(row)}
