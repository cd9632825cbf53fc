"""What changed: one landed crawl's `Changes` (for the post-crawl steps), and the changes of a window.

Landing builds a `Changes` from what `apply_snapshot` and `apply_documents` report;
the rows behind it, each field's before and after, are in the `changes` table.
`changes_in` reads that table over a window of time or of change ids, with the
item each change is about: `chokepoint changes` prints exactly this, and the
digest is composed from exactly this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database


@dataclass(frozen=True)
class Changes:
    """A crawl's run id, the ids it added, modified or restored, per table, and the listings it marked removed."""

    run_id: int
    source: str
    listings: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    removed_listings: tuple[str, ...] = ()  # delisted parties: screening tells the watchlists that matched them

    def ids(self, table: str) -> tuple[str, ...]:
        return getattr(self, table)

    def __bool__(self) -> bool:
        return bool(self.listings or self.documents or self.removed_listings)


def recorded(db: Database, run_id: int) -> list[dict[str, Any]]:
    """The rows of the `changes` table one run wrote: additions, modifications, removals, restorations."""
    return list(db.query("SELECT * FROM changes WHERE run_id = ? ORDER BY id", [run_id]))


@dataclass(frozen=True)
class Window:
    """Which changes: recorded at or after `since` and before `until` (UTC, as stored), and with an id in
    (`after_id`, `upto_id`]. Any bound left None is open. Ids never go back, so a reader that keeps the last
    id it saw misses nothing, even when clocks do."""

    since: str | None = None
    until: str | None = None
    after_id: int | None = None
    upto_id: int | None = None


@dataclass(frozen=True)
class ChangeFilter:
    """What a reader follows; an empty tuple lets everything through.

    `lists` narrows listings only and `jurisdictions` reads a document's own jurisdiction or, for a
    listing, its source's. `dimensions` and `industries` keep an item carrying any of the labels.
    """

    sources: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()

    @property
    def by_label(self) -> bool:
        return bool(self.dimensions or self.industries)

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in self.__dataclass_fields__ if getattr(self, name)}


@dataclass
class ChangeSet:
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Changes that passed every other filter but whose item is not tagged yet, so a label filter could not
    # judge them: kept apart, for the reader to say so (never silently dropped).
    untagged: list[dict[str, Any]] = field(default_factory=list)


# The changed item as it is stored now, beside its change row; a listing's jurisdiction is its source's.
_SELECT = """
SELECT c.id, c.at, c.run_id, c.item_type, c.kind, c.source, c.list_code, c.item_id, c.name, c.fields,
       coalesce(d.jurisdiction, s.jurisdiction) AS jurisdiction,
       coalesce(d.publisher, s.publisher) AS publisher,
       l.list_name, l.country, l.entity_type, l.programs, l.federal_register_notice, l.start_date, l.removed_on,
       d.title, d.type, d.publication_date, d.citation, d.abstract, d.html_url, d.pdf_url,
       coalesce(l.dimensions, d.dimensions) AS dimensions, coalesce(l.industries, d.industries) AS industries,
       coalesce(l.label_scores, d.label_scores) AS label_scores,
       coalesce(l.labels_model, d.labels_model) AS labels_model
FROM changes c
LEFT JOIN listings l ON c.item_type = 'listing' AND l.id = c.item_id
LEFT JOIN documents d ON c.item_type = 'document' AND d.id = c.item_id
LEFT JOIN sources s ON s.spider = c.source
"""
_JSON_COLUMNS = ("fields", "programs", "dimensions", "industries", "label_scores")


def latest_change_id(db: Database) -> int:
    """The id of the newest change (0 when there is none): where a reader that has seen everything stands."""
    return db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]


def changes_in(db: Database, window: Window = Window(), filters: ChangeFilter = ChangeFilter()) -> ChangeSet:
    """Every change in `window` that passes `filters`, oldest first, each with its item and, for a listing,
    the Federal Register citations that listed it (with the stored rule, when there is one)."""
    where, params = _bounds(window)
    for clause, values in (
        ("c.source IN ({})", filters.sources),
        ("(c.item_type != 'listing' OR upper(c.list_code) IN ({}))", [v.upper() for v in filters.lists]),
        ("upper(coalesce(d.jurisdiction, s.jurisdiction)) IN ({})", [v.upper() for v in filters.jurisdictions]),
    ):
        if values:
            where.append(clause.format(",".join("?" * len(values))))
            params.extend(values)
    sql = _SELECT + (f"WHERE {' AND '.join(where)}\n" if where else "") + "ORDER BY c.id"
    result = ChangeSet()
    for row in db.query(sql, params):
        for column in _JSON_COLUMNS:
            row[column] = json.loads(row[column]) if row[column] else None
        row["tagged"] = row.pop("labels_model") is not None
        if filters.by_label:
            if not row["tagged"]:
                result.untagged.append(row)
                continue
            if not _labelled(row, filters):
                continue
        result.rows.append(row)
    _attach_citations(db, result.rows + result.untagged)
    return result


def _bounds(window: Window) -> tuple[list[str], list[Any]]:
    """The SQL conditions (on `changes c`) and parameters of a window."""
    where, params = [], []
    for clause, value in (
        ("c.at >= ?", window.since),
        ("c.at < ?", window.until),
        ("c.id > ?", window.after_id),
        ("c.id <= ?", window.upto_id),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    return where, params


def items_stored_in(db: Database, window: Window) -> set[str]:
    """The ids of the items added, restored or modified in `window` (whatever any reader follows)."""
    where, params = _bounds(window)
    where.append("c.kind != 'removed'")
    return {
        row[0] for row in db.execute(f"SELECT DISTINCT c.item_id FROM changes c WHERE {' AND '.join(where)}", params)
    }


def _labelled(row: dict[str, Any], filters: ChangeFilter) -> bool:
    dimensions, industries = row["dimensions"] or [], row["industries"] or []
    return (not filters.dimensions or any(label in dimensions for label in filters.dimensions)) and (
        not filters.industries or any(label in industries for label in filters.industries)
    )


def _attach_citations(db: Database, rows: list[dict[str, Any]]) -> None:
    """A listing's Federal Register citations ("85 FR 83420"), each with the stored rule whose pages hold it."""
    listing_ids = sorted({row["item_id"] for row in rows if row["item_type"] == "listing"})
    cited: dict[str, list[dict[str, Any]]] = {}
    if listing_ids:
        for rule in db.query(
            "SELECT listing_id, citation, document_id, rule_title, publication_date, html_url FROM listing_rules "
            "WHERE listing_id IN (SELECT value FROM json_each(?)) ORDER BY listing_id, citation, document_id",
            [json.dumps(listing_ids)],
        ):
            cited.setdefault(rule.pop("listing_id"), []).append(rule)
    for row in rows:
        if row["item_type"] == "listing":
            row["citations"] = cited.get(row["item_id"], [])


def lists_by_source(db: Database) -> dict[str, set[str]]:
    """The list codes each source's stored listings are on (removed ones included)."""
    found: dict[str, set[str]] = {}
    for source, list_code in db.execute("SELECT DISTINCT source, list_code FROM listings"):
        found.setdefault(source, set()).add(list_code)
    return found


def sources_with_documents(db: Database) -> set[str]:
    """The sources that have stored at least one document."""
    return {row[0] for row in db.execute("SELECT DISTINCT source FROM documents")}
