"""Searching the published database: Chinese-aware full-text indexes kept in sync by triggers,
English glossary words for Chinese text, and the statements a search page runs.

`text` (segmenting Chinese and Japanese, reading what a person typed), `glossary`
(English words for Chinese terms, from glossary.csv), `index` (the FTS5 tables,
their triggers and SQL functions, rebuilds), `facets` (narrow facet tables kept
in sync by triggers), `queries` (ranked rows, capped counts, facets).
"""

from pipeline.store.search import facets, index
from pipeline.store.search.index import INDEXES, ensure_current, register_functions
from pipeline.store.search.queries import COUNT_CAP, KINDS, MEASURES, PARTIES, Facet, Kind, facet_counts, run
from pipeline.store.search.text import index_text, match_expression

__all__ = [
    "COUNT_CAP",
    "INDEXES",
    "KINDS",
    "MEASURES",
    "PARTIES",
    "Facet",
    "Kind",
    "ensure_current",
    "facet_counts",
    "facets",
    "index",
    "index_text",
    "match_expression",
    "register_functions",
    "run",
]
