"""Listings for screening tests: the bundled CSL sample plus a few more real CSL rows (May 2022); and the
Federal Register rule that put SMIC on the Entity List, for tests of listings linked to their rule."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from pipeline import store
from spiders.csl.csl import CslSpider
from spiders.kit.items import Document, Listing, as_record
from spiders.kit.offline import parse_items, response_for
from tests.kit.cli import FROZEN_NOW
from tests.kit.files import FILES

SAMPLE = FILES / "csl" / "consolidated.csv"


def csl_listing(list_code: str, entry_id: str, name: str, alt_names=(), countries=(), entity_type=None) -> Listing:
    """A Consolidated Screening List entry as the CSL spider stores it (list name as "(CODE)")."""
    return Listing(
        source="csl",
        list_code=list_code,
        list_name=f"({list_code})",
        entry_id=entry_id,
        name=name,
        alt_names=list(alt_names),
        countries=list(countries),
        entity_type=entity_type,
    )


# Real entries of the May 2022 Consolidated Screening List, as the CSL spider would store them.
EXTRA = [
    csl_listing("SDN", "20224", "PUTIN, Vladimir Vladimirovich", ["PUTIN, Vladimir"], ["RU"], "Individual"),
    csl_listing(
        "SSI",
        "17064",
        "OAO NOVATEK",
        ["FINANSOVO-INVESTITSIONNAYA KOMPANIYA NOVAFININVEST OAO", "NOVATEK"],
        ["RU"],
        "Entity",
    ),
    csl_listing(
        "SSI",
        "16977",
        "PUBLIC JOINT STOCK COMPANY GAZPROM NEFT",
        ["PUBLICHNOE AKTSIONERNOE OBSHCHESTVO GAZPROM NEFT", "GAZPROM NEFT PJSC", "GAZPROM NEFT PAO"],
        ["RU"],
        "Entity",
    ),
    csl_listing("CMIC", "30950", "CHINA MOBILE COMMUNICATIONS GROUP CO., LTD.", ["CHINA MOBILE"], ["CN"], "Entity"),
    csl_listing(
        "CMIC",
        "30952",
        "AVIATION INDUSTRY CORPORATION OF CHINA, LTD.",
        ["AVIATION INDUSTRY CORP OF CHINA", "AVIATION INDUSTRY OF CHINA", "AVIC"],
        ["CN"],
        "Entity",
    ),
    csl_listing("EL", "bit-1", "Beijing Institute of Technology", countries=["CN"]),
    csl_listing(
        "SSI",
        "17141",
        "LIMITED LIABILITY COMPANY SBERBANK CAPITAL",
        [
            "SBERBANK CAPITAL LLC",
            "SBERBANK KAPITAL OOO",
            "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU SBERBANK KAPITAL",
        ],
        ["RU"],
        "Entity",
    ),
]


# The final rule of 22 December 2020 (85 FR 83416-83432) whose pages hold SMIC's listing citation, 85 FR 83420.
SMIC_RULE = as_record(
    Document(
        source="federal_register",
        document_number="2020-28031",
        title="Addition of Entities to the Entity List, Revision of Entry on the Entity List, "
        "and Removal of Entities From the Entity List",
        publication_date="2020-12-22",
        jurisdiction="US",
        publisher="Industry and Security Bureau",
        citation="85 FR 83416",
        volume=85,
        start_page=83416,
        end_page=83432,
    )
)


def sample_listings() -> list[Listing]:
    items = parse_items(CslSpider(url=SAMPLE.as_uri()), response_for(SAMPLE))
    unique = {item.id: item for item in items}  # the sample repeats one CAPTA entry, as the live list did
    return list(unique.values()) + EXTRA


def sample_records(listings=None) -> list[dict]:
    return [as_record(item) for item in listings or sample_listings()]


def build_published(path: Path, records: list[dict] | None = None, now: str = FROZEN_NOW) -> tuple[Database, int]:
    """A published database at `path` holding `records` as one succeeded CSL crawl."""
    db = Database(path)
    store.ensure_schema(db)
    run_id = store.start_run(db, "csl", "listings", "file://sample", now)
    counts = store.apply_snapshot(db, run_id, "csl", records or sample_records(), now)
    store.finish_run(db, run_id, "succeeded", now, complete=1)
    return db, counts
