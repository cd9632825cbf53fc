"""The search statements: ranked matches, capped counts and facet counts, over one index each.

A search page issues a fixed, small number of these per kind of item (the rows,
one capped count, one statement per facet), whatever the query matches; the site
runs them through Datasette (read-only, time-limited), tests and benchmarks
through `run`. Parameters are named: `:match` (from `text.match_expression`),
then one per filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from pipeline.store.search.index import INDEXES, SearchIndex
from pipeline.store.search.text import match_expression

# How far a count goes before it stops and says "more than": counting every match of a common word costs a full scan.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Facet:
    """A column people narrow by; `array` when it holds a JSON list (tags)."""

    name: str
    label: str
    column: str
    array: bool = False

    def condition(self, alias: str) -> str:
        if self.array:
            return f"EXISTS (SELECT 1 FROM json_each({alias}.[{self.column}]) WHERE value = :{self.name})"
        return f"{alias}.[{self.column}] = :{self.name}"

    def value_sql(self, alias: str) -> tuple[str, str]:
        """(FROM addition, value expression) for counting this facet's values."""
        if self.array:
            return f", json_each({alias}.[{self.column}]) AS facet", "facet.value"
        return "", f"{alias}.[{self.column}]"


@dataclass(frozen=True)
class Kind:
    """One kind of search result: parties (listings) or measures (documents)."""

    name: str
    index: SearchIndex
    columns: str
    facets: tuple[Facet, ...]
    # Rows that duplicate another row for a reader (a public-inspection copy of a published rule).
    hidden: str = ""
    newest: str = "rowid DESC"

    def _where(self, filters: dict[str, str]) -> str:
        conditions = [f"[{self.index.fts}] MATCH :match"]
        if self.hidden:
            conditions.append(f"NOT ({self.hidden})")
        conditions += [facet.condition("t") for facet in self.facets if filters.get(facet.name)]
        return " AND ".join(conditions)

    def _from(self) -> str:
        return f"[{self.index.fts}] JOIN [{self.index.table}] t ON t.rowid = [{self.index.fts}].rowid"

    def rows_sql(self, filters: dict[str, str], sort: str = "rank") -> str:
        weights = ", ".join(str(w) for w in self.index.weights)
        order = f"t.{self.newest}" if sort == "newest" else "score"
        return (
            f"SELECT {self.columns}, bm25([{self.index.fts}], {weights}) AS score FROM {self._from()} "
            f"WHERE {self._where(filters)} ORDER BY {order}, t.id LIMIT :limit OFFSET :offset"
        )

    def count_sql(self, filters: dict[str, str]) -> str:
        """Counts matches up to COUNT_CAP + 1: a result of COUNT_CAP + 1 means "more than COUNT_CAP"."""
        return f"SELECT count(*) AS n FROM (SELECT 1 FROM {self._from()} WHERE {self._where(filters)} LIMIT {COUNT_CAP + 1})"

    def facet_sql(self, facet: Facet, filters: dict[str, str]) -> str:
        join, value = facet.value_sql("t")
        return (
            f"SELECT {value} AS value, count(*) AS n FROM {self._from()}{join} "
            f"WHERE {self._where(filters)} AND {value} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT 12"
        )

    def params(self, match: str, filters: dict[str, str], limit: int = 20, offset: int = 0) -> dict[str, object]:
        chosen = {facet.name: filters[facet.name] for facet in self.facets if filters.get(facet.name)}
        return {"match": match, "limit": limit, "offset": offset, **chosen}


PARTIES = Kind(
    name="parties",
    index=INDEXES["listings"],
    columns=(
        "t.id, t.name, t.alt_names, t.list_code, t.list_name, t.country, t.entity_type, t.source, "
        "t.removed_on, t.start_date, t.dimensions, t.industries"
    ),
    facets=(
        Facet("list", "List", "list_code"),
        Facet("country", "Country", "country"),
        Facet("source", "Source", "source"),
    ),
    newest="first_seen DESC",
)

MEASURES = Kind(
    name="measures",
    index=INDEXES["documents"],
    columns=(
        "t.id, t.title, t.publication_date, t.type, t.publisher, t.jurisdiction, t.source, t.document_number, "
        "t.citation, t.dimensions, t.industries, t.language, "
        "(SELECT json_extract(pi.extra, '$.filed_at') FROM documents pi WHERE t.source = 'federal_register' "
        "AND pi.source = 'federal_register_public_inspection' AND pi.document_number = t.document_number) "
        "AS on_public_inspection"
    ),
    facets=(
        Facet("jurisdiction", "Jurisdiction", "jurisdiction"),
        Facet("dimension", "Dimension", "dimensions", array=True),
        Facet("type", "Type", "type"),
    ),
    # A filing seen on public inspection whose published version is stored shows once, as the published one.
    hidden=(
        "t.source = 'federal_register_public_inspection' AND EXISTS (SELECT 1 FROM documents p "
        "WHERE p.source = 'federal_register' AND p.document_number = t.document_number)"
    ),
    newest="publication_date DESC",
)

KINDS = {kind.name: kind for kind in (PARTIES, MEASURES)}


def run(db: Database, kind: Kind, query: str, filters: dict[str, str] | None = None, limit: int = 20) -> list[dict]:
    """The ranked rows of one kind for what a person typed (tests and benchmarks; the site runs the same SQL)."""
    match = match_expression(query)
    if match is None:
        return []
    filters = filters or {}
    return list(db.query(kind.rows_sql(filters), kind.params(match, filters, limit=limit)))
