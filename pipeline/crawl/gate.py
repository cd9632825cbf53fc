"""The gate: health checks a crawl must pass before anything it saw may be stored.

A crawl passes with its records split by table, duplicates merged, its list
counts counted once and the store's plan of what landing it would do; otherwise a
SourceError says why none of it may be stored.

Besides the declared count ranges, the gate compares the crawl with what is
stored (the store's `plan_snapshot` and `plan_documents`) and stops a crawl that
would, at once:

- remove more than MAX_SHARE of a list's active listings and more than MAX_COUNT
  of them (per list code, and over the whole source), or empty a list of at
  least WHOLE_LIST listings: a well-formed partial download looks exactly like
  a mass delisting;
- drop or rewrite the stored value of one field (a name, the aliases of a linked
  alias file, an `extra` key) on more than MAX_SHARE and more than MAX_COUNT of
  a list's rows that have one: a body decoded in the wrong charset, a linked file
  cut short, a column renamed;
- lose a field altogether: no item of the crawl has it, but stored rows it would
  re-write had it (a renamed optional field): at least VANISHED["listings"] listings
  (a listing may lose a rare field for real), or any document (a published
  document does not lose its abstract).

How the thresholds were chosen (bench/removal_shares.py on ../shared/corpus; the
README's "When a source is broken"): between real files months apart, the lists
lost at most 4.7% of their entries (OFAC SDN, July 2021 to May 2022, 420 of
8,976), and 0.2% over the eleven months of OFAC's non-SDN list (1 of 443); the
largest dated single-day removal in the history we hold is 12 entries (6.0% of
the DoD 1260H list on 2026-02-17). So a day's crawl that removes more than 3% of
a list is taking more than half a year's delistings in one go, and a floor of 25
(twice that largest day) lets small lists lose what they really lose. A real mass
delisting or reformatting goes through with `--accept-removals`, which the run
records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline import store
from pipeline.store.documents import DocumentsPlan
from pipeline.store.listings import SnapshotPlan
from pipeline.store.records import to_json
from spiders.kit.errors import CountOutOfRange, SourceError, SourceRewrote, SourceShapeChanged, SourceShrank
from spiders.kit.items import Item, Listing, as_record

MAX_SHARE = 0.03
MAX_COUNT = 25
WHOLE_LIST = 5
VANISHED = {"listings": 3, "documents": 1}
ACCEPT_HINT = "re-run with --accept-removals if the source really changed this much"


@dataclass
class Passed:
    """A healthy crawl's records, ready to land, with the store's plan for them."""

    listings: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    list_counts: dict[str, int] | None  # per list code, for a snapshot source; None for a stream
    duplicates_merged: int = 0
    snapshot: SnapshotPlan | None = None
    documents_plan: DocumentsPlan | None = None


def check(
    db: Database,
    spider_cls,
    items: list[Item],
    warnings: list[str],
    expect: tuple[int, int] | None = None,
    accept_removals: bool = False,
) -> Passed:
    """The crawl's records if it is healthy, or a SourceError saying why none of them may be stored.

    Merged duplicates are added to the crawl's `warnings` (kept with a failed crawl too);
    `expect` replaces the spider's declared ranges (a small recorded sample);
    `accept_removals` lets mass removals and rewrites through, each noted in `warnings`.
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
    passed = Passed(listings, documents, None, len(items) - len(listings) - len(documents))
    problems: list[SourceError] = []
    if spider_cls.kind == "listings":
        passed.list_counts = list_counts(listings)
        if expect is None:
            check_lists(name, passed.list_counts, spider_cls.expected_per_list)
            check_types(name, type_counts(listings), spider_cls.expected_per_type)
        passed.snapshot = plan = store.plan_snapshot(db, name, listings)
        # The most specific first: a field gone from every item names its cause better than the rewrites it makes.
        problems += vanished_problems(name, plan.lost, plan.seen_fields, "listings")
        problems += removal_problems(name, plan.active, plan.removed)
        problems += rewrite_problems(name, plan.lost, plan.holding, "listings")
    if documents:
        passed.documents_plan = plan = store.plan_documents(db, documents)
        problems += vanished_problems(name, plan.lost, plan.seen_fields, "documents")
        problems += rewrite_problems(name, plan.lost, plan.holding, "documents")
    if problems and not accept_removals:
        raise problems[0]
    for number, problem in enumerate(problems):
        accepted = str(problem).removesuffix(f"; {ACCEPT_HINT}").removesuffix(f" {ACCEPT_HINT}")
        warnings.insert(number, f"accepted (--accept-removals): {accepted}")  # shown before any other warning
    return passed


# -- duplicates -------------------------------------------------------------------


