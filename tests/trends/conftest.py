"""A real published database in a file, built through the store's own code: crawl runs, documents,
listings and people's tags, as a crawl and a review would leave them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from pipeline.store import apply_documents, apply_snapshot, ensure_schema, finish_run, start_run
from pipeline.store.labels import record_correction
from pipeline.store.registry import replace_sources
from spiders.kit.items import Document, Listing, as_record

NOW = "2026-11-28T12:00:00Z"
SOURCES = [
    {"spider": "federal_register", "kind": "documents", "jurisdiction": "US", "schedule": "daily"},
    {"spider": "federal_register_public_inspection", "kind": "documents", "jurisdiction": "US", "schedule": "daily"},
    {"spider": "csl", "kind": "listings", "jurisdiction": "US", "schedule": "daily"},
]


def document(number, day, title, source="federal_register"):
    return as_record(
        Document(
            source=source,
            document_number=number,
            title=title,
            publication_date=day,
            jurisdiction="US",
            publisher="Federal Register",
        )
    )


def listing(entry_id, name, start_date=None):
    return as_record(
        Listing(
            source="csl", list_code="EL", list_name="Entity List", entry_id=entry_id, name=name, start_date=start_date
        )
    )


def crawl(db, spider, kind, records, now=NOW):
    run = start_run(db, spider, kind, "file:///sample", now)
    if kind == "documents":
        apply_documents(db, run, records, now)
    else:
        apply_snapshot(db, run, spider, records, now)
    finish_run(db, run, "succeeded", now)
    return run


def october_2022_rule():
    """BIS's advanced computing and chip-equipment rule of 13 October 2022, as published."""
    return document(
        "2022-21658",
        "2022-10-13",
        "Implementation of Additional Export Controls: Certain Advanced Computing and Semiconductor "
        "Manufacturing Items; Supercomputer and Semiconductor End Use; Entity List Modification",
    )


def tag(db, item_id, *industries, dimensions=("key_inputs",)):
    record_correction(db, item_id, list(dimensions), list(industries), "test fixture", "tester", NOW)


@pytest.fixture
def stored(tmp_path) -> Path:
    """Real 2022-2023 BIS rules and Entity List parties (titles as published), tagged by a person."""
    path = tmp_path / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    crawl(
        db,
        "federal_register",
        "documents",
        [
            october_2022_rule(),
            document(
                "2023-23055",
                "2023-10-25",
                "Implementation of Additional Export Controls: Certain Advanced "
                "Computing Items; Supercomputer and Semiconductor End Use; Updates and Corrections",
            ),
            document("2023-23049", "2023-10-25", "Export Controls on Semiconductor Manufacturing Items"),
        ],
    )
    crawl(
        db,
        "federal_register_public_inspection",
        "documents",
        [
            document(
                "2023-23049",
                "2023-10-25",
                "Export Controls on Semiconductor Manufacturing Items",
                source="federal_register_public_inspection",
            )
        ],
    )
    crawl(
        db,
        "csl",
        "listings",
        [
            listing("a1", "Semiconductor Manufacturing International Corporation", "2020-12-18"),
            listing("a2", "Huawei Technologies Co., Ltd."),
        ],
    )
    crawl(
        db,
        "csl",
        "listings",
        [
            listing("a1", "Semiconductor Manufacturing International Corporation", "2020-12-18"),
            listing("a2", "Huawei Technologies Co., Ltd."),
            listing("a3", "Yangtze Memory Technologies Co., Ltd."),
        ],
        now="2026-11-30T06:00:00Z",
    )
    for number in ("2022-21658", "2023-23055", "2023-23049"):
        tag(db, f"federal_register:{number}", "semiconductors")
    db.conn.close()
    return path
