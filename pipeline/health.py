"""Health checks a crawl must pass before anything it saw may be stored."""

from __future__ import annotations

from collections import Counter
from typing import Any

from spiders.kit.errors import CountOutOfRange, SourceShrank

# A list this small in the last good run may legitimately halve (FSE has 3 entries).
SHRINK_FLOOR = 10


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
            raise SourceShrank(spider, f"list {code or '(all)'} has {now} entries, under half of the last good crawl's {before}")
