"""The published database as FollowTheMoney entities, with the `followthemoney` library.

Each listed party becomes a Person, Company (a name with a legal form: Co., Ltd.,
GmbH, OAO...), LegalEntity, Vessel or Airplane; its listing becomes a Sanction
naming the party, the list, the publisher and the terms; the rule that listed it
(a stored Federal Register rule whose pages hold the listing's citation, or the
MOFCOM announcement that named it) becomes a Document and the Sanction's `proof`.
Entity ids are derived from the stored ids, so the same database exports the same
lines, byte for byte, in id order. A listing of a kind of equipment (the FCC
Covered List's drones and routers) is no party: it is counted and left out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from rigour.names import extract_org_types
from sqlite_utils import Database

from pipeline.store.citations import rules_by_listing
from pipeline.store.listed import every_listing
from pipeline.store.registry import registered_sources
from spiders.kit.items import EQUIPMENT_CATEGORY

SCHEMA_BY_TYPE = {"Individual": "Person", "Vessel": "Vessel", "Aircraft": "Airplane"}
# Listing columns that are lists (JSON) and the property each feeds.
LIST_PROPERTIES = {
    "alt_names": "alias",
    "addresses": "address",
    "countries": "country",
    "dates_of_birth": "birthDate",
    "places_of_birth": "birthPlace",
    "nationalities": "nationality",
    "citizenships": "citizenship",
}


@dataclass
class ExportCounts:
    """Entities written, per schema, and listings left out with the reason."""

    schemas: Counter = field(default_factory=Counter)
    left_out: Counter = field(default_factory=Counter)


def schema_for(listing: dict[str, Any]) -> str:
    kind = listing.get("entity_type")
    if kind in SCHEMA_BY_TYPE:
        return SCHEMA_BY_TYPE[kind]
    return "Company" if extract_org_types(listing["name"]) else "LegalEntity"


def _values(cell: Any) -> list[Any]:
    if cell is None:
        return []
    if isinstance(cell, str) and cell[:1] == "[":
        try:
            return [value for value in json.loads(cell) if value not in (None, "")]
        except ValueError:
            return [cell]
    return [cell]


def party(listing: dict[str, Any]) -> EntityProxy:
    proxy = model.make_entity(schema_for(listing))
    proxy.id = f"chokepoint-{proxy.make_id('listing', listing['id'])}"
    proxy.add("name", listing["name"])
    for column, prop in LIST_PROPERTIES.items():
        proxy.add(
            prop, _values(listing.get(column)), quiet=True, fuzzy=prop in ("country", "nationality", "citizenship")
        )
    proxy.add("position", listing.get("title"), quiet=True)
    proxy.add("notes", listing.get("remarks"), quiet=True)
    proxy.add("topics", "sanction", quiet=True)
    return proxy


def document(row: dict[str, Any], publisher: str | None) -> EntityProxy:
    proxy = model.make_entity("Document")
    proxy.id = f"chokepoint-{proxy.make_id('document', row['id'])}"
    proxy.add("title", row["title"])
    proxy.add("publishedAt", row["publication_date"], quiet=True)
    proxy.add("sourceUrl", row["html_url"] or row["pdf_url"], quiet=True)
    proxy.add("publisher", row["publisher"] or publisher, quiet=True)
    proxy.add("summary", row["abstract"], quiet=True)
    proxy.add("recordId", row["document_number"], quiet=True)
    return proxy


def sanction(listing: dict[str, Any], target: EntityProxy, source: dict[str, Any], proofs: list[str]) -> EntityProxy:
    proxy = model.make_entity("Sanction")
    proxy.id = f"chokepoint-{proxy.make_id('sanction', listing['id'])}"
    proxy.add("entity", target.id)
    proxy.add("authority", source.get("publisher"), quiet=True)
    proxy.add("program", listing.get("list_name") or listing["list_code"])
    proxy.add("programId", listing["list_code"])
    proxy.add("recordId", listing.get("entry_id"), quiet=True)
    proxy.add("sourceUrl", listing.get("source_information_url") or listing.get("source_list_url"), quiet=True)
    proxy.add("startDate", listing.get("start_date"), quiet=True)
    removed = (listing.get("removed_on") or "")[:10]
    proxy.add("endDate", removed or listing.get("end_date"), quiet=True)
    proxy.add("status", "removed" if removed else "listed")
    provisions = [
        f"{label}: {listing[column]}"
        for label, column in (
            ("Licence requirement", "license_requirement"),
            ("Licence review policy", "license_policy"),
        )
        if listing.get(column)
    ]
    proxy.add("provisions", provisions, quiet=True)
    proxy.add("publisher", source.get("publisher"), quiet=True)
    proxy.add("publisherUrl", source.get("home"), quiet=True)
    proxy.add("summary", source.get("license"), quiet=True)
    proxy.add("retrievedAt", (listing.get("last_seen") or "")[:10], quiet=True)
    proxy.add("proof", proofs)
    return proxy


def entities(db: Database, counts: ExportCounts | None = None) -> Iterator[EntityProxy]:
    """Every entity of the export, parties and sanctions in listing-id order, then the rules they cite."""
    counts = counts if counts is not None else ExportCounts()
    sources = {row["spider"]: {**row, "home": (row["live_url"] or "").split(" ")[0]} for row in registered_sources(db)}
    rules: dict[str, EntityProxy] = {}
    cited = rules_by_listing(db)
    for listing in every_listing(db):
        if listing.get("entity_type") == EQUIPMENT_CATEGORY:
            counts.left_out["a kind of equipment, not a party"] += 1
            continue
        target = party(listing)
        proofs = []
        for row in cited.get(listing["id"], []):
            rule = rules.get(row["id"]) or document(row, sources.get(row["source"], {}).get("publisher"))
            rules[row["id"]] = rule
            proofs.append(rule.id)
        counts.schemas[target.schema.name] += 1
        yield target
        counts.schemas["Sanction"] += 1
        yield sanction(listing, target, sources.get(listing["source"], {}), sorted(set(proofs)))
    for document_id in sorted(rules):
        counts.schemas["Document"] += 1
        yield rules[document_id]


def write(db: Database, output, counts: ExportCounts | None = None) -> ExportCounts:
    """Write the export to `output` (a text stream), one entity a line."""
    counts = counts if counts is not None else ExportCounts()
    for proxy in entities(db, counts):
        output.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return counts
