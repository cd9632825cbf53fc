"""Which stored items count as new, and on which day: the rules, pure, over the rows the store reads.

- A **new measure** is a stored document, counted on its **publication date**. A document
  number stored by several sources (a public-inspection filing and the published
  document; a CHIPS rule that is also in the Federal Register feed) counts once: the
  published copy wins over the public-inspection one. A document with no readable
  publication date (a withdrawn filing, an EU case file) is not counted, and said so.
- A **new listing** is a stored listing (removed ones too: they were new once), counted on
  its **listing date** (`start_date`, as the source gives it) or, where the source gives
  none, on the day it was **first seen**, but only if it arrived in a later crawl than its
  list's first: what a list held when it was first crawled was already listed, on a day we
  do not know, and counting it on the crawl's day would be a false wave.

Everything left out is counted by reason in `Dated.not_counted`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.trends.periods import parse_day

PUBLIC_INSPECTION = "federal_register_public_inspection"
MEASURE, LISTING = "measure", "listing"

NO_PUBLICATION_DATE = "document(s) with no readable publication date"
SAME_DOCUMENT = "copy/copies of a document already counted (same document number, e.g. its public-inspection filing)"
FIRST_CRAWL_UNDATED = "listing(s) that came with their list's first crawl and give no readable listing date"


@dataclass(frozen=True)
class Event:
    """One new measure or new listing, on the day it counts."""

    kind: str  # MEASURE or LISTING
    item_id: str
    source: str
    day: date
    dated_by: str  # "publication date", "listing date" or "first seen"
    jurisdiction: str | None
    list: str | None  # "csl:EL" (source:list code) for a listing; None for a measure
    dimensions: tuple[str, ...] | None  # None: not tagged yet
    industries: tuple[str, ...] | None
    title: str


@dataclass
class Dated:
    """The events, and how many stored items were left out, by reason."""

    events: list[Event] = field(default_factory=list)
    not_counted: Counter = field(default_factory=Counter)

    def of(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.kind == kind]


def _labels(cell: str | None) -> tuple[str, ...] | None:
    return None if cell is None else tuple(json.loads(cell))


def new_measures(rows: Iterable[dict[str, Any]], dated: Dated) -> None:
    """Add each document (row of `store.dated.documents`) that counts, once per document number."""
    by_number: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_number.setdefault(row["document_number"] or row["id"], []).append(row)
    for copies in by_number.values():
        # The published copy first; among several, the one stored by the Federal Register feed, then by id.
        copies.sort(key=lambda r: (r["source"] == PUBLIC_INSPECTION, r["source"] != "federal_register", r["id"]))
        row = copies[0]
        if len(copies) > 1:
            dated.not_counted[SAME_DOCUMENT] += len(copies) - 1
        day = parse_day(row["publication_date"])
        if day is None:
            dated.not_counted[NO_PUBLICATION_DATE] += 1
            continue
        dated.events.append(
            Event(
                MEASURE,
                row["id"],
                row["source"],
                day,
                "publication date",
                row["jurisdiction"],
                None,
                _labels(row["dimensions"]),
                _labels(row["industries"]),
                row["title"],
            )
        )


def new_listings(rows: Iterable[dict[str, Any]], first_runs: dict[str, int], dated: Dated) -> None:
    """Add each listing (row of `store.dated.listings`) that counts; `first_runs`: each source's first listing run."""
    for row in rows:
        day, dated_by = parse_day(row["start_date"]), "listing date"
        if day is None and row["first_run_id"] != first_runs.get(row["source"]):
            day, dated_by = parse_day(row["first_seen"]), "first seen"
        if day is None:
            dated.not_counted[FIRST_CRAWL_UNDATED] += 1
            continue
        dated.events.append(
            Event(
                LISTING,
                row["id"],
                row["source"],
                day,
                dated_by,
                row["jurisdiction"],
                f"{row['source']}:{row['list_code']}",
                _labels(row["dimensions"]),
                _labels(row["industries"]),
                row["name"],
            )
        )