def merge_duplicates(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """One record per id. Duplicates are merged (lists unioned, blanks filled) and reported.

    The merge does not depend on the order the source served them in: exact copies
    count once, and the differing ones are merged in the order of their content.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record["id"], []).append(record)
    merged, warnings = [], []
    for row_id, group in groups.items():
        if len(group) == 1:
            merged.append(group[0])
            continue
        distinct = {to_json(record): record for record in group}
        ordered = [distinct[key] for key in sorted(distinct)]
        result = dict(ordered[0])
        conflicts: set[str] = set()
        for other in ordered[1:]:
            conflicts |= _merge_into(result, other)
        merged.append(result)
        times = "twice" if len(group) == 2 else f"{len(group)} times"
        note = f"; differing {', '.join(sorted(conflicts))}: kept the value that sorts first" if conflicts else ""
        warnings.append(f"{row_id} appears {times} in one crawl: merged{note}")
    return merged, warnings


def _merge_into(first: dict[str, Any], second: dict[str, Any]) -> set[str]:
    conflicts = set()
    for key, value in second.items():
        current = first.get(key)
        if current in (None, "", [], {}):
            first[key] = value
        elif isinstance(current, list) and isinstance(value, list):
            known = {to_json(item) for item in current}
            first[key] = current + [item for item in value if to_json(item) not in known]
        elif isinstance(current, dict) and isinstance(value, dict):
            first[key] = {**value, **current}
        elif value not in (None, "", [], {}) and value != current:
            conflicts.add(key)
    return conflicts


# -- counts ---------------------------------------------------------------------------


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


# -- what landing would do to what is stored -------------------------------------------


def too_many(count: int, out_of: int) -> bool:
    """More than MAX_SHARE of a list and more than MAX_COUNT rows."""
    return count > MAX_COUNT and count > MAX_SHARE * out_of


def removal_problems(spider: str, active: Counter, removed: Counter) -> list[SourceError]:
    """Lists (and the source as a whole) the crawl would empty or cut by more than the guard allows."""
    cut = [
        (code, count)
        for code, count in sorted(removed.items(), key=lambda pair: (-pair[1], pair[0]))
        if too_many(count, active[code]) or (count == active[code] >= WHOLE_LIST)
    ]
    total, out_of = sum(removed.values()), sum(active.values())
    if not cut and too_many(total, out_of):
        cut = [("", total)]
    if not cut:
        return []
    parts = [_share(count, active[code] if code else out_of, f"{code or 'all'} listings") for code, count in cut[:3]]
    more = f" and {len(cut) - 3} more list(s)" if len(cut) > 3 else ""
    return [
        SourceShrank(
            spider,
            f"would remove {'; '.join(parts)}{more} ({_limits()}); {ACCEPT_HINT}",
        )
    ]


def rewrite_problems(spider: str, lost: dict[str, Counter], holding: dict[str, Counter], what: str) -> list:
    """Fields whose stored values the crawl would drop or rewrite on more rows than the guard allows."""
    cut = []
    totals: Counter = Counter()
    for code, counts in lost.items():
        totals.update(counts)
        for name, count in counts.items():
            if too_many(count, holding.get(code, Counter())[name]):
                cut.append((count, code, name, holding.get(code, Counter())[name]))
    if not cut:
        held: Counter = Counter()
        for counts in holding.values():
            held.update(counts)
        cut = [(count, "", name, held[name]) for name, count in totals.items() if too_many(count, held[name])]
    if not cut:
        return []
    cut.sort(key=lambda entry: (-entry[0], entry[1], entry[2]))
    parts = [f"{name} of {_share(count, out_of, f'{code} {what}'.strip())}" for count, code, name, out_of in cut]
    more = f" and {len(parts) - 3} more" if len(parts) > 3 else ""
    return [
        SourceRewrote(
            spider, f"would drop or rewrite the stored {'; '.join(parts[:3])}{more} ({_limits()}); {ACCEPT_HINT}"
        )
    ]


def vanished_problems(spider: str, lost: dict[str, Counter], seen_fields: set[str], what: str) -> list:
    """A field no item of the crawl has, though the crawl would take it from stored rows (VANISHED of them)."""
    totals: Counter = Counter()
    for counts in lost.values():
        totals.update(counts)
    gone = sorted(name for name, count in totals.items() if count >= VANISHED[what] and name not in seen_fields)
    if not gone:
        return []
    named = ", ".join(f"{name!r} (which {totals[name]:,} stored {what} have)" for name in gone[:3])
    return [
        SourceShapeChanged(
            spider, f"no item of this crawl has {named}: a field renamed or dropped upstream? {ACCEPT_HINT}"
        )
    ]


def _share(count: int, out_of: int, what: str) -> str:
    return f"{count:,} of {out_of:,} {what} ({count / out_of:.0%})" if out_of else f"{count:,} {what}"


def _limits() -> str:
    return f"the guard stops more than {MAX_SHARE:.0%} and more than {MAX_COUNT} at once"
