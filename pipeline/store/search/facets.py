"""Facet tables: one narrow row per (item, facet, value), kept in sync with the item by triggers.

A search page counts what its matches are tagged with (dimensions, industries,
agencies, programs, countries, and the single-valued list, type, jurisdiction,
source). Counting those from the items themselves means reading each matching
row (a document row holds its abstract and full text) and parsing its JSON arrays
with `json_each`: seconds when a word matches a large share of a million
documents. These tables hold the same facts as (item rowid, value id), a few bytes
each, clustered by the item's rowid, so a facet count joins the FTS match to them and reads
nothing else. Triggers recompute an item's rows when one of its faceted columns
changes (a crawl correcting an agency, tagging writing dimensions), so the
tables can never disagree with the items.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

# Every (facet, value) pair once, by id: the facet tables hold ids, so counting groups integers, not text
# (five times faster over 10,000 matches). Values are never deleted: an id stays valid while no item has it.
VALUES = "search_facet_values"


@dataclass(frozen=True)
class FacetColumn:
    """A facet (`name`, as in URLs) read from a column; `array` when the column holds a JSON list."""

    name: str
    column: str
    array: bool = False

    def select(self, row: str, table: str | None = None) -> str:
        """The SQL selecting (item, facet, value) rows of this facet: for `row` (new) in a trigger,
        or for every row of `table` (then `row` is its name)."""
        tables = [f"[{table}]"] if table else []
        if self.array:
            # Text that is not valid JSON gives no value rather than failing the write.
            tables.append(f"json_each(CASE WHEN json_valid({row}.[{self.column}]) THEN {row}.[{self.column}] END) j")
            return (
                f"SELECT {row}.rowid AS item, '{self.name}' AS facet, j.value AS value FROM {', '.join(tables)} "
                "WHERE j.type = 'text' AND j.value != ''"
            )
        source = f"FROM {tables[0]} " if tables else ""
        return (
            f"SELECT {row}.rowid AS item, '{self.name}' AS facet, {row}.[{self.column}] AS value {source}"
            f"WHERE {row}.[{self.column}] IS NOT NULL AND {row}.[{self.column}] != ''"
        )


@dataclass(frozen=True)
class FacetTable:
    table: str  # the items' table
    name: str  # the facet table
    facets: tuple[FacetColumn, ...]

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(facet.column for facet in self.facets))

    def rows_of(self, row: str, table: str | None = None) -> str:
        return " UNION ALL ".join(facet.select(row, table) for facet in self.facets)

    def write(self, row: str, table: str | None = None) -> str:
        """The statements storing the facet rows of `row` (or of every row of `table`): new values get an id first."""
        rows = f"({self.rows_of(row, table)})"
        return (
            f"INSERT OR IGNORE INTO [{VALUES}] (facet, value) SELECT facet, value FROM {rows}; "
            f"INSERT OR IGNORE INTO [{self.name}] (item_rowid, value_id) SELECT r.item, v.id FROM {rows} r "
            f"JOIN [{VALUES}] v ON v.facet = r.facet AND v.value = r.value;"
        )


TABLES = {
    "documents": FacetTable(
        table="documents",
        name="document_facets",
        facets=(
            FacetColumn("jurisdiction", "jurisdiction"),
            FacetColumn("type", "type"),
            FacetColumn("dimension", "dimensions", array=True),
            FacetColumn("industry", "industries", array=True),
            FacetColumn("agency", "agencies", array=True),
        ),
    ),
    "listings": FacetTable(
        table="listings",
        name="listing_facets",
        facets=(
            FacetColumn("list", "list_code"),
            FacetColumn("country", "countries", array=True),
            FacetColumn("program", "programs", array=True),
            FacetColumn("dimension", "dimensions", array=True),
            FacetColumn("industry", "industries", array=True),
            FacetColumn("source", "source"),
        ),
    ),
}


def create(db: Database, facets: FacetTable) -> None:
    """The facet table, its triggers, and its rows for the items already stored."""
    db.execute(
        f"CREATE TABLE IF NOT EXISTS [{VALUES}] (id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, "
        "UNIQUE (facet, value))"
    )
    db.execute(
        f"CREATE TABLE [{facets.name}] (item_rowid INTEGER NOT NULL, value_id INTEGER NOT NULL, "
        "PRIMARY KEY (item_rowid, value_id)) WITHOUT ROWID"
    )
    delete = f"DELETE FROM [{facets.name}] WHERE item_rowid = old.rowid;"
    db.executescript(f"""
        CREATE TRIGGER [{facets.name}_ai] AFTER INSERT ON [{facets.table}] BEGIN
            {facets.write("new")}
        END;
        CREATE TRIGGER [{facets.name}_ad] AFTER DELETE ON [{facets.table}] BEGIN
            {delete}
        END;
        CREATE TRIGGER [{facets.name}_au] AFTER UPDATE OF {", ".join(f"[{c}]" for c in facets.columns)}
        ON [{facets.table}] BEGIN
            {delete}
            {facets.write("new")}
        END;
    """)
    db.executescript(facets.write(facets.table, facets.table))
