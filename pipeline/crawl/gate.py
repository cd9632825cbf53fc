"""The gate: health checks a crawl must pass before anything it saw may be stored.

A crawl passes with its records split by table, duplicates merged and its list
counts counted once; otherwise a SourceError says why none of it may be stored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline import store
from spiders.kit.errors import CountOutOfRange, SourceShrank
from spiders.kit.items import Item, Listing, as_record

# A list this small in the last good run may legitimately halve (FSE has 3 entries).
SHRINK_FLOOR = 10


@dataclass
class Passed:
    """A healthy crawl's records, ready to land."""

    listings: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    list_counts: dict[str, int] | None  # per list code, for a snapshot source; None for a stream
    duplicates_merged: int = 0


def check(
    db: Database, spider_cls, items: list[Item], warnings: list[str], expect: tuple[int, int] | None = None
) -> Passed:
    """The crawl's records if it is healthy, or a SourceError saying why none of them may be stored.

    Merged duplicates are added to the crawl's `warnings` (kept with a failed crawl too);
    `expect` replaces the spider's declared ranges (a small recorded sample).
    """
    name = spider_cls.name
    listings, listing_warnings = merge_duplicates([as_record(item) for item in items if isinstance(item, Listing)])
    documents, document_warnings = merge_duplicates(
        [as_record(item) for item in items if not isinstance(item, Listing)]
    )
    warnings.extend(listing_warnings + document_warnings)
    # The declared range counts the spider's own kind (a list source may also yield its announcements).
    check_range(
        name, len(listings if spider_cls.kind == "listings" else documents), expect or spider_cls.expected_items
    )
    counts = None
    if spider_cls.kind == "listings":
        counts = list_counts(listings)
        if expect is None:
            check_lists(name, counts, spider_cls.expected_per_list)
            check_types(name, type_counts(listings), spider_cls.expected_per_type)
        check_shrinkage(name, counts, store.last_good_list_counts(db, name))
    return Passed(listings, documents, counts, len(items) - len(listings) - len(documents))


def merge_duplicates(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """One record per id. Duplicates are merged (lists unioned, blanks filled) and reported."""
    merged: dict[str, dict[str, Any]] = {}
    warnings = []
    for record in records:
        first = merged.get(record["id"])
        if first is None:
            merged[record["id"]] = record
            continue
        conflicts = _merge_into(first, record)
        note = f"; kept the first of differing {', '.join(conflicts)}" if conflicts else ""
        warnings.append(f"{record['id']} appears twice in one crawl: merged{note}")
    return list(merged.values()), warnings


def _merge_into(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    conflicts = []
    for key, value in second.items():
        current = first.get(key)
        if current in (None, "", [], {}):
            first[key] = value
        elif isinstance(current, list) and isinstance(value, list):
            first[key] = list(dict.fromkeys([*current, *value]))
        elif isinstance(current, dict) and isinstance(value, dict):
            first[key] = {**value, **current}
        elif value not in (None, "", [], {}) and value != current:
            conflicts.append(key)
    return conflicts


def list_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(record.get("list_code") or "" for record in records))


def check_range(spider: str, count: int, expected: tuple[int, int], what: str = "items") -> None:
    low, high = expected
    if not low <= count <= high:
        raise CountOutOfRange(spider, f"{count} {what}, expected {low}..{high}")


def check_lists(spider: str, counts: dict[str, int], expected_per_list: dict[str, tuple[int, int]]) -> None:
    for code, expected in expected_per_list.items():
        check_range(spider, counts.get(code, 0), expected, f"{code} entries")


def type_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(record.get("entity_type") or "" for record in records))


def check_types(spider: str, counts: dict[str, int], expected_per_type: dict[str, tuple[int, int]]) -> None:
    for entity_type, expected in expected_per_type.items():
        check_range(spider, counts.get(entity_type, 0), expected, f"{entity_type} entries")


def check_shrinkage(spider: str, counts: dict[str, int], last_good: dict[str, int]) -> None:
    """A list that fell under half of its last good size is a broken download, not mass delisting."""
    for code, before in sorted(last_good.items()):
        now = counts.get(code, 0)
        if before >= SHRINK_FLOOR and now * 2 < before:
            raise SourceShrank(
                spider, f"list {code or '(all)'} has {now} entries, under half of the last good crawl's {before}"
            )
