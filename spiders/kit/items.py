"""The two kinds of item every spider yields.

A `Listing` is one party on one list (a snapshot source sees the whole list on
every crawl). A `Document` is one rule, notice, press release or case (a stream
source sees what is new since the last crawl). Both carry the id they will be
stored under, built from the source's own identifiers so a re-run is a no-op.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

# The entity type of a listing that names a kind of equipment, not a party (the
# FCC Covered List's "foreign-produced drones"): tracked for changes, never screened.
EQUIPMENT_CATEGORY = "Equipment category"


class InvalidItem(ValueError):
    """An item is missing a field the store cannot do without."""


def _require(item: Any, *names: str) -> None:
    missing = [name for name in names if not getattr(item, name)]
    if missing:
        raise InvalidItem(f"{type(item).__name__} {item.id!r} lacks required field(s): {', '.join(missing)}")


@dataclass
class Listing:
    """One listed party on one list, as published by one source."""

    source: str  # the spider that saw it, e.g. "csl"
    list_code: str  # short code of the list, e.g. "EL", "SDN", "DPL"
    list_name: str  # the list's full name as the source prints it
    entry_id: str  # the source's id for this entry on this list
    name: str
    entity_type: str | None = None  # Individual, Entity, Vessel, Aircraft, or None when the source does not say
    alt_names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2, from addresses and nationality
    programs: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    title: str | None = None
    remarks: str | None = None
    federal_register_notice: str | None = None
    start_date: str | None = None  # ISO date when the source's date parses, else the source's text
    end_date: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    dates_of_birth: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    source_list_url: str | None = None
    source_information_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # source-specific fields worth keeping

    @property
    def id(self) -> str:
        return f"{self.source}:{self.list_code}:{self.entry_id}"

    def validate(self) -> None:
        _require(self, "source", "list_code", "list_name", "entry_id", "name")


@dataclass
class Document:
    """One published rule, notice, press release or case."""

    source: str  # the spider that saw it, e.g. "federal_register"
    document_number: str  # the source's own id (FR document number, CELEX, case number...)
    title: str
    publication_date: str | None  # ISO date
    jurisdiction: str  # "US", "EU", "CN", "JP", ...
    publisher: str  # the body that issued it, e.g. "Federal Register"
    type: str | None = None  # Rule, Proposed Rule, Notice, Presidential Document, Press release...
    subtype: str | None = None
    abstract: str | None = None
    action: str | None = None
    dates: str | None = None
    effective_on: str | None = None
    citation: str | None = None  # e.g. "89 FR 43"
    volume: int | None = None
    start_page: int | None = None
    end_page: int | None = None
    agencies: list[str] = field(default_factory=list)
    agency_slugs: list[str] = field(default_factory=list)
    cfr_references: list[dict[str, Any]] = field(default_factory=list)
    docket_ids: list[str] = field(default_factory=list)
    regulation_id_numbers: list[str] = field(default_factory=list)
    correction_of: str | None = None
    html_url: str | None = None
    pdf_url: str | None = None
    full_text_url: str | None = None
    full_text: str | None = None
    language: str = "en"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.source}:{self.document_number}"

    def validate(self) -> None:
        _require(self, "source", "document_number", "title", "jurisdiction", "publisher")


Item = Listing | Document


@dataclass
class ItemBatch:
    """Many items from one response, yielded as one object.

    Scrapy spends about 125 µs on every object a callback yields; a list of
    tens of thousands of parties pays seconds for that, so big lists travel in
    batches. Each item in a batch is still checked on its own.
    """

    items: list[Item]

    def validate(self) -> None:
        for item in self.items:
            item.validate()


def unbatch(objects) -> list[Item]:
    """Items from a mix of items and batches, in order."""
    items: list[Item] = []
    for obj in objects:
        if isinstance(obj, ItemBatch):
            items.extend(obj.items)
        else:
            items.append(obj)
    return items


def as_record(item: Item) -> dict[str, Any]:
    """The item as a dict ready for the store, with its id.

    Shallow on purpose: `dataclasses.asdict` deep-copies every list and costs
    more than the rest of a 14,000-row crawl.
    """
    record = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    record["id"] = item.id
    return record
