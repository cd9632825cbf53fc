"""The site in process (`Datasette(...).client`), on the demo database and on one with a history."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import store
from pipeline.crawl import registry
from pipeline.site import make_datasette
from spiders.kit.items import Document, as_record
from tests.kit.cli import FROZEN_NOW
from tests.kit.published import build_published, sample_records

SUGON = "csl:EL:c48206577977a92e77148b18924acdfde897d39d"
ZTE_PARSIAN = "csl:EL:c05f5ac35ddfed0c2fbafa459d8a49da9c7216e2"
SUGON_RULE = "federal_register:2019-13245"
LATER = "2026-11-29T06:00:00Z"


@dataclass
class Page:
    status: int
    text: str
    headers: dict

    def json(self):
        import json

        return json.loads(self.text)


def fetch(db_path: Path, *paths: str) -> list[Page]:
    """GET each path from a Datasette serving `db_path`, in process."""

    async def run():
        datasette = make_datasette(db_path)
        await datasette.invoke_startup()
        pages = []
        for path in paths:
            response = await datasette.client.get(path)
            pages.append(Page(response.status_code, response.text, dict(response.headers)))
        return pages

    return asyncio.run(run())


def get(db_path: Path, path: str, status: int = 200) -> Page:
    (page,) = fetch(db_path, path)
    assert page.status == status, f"{path}: {page.status} {page.text[:500]}"
    return page


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """The site reads the project's clock: the demo database was built at FROZEN_NOW."""
    monkeypatch.setenv("CHOKEPOINT_NOW", LATER)


def sugon_rule() -> dict:
    """The BIS rule that listed Sugon (84 FR 29371-29375), as the demo's Federal Register sample has it."""
    return as_record(
        Document(
            source="federal_register",
            document_number="2019-13245",
            title="Addition of Entities to the Entity List and Revision of an Entry on the Entity List",
            publication_date="2019-06-24",
            jurisdiction="US",
            type="Rule",
            action="Final rule.",
            publisher="Industry and Security Bureau",
            citation="84 FR 29371",
            volume=84,
            start_page=29371,
            end_page=29375,
            html_url="https://www.federalregister.gov/d/2019-13245",
        )
    )


@pytest.fixture(scope="session")
def history_db(tmp_path_factory) -> Path:
    """The CSL sample crawled twice: the second crawl moves Sugon's addresses and no longer has ZTE Parsian."""
    path = tmp_path_factory.mktemp("history") / "tracker.db"
    records = sample_records()
    db, _ = build_published(path, records, now=FROZEN_NOW)
    registry.register_sources(db)
    run_id = store.start_run(db, "federal_register", "documents", "file:///home/someone/fr/documents.json", FROZEN_NOW)
    store.apply_documents(db, run_id, [sugon_rule()], FROZEN_NOW)
    store.finish_run(db, run_id, "succeeded", FROZEN_NOW, complete=1)
    second = []
    for record in records:
        if record["id"] == ZTE_PARSIAN:
            continue
        if record["id"] == SUGON:
            record = {**record, "addresses": record["addresses"][:1]}
        second.append(record)
    run_id = store.start_run(db, "csl", "listings", "file:///home/someone/corpus/consolidated.csv", LATER)
    store.apply_snapshot(db, run_id, "csl", second, LATER)
    store.finish_run(db, run_id, "succeeded", LATER, complete=1)
    db.conn.close()
    return path


@pytest.fixture(scope="session")
def appeared_db(tmp_path_factory) -> Path:
    """The CSL sample crawled first without Sugon, then with it: Sugon appeared after the first crawl."""
    path = tmp_path_factory.mktemp("appeared") / "tracker.db"
    records = sample_records()
    db, _ = build_published(path, [r for r in records if r["id"] != SUGON], now=FROZEN_NOW)
    registry.register_sources(db)
    run_id = store.start_run(db, "federal_register", "documents", "file:///fr/documents.json", FROZEN_NOW)
    store.apply_documents(db, run_id, [sugon_rule()], FROZEN_NOW)
    store.finish_run(db, run_id, "succeeded", FROZEN_NOW, complete=1)
    run_id = store.start_run(db, "csl", "listings", "file:///corpus/consolidated.csv", LATER)
    store.apply_snapshot(db, run_id, "csl", records, LATER)
    store.finish_run(db, run_id, "succeeded", LATER, complete=1)
    db.conn.close()
    return path
