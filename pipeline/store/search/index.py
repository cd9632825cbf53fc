"""The search indexes: one contentless FTS5 table per searchable table, kept in sync by triggers.

The indexed text is not the stored text (Chinese is segmented, glossary words are
added), so each row's index entry is computed by two SQL functions this module
registers on every connection that writes (`ensure_schema` does it):
`search_text(...)` and `search_terms(...)`. The index is contentless: it holds
only the index, not a second copy of every title and full text; its rowid is the
indexed row's rowid. A trigger removing an entry recomputes the old values, which
is exact because both functions are deterministic for one glossary and one
segmentation; a new glossary or segmentation rebuilds the index (`ensure_current`).
Triggers fire only when an indexed column changes: tagging writes label columns
and leaves the index alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlite_utils import Database

from pipeline.store.search import glossary
from pipeline.store.search.text import SEGMENTATION_VERSION, has_cjk, index_text

TOKENIZER = "unicode61 remove_diacritics 2"
VERSION_TABLE = "search_index_version"


@dataclass(frozen=True)
class SearchIndex:
    """An FTS5 table over `table`: each FTS column indexes some source columns; `terms` adds glossary words."""

    table: str
    fts: str
    columns: dict[str, tuple[str, ...]]
    terms_from: tuple[str, ...]
    weights: tuple[float, ...]  # bm25 weight per FTS column, `terms` last

    @property
    def fts_columns(self) -> list[str]:
        return [*self.columns, "terms"]

    @property
    def source_columns(self) -> list[str]:
        return list(dict.fromkeys(c for cols in (*self.columns.values(), self.terms_from) for c in cols))

    def values(self, row: str) -> str:
        """The SQL computing each FTS column from `row` (new or old)."""
        parts = [f"search_text({', '.join(f'{row}.[{c}]' for c in cols)})" for cols in self.columns.values()]
        parts.append(f"search_terms({', '.join(f'{row}.[{c}]' for c in self.terms_from)})")
        return ", ".join(parts)


INDEXES = {
    "listings": SearchIndex(
        table="listings",
        fts="listings_search",
        columns={
            "name": ("name", "alt_names"),
            "details": ("list_name", "programs", "addresses", "title", "remarks", "ids", "federal_register_notice"),
        },
        terms_from=("name", "alt_names", "list_name", "remarks"),
        weights=(10.0, 1.0, 2.0),
    ),
    "documents": SearchIndex(
        table="documents",
        fts="documents_search",
        columns={
            "title": ("title",),
            "body": ("abstract", "action", "document_number", "citation", "publisher", "agencies", "full_text"),
        },
        terms_from=("title", "abstract", "full_text"),
        weights=(10.0, 1.0, 4.0),
    ),
}


def version() -> str:
    return f"{SEGMENTATION_VERSION}/{glossary.version()}"


def register_functions(db: Database) -> None:
    """The SQL functions the index triggers call; every writing connection needs them."""
    db.conn.create_function("search_text", -1, index_text, deterministic=True)
    db.conn.create_function("search_terms", -1, _terms, deterministic=True)


def _terms(*values: str | None) -> str:
    return glossary.english_terms(*values) if any(has_cjk(v) for v in values) else ""


def create(db: Database, index: SearchIndex) -> None:
    """The FTS table and its triggers, filled from the rows already stored."""
    columns = ", ".join(index.fts_columns)
    db.execute(f"CREATE VIRTUAL TABLE [{index.fts}] USING fts5({columns}, content='', tokenize='{TOKENIZER}')")
    db.executescript(f"""
        CREATE TRIGGER [{index.fts}_ai] AFTER INSERT ON [{index.table}] BEGIN
            {_insert(index, "new")}
        END;
        CREATE TRIGGER [{index.fts}_ad] AFTER DELETE ON [{index.table}] BEGIN
            {_delete(index, "old")}
        END;
        CREATE TRIGGER [{index.fts}_au] AFTER UPDATE OF {", ".join(f"[{c}]" for c in index.source_columns)}
        ON [{index.table}] BEGIN
            {_delete(index, "old")}
            {_insert(index, "new")}
        END;
    """)
    fill(db, index)


def _insert(index: SearchIndex, row: str) -> str:
    return (
        f"INSERT INTO [{index.fts}] (rowid, {', '.join(index.fts_columns)}) VALUES ({row}.rowid, {index.values(row)});"
    )


def _delete(index: SearchIndex, row: str) -> str:
    columns = ", ".join(index.fts_columns)
    return f"INSERT INTO [{index.fts}] ([{index.fts}], rowid, {columns}) VALUES ('delete', {row}.rowid, {index.values(row)});"


def fill(db: Database, index: SearchIndex, after_rowid: int = 0) -> None:
    """Index the rows of `index.table` above `after_rowid` (all of them by default)."""
    db.execute(
        f"INSERT INTO [{index.fts}] (rowid, {', '.join(index.fts_columns)}) "
        f"SELECT rowid, {index.values(index.table)} FROM [{index.table}] WHERE rowid > ?",
        [after_rowid],
    )


@contextmanager
def paused(db: Database, index: SearchIndex) -> Iterator[None]:
    """Inserts inside this block are indexed in one statement at its end (a bulk load), not row by row."""
    trigger = f"{index.fts}_ai"
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [trigger]).fetchone()[0]
    last = db.execute(f"SELECT coalesce(max(rowid), 0) FROM [{index.table}]").fetchone()[0]
    db.execute(f"DROP TRIGGER [{trigger}]")
    try:
        yield
        fill(db, index, after_rowid=last)
    finally:
        db.execute(sql)


def ensure_current(db: Database) -> None:
    """Rebuild every index when the glossary or the segmentation changed since it was built."""
    stored = db.execute(f"SELECT version FROM [{VERSION_TABLE}]").fetchone()
    if stored and stored[0] == version():
        return
    with db.atomic():
        for index in INDEXES.values():
            if db[index.fts].exists():
                db.execute(f"INSERT INTO [{index.fts}] ([{index.fts}]) VALUES ('delete-all')")
                fill(db, index)
        db.execute(f"DELETE FROM [{VERSION_TABLE}]")
        db.execute(f"INSERT INTO [{VERSION_TABLE}] (version) VALUES (?)", [version()])
