"""Counting new measures and new listings per period and per group, pure.

An item tagged with two industries (or dimensions) counts under each, so a column's
groups can add up to more than its items; `Counts.measures` and `Counts.listings` are
the distinct items. Items not tagged yet are grouped as "(not tagged)", so no item
silently drops out of an industry or dimension view. Measures belong to no list: the
`list` view counts listings only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pipeline.trends.events import LISTING, MEASURE, Event
from pipeline.trends.periods import period_label, period_start, period_starts

BY = ("industry", "dimension", "jurisdiction", "list")
NOT_TAGGED = "(not tagged)"
NO_LABEL = "(none)"
UNKNOWN = "(unknown)"


def groups(event: Event, by: str) -> tuple[str, ...]:
    """The groups `event` counts under in the `by` view (none: it does not belong to that view)."""
    if by == "list":
        return (event.list,) if event.list else ()
    if by == "jurisdiction":
        return (event.jurisdiction or UNKNOWN,)
    labels = event.industries if by == "industry" else event.dimensions
    if labels is None:
        return (NOT_TAGGED,)
    return tuple(dict.fromkeys(labels)) or (NO_LABEL,)


@dataclass(frozen=True)
class Row:
    period: str  # 2024-W02 or 2024-01
    start: date
    group: str
    measures: int
    listings: int


@dataclass
class Counts:
    """One row per period and group (periods with nothing counted included, with no group: `group` "")."""

    by: str
    period: str
    since: date
    until: date
    rows: list[Row] = field(default_factory=list)
    measures: int = 0  # distinct new measures in the window
    listings: int = 0
    left_out: int = 0  # items in the window that the view has no group for (measures in the list view)


def count(events: Iterable[Event], by: str, period: str, since: date, until: date) -> Counts:
    """New measures and listings per `period` and per `by` group, for events from `since` to `until` (inclusive)."""
    if by not in BY:
        raise ValueError(f"unknown view {by!r}: use one of {', '.join(BY)}")
    tally: Counter = Counter()
    counts = Counts(by, period, since, until)
    for event in events:
        if not since <= event.day <= until:
            continue
        if event.kind == MEASURE:
            counts.measures += 1
        else:
            counts.listings += 1
        keys = groups(event, by)
        if not keys:
            counts.left_out += 1
        for key in keys:
            tally[(period_start(event.day, period), key, event.kind)] += 1
    by_start: dict[date, set[str]] = {}
    for start, key, _ in tally:
        by_start.setdefault(start, set()).add(key)
    for start in period_starts(since, until, period):
        for key in sorted(by_start.get(start, ())) or [""]:
            counts.rows.append(
                Row(
                    period_label(start, period),
                    start,
                    key,
                    tally[(start, key, MEASURE)],
                    tally[(start, key, LISTING)],
                )
            )
    return counts


def series(counts: Counts, kind: str = MEASURE) -> dict[str, list[tuple[date, int]]]:
    """Per group, its count of `kind` in every period of the window (zeros included): what a chart draws."""
    starts = sorted({row.start for row in counts.rows})
    values: dict[str, dict[date, int]] = {}
    for row in counts.rows:
        if row.group:
            value = row.measures if kind == MEASURE else row.listings
            values.setdefault(row.group, {})[row.start] = value
    return {
        group: [(start, by_start.get(start, 0)) for start in starts]
        for group, by_start in sorted(values.items())
        if any(by_start.values())
    }
