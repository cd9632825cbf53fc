"""The search statements: ranked matches, capped counts and facet counts, over one index each.

A search page issues three of these per kind of item, whatever the query
matches: one count that stops at COUNT_CAP, the page of rows, and one statement
counting every facet at once from the facet tables (`facets.py`). When more
than COUNT_CAP items match, the rows are ranked and the facets counted among
the COUNT_CAP most recently stored matches (the count gives the lowest rowid
among them, `:floor`), and the page says so: ranking every match of a word in
60% of a million documents takes 2 s, the rows, count and facets of the newest
10,000 about 50 ms, of the newest 2,000 about 20 ms (docs/benchmarks.md,
"Search at a million documents"). The site runs them through Datasette (read-only,
time-limited), tests and benchmarks through `run`. Parameters are named:
`:match` (from `text.match_expression`), then one per filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from pipeline.store.search.facets import TABLES, VALUES, FacetTable
from pipeline.store.search.index import INDEXES, SearchIndex
from pipeline.store.search.text import match_expression

# How far a count goes before it stops and says "more than": counting every match of a common word costs a full scan.
# Past it, rows are ranked and facets counted among the most recently stored COUNT_CAP matches: one limit, stated.
# 2,000 keeps a search page under half a second at p95 with 8 readers on 2 cores (10,000 did not: 1.0 s).
COUNT_CAP = 2_000
# Values shown per facet.
FACET_VALUES = 12


@dataclass(frozen=True)
class Facet:
    """Something people narrow by, counted from the kind's facet table (`name` as stored there and in URLs)."""

    name: str
    label: str

    def condition(self, table: str, alias: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM [{table}] x WHERE x.item_rowid = {alias}.rowid AND x.value_id = "
            f"(SELECT id FROM [{VALUES}] WHERE facet = '{self.name}' AND value = :{self.name}))"
        )


@dataclass(frozen=True)
class Kind:
    """One kind of search result: parties (listings) or measures (documents)."""

    name: str
    index: SearchIndex
    columns: str
    facet_table: FacetTable
    facets: tuple[Facet, ...]
    # Rows that duplicate another row for a reader (a public-inspection copy of a published rule).
    hidden: str = ""
    newest: str = "rowid DESC"

    def _where(self, filters: dict[str, str]) -> str:
        conditions = [f"[{self.index.fts}] MATCH :match", f"[{self.index.fts}].rowid >= :floor"]
        if self.hidden:
            conditions.append(f"NOT ({self.hidden})")
        conditions += [
            facet.condition(self.facet_table.name, f"[{self.index.fts}]")
            for facet in self.facets
            if filters.get(facet.name)
        ]
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
        """Counts matches up to COUNT_CAP + 1 (n; COUNT_CAP + 1 means "more than COUNT_CAP"), and `floor`: the
        lowest rowid among the newest COUNT_CAP matches when there are more, else 0 (every match). Run with floor 0."""
        return (
            f"WITH found AS MATERIALIZED (SELECT [{self.index.fts}].rowid AS item FROM {self._from()} "
            f"WHERE {self._where(filters)} ORDER BY [{self.index.fts}].rowid DESC LIMIT {COUNT_CAP + 1}) "
            "SELECT count(*) AS n, CASE WHEN count(*) > "
            f"{COUNT_CAP} THEN (SELECT item FROM found ORDER BY item DESC LIMIT 1 OFFSET {COUNT_CAP - 1}) ELSE 0 END "
            "AS floor FROM found"
        )

    def facets_sql(self, filters: dict[str, str]) -> str:
        """(facet, value, n) rows: the FACET_VALUES commonest values of every facet among the matches from
        `:floor` on, and one row (facet '', n) saying how many matches were counted."""
        return (
            f"WITH matched AS MATERIALIZED (SELECT t.rowid AS item FROM {self._from()} WHERE {self._where(filters)}), "
            f"counted AS (SELECT v.facet, v.value, c.n FROM (SELECT x.value_id, count(*) AS n FROM matched "
            f"JOIN [{self.facet_table.name}] x ON x.item_rowid = matched.item GROUP BY x.value_id) c "
            f"JOIN [{VALUES}] v ON v.id = c.value_id) "
            "SELECT facet, value, n FROM (SELECT facet, value, n, "
            "row_number() OVER (PARTITION BY facet ORDER BY n DESC, value) AS place FROM counted) "
            f"WHERE place <= {FACET_VALUES} "
            "UNION ALL SELECT '', NULL, count(*) FROM matched"
        )

    def params(
        self, match: str, filters: dict[str, str], limit: int = 20, offset: int = 0, floor: int = 0
    ) -> dict[str, object]:
        chosen = {facet.name: filters[facet.name] for facet in self.facets if filters.get(facet.name)}
        return {"match": match, "limit": limit, "offset": offset, "floor": floor, **chosen}


PARTIES = Kind(
    name="parties",
    index=INDEXES["listings"],
    columns=(
        "t.id, t.name, t.alt_names, t.list_code, t.list_name, t.country, t.entity_type, t.source, "
        "t.removed_on, t.start_date, t.dimensions, t.industries"
    ),
    facet_table=TABLES["listings"],
    facets=(
        Facet("list", "List"),
        Facet("country", "Country"),
        Facet("program", "Program"),
        Facet("dimension", "Dimension"),
        Facet("industry", "Industry"),
        Facet("source", "Source"),
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
    facet_table=TABLES["documents"],
    facets=(
        Facet("jurisdiction", "Jurisdiction"),
        Facet("dimension", "Dimension"),
        Facet("industry", "Industry"),
        Facet("agency", "Agency"),
        Facet("type", "Type"),
    ),
    # A filing seen on public inspection whose published version is stored shows once, as the published one.
    hidden=(
        "t.source = 'federal_register_public_inspection' AND EXISTS (SELECT 1 FROM documents p "
        "WHERE p.source = 'federal_register' AND p.document_number = t.document_number)"
    ),
    newest="publication_date DESC",
)

KINDS = {kind.name: kind for kind in (PARTIES, MEASURES)}


def facet_counts(kind: Kind, found: list[dict]) -> tuple[dict[str, list[dict]], int]:
    """The rows of `facets_sql` as {facet: [{value, n}, ...]} for every facet of `kind`, and how many matches
    they count."""
    counts: dict[str, list[dict]] = {facet.name: [] for facet in kind.facets}
    covered = 0
    for row in found:
        if row["facet"] == "":
            covered = row["n"]
        elif row["facet"] in counts:
            counts[row["facet"]].append({"value": row["value"], "n": row["n"]})
    return counts, covered


def run(db: Database, kind: Kind, query: str, filters: dict[str, str] | None = None, limit: int = 20) -> list[dict]:
    """The ranked rows of one kind for what a person typed (tests and benchmarks; the site runs the same SQL)."""
    match = match_expression(query)
    if match is None:
        return []
    filters = filters or {}
    floor = db.execute(kind.count_sql(filters), kind.params(match, filters)).fetchone()[1]
    return list(db.query(kind.rows_sql(filters), kind.params(match, filters, limit=limit, floor=floor)))
