"""A party's page: who is listed, on which list and terms, by which rule, with its tags, its timeline (its
listing, the rules, the parties tied to it, drawn one lane per jurisdiction) and its whole history.

`/party/<listing id>`. An id a source used before it re-keyed the entry leads
to the listing under its id now (`canonical`).
"""

from __future__ import annotations

from typing import Any

from pipeline.linkage.passages import readable_quotes
from pipeline.site import cells, urls
from pipeline.site.pages.reads import credits, first, rows, value
from pipeline.site.pages.timeline import party_timeline
from pipeline.site.pages.trends import industry_chart
from pipeline.store.citations import covers
from pipeline.store.links import LINKS_OF
from pipeline.trends.periods import parse_day
from spiders.kit.countries import country_name

# The listing's fields a person reads, in order (those a source left empty are not shown).
FACTS = (
    "alt_names",
    "entity_type",
    "addresses",
    "countries",
    "programs",
    "start_date",
    "end_date",
    "license_requirement",
    "license_policy",
    "title",
    "remarks",
    "ids",
    "dates_of_birth",
    "places_of_birth",
    "nationalities",
    "citizenships",
    "federal_register_notice",
    "entry_id",
)


async def canonical(db, listing_id: str) -> str | None:
    """The listing's id now, when `listing_id` is an id its source used before re-keying it."""
    return await value(db, "SELECT listing_id FROM listing_aliases WHERE alias_id = :id", {"id": listing_id})


async def party_page(db, listing_id: str) -> dict[str, Any] | None:
    listing = await first(db, "SELECT * FROM listings WHERE id = :id", {"id": listing_id})
    if listing is None:
        return None
    params = {"id": listing_id}
    extra = cells.decoded(listing["extra"]) or {}
    rules = await rows(
        db,
        "SELECT c.citation, c.volume, c.page, d.id AS document_id, d.document_number, d.title, d.publication_date, "
        "d.type, d.html_url, d.full_text IS NOT NULL AS has_text "
        f"FROM listing_citations c LEFT JOIN documents d ON {covers()} "
        "WHERE c.listing_id = :id ORDER BY c.volume, c.page",
        params,
    )
    passages = {}
    if await value(db, "SELECT 1 FROM sqlite_master WHERE name = 'listing_passages'", {}):
        for row in await rows(db, "SELECT * FROM listing_passages WHERE listing_id = :id", params):
            passages[(row["citation"], row["document_id"])] = row
    for rule in rules:
        rule["federal_register_url"] = urls.federal_register_citation(rule["volume"], rule["page"])
        rule["url"] = urls.measure_url(rule["document_id"]) if rule["document_id"] else None
        found = passages.get((rule["citation"], rule["document_id"]))
        rule["passage"] = readable_quotes(found["passage"]) if found else None
        rule["matched_name"] = found["matched_name"] if found else None
    related = []
    if await value(db, "SELECT 1 FROM sqlite_master WHERE name = 'listing_links'", {}):
        related = await rows(db, LINKS_OF, params)
    for link in related:
        link["url"] = urls.party_url(link["other_id"]) if link["other_id"] else None
    announcement = None
    if isinstance(extra, dict) and extra.get("announcement"):
        announcement = await first(
            db,
            "SELECT id, title, publication_date, html_url FROM documents WHERE source = :source "
            "AND document_number = :number",
            {"source": listing["source"], "number": extra["announcement"]},
        )
        if announcement:
            announcement["url"] = urls.measure_url(announcement["id"])
    history = await rows(
        db,
        "SELECT id, run_id, at, kind, name, fields FROM changes WHERE item_type = 'listing' AND (item_id = :id "
        "OR item_id IN (SELECT alias_id FROM listing_aliases WHERE listing_id = :id)) ORDER BY id",
        params,
    )
    for change in history:
        change["fields"] = cells.field_changes(change["fields"])
    corrections = await rows(db, "SELECT * FROM label_corrections WHERE item_id = :id ORDER BY id", params)
    source = (await credits(db)).get(listing["source"])
    return {
        "listing": listing,
        "facts": [
            {"field": field, "label": cells.label(field), "value": _fact(field, listing[field])}
            for field in FACTS
            if listing.get(field) not in (None, "", "[]", "{}")
        ],
        "extra": {key: value for key, value in extra.items() if key != "announcement"}
        if isinstance(extra, dict)
        else {},
        "rules": rules,
        "related": related,
        "announcement": announcement,
        "entry_url": _entry_url(listing, announcement),
        "history": history,
        "tags": tags(listing, corrections),
        "credit": source,
        "timeline": await party_timeline(db, listing_id),
        # Its industries' measures per month, the year either side of its listing: the wave it was listed in.
        "trend": await industry_chart(
            db,
            cells.decoded(listing["industries"]) or [],
            parse_day(listing["start_date"]) or parse_day(listing["first_seen"]),
            surges=False,  # a party page is read far more often than a measure's: counts only, no surge test
        ),
    }


def _fact(field: str, value: Any) -> Any:
    if field == "countries":
        return [f"{country_name(code) or code} ({code})" for code in cells.decoded(value) or []]
    return cells.decoded(value)


def _entry_url(listing: dict[str, Any], announcement: dict[str, Any] | None) -> str | None:
    """The most specific page the source has for this party: its announcement, else the source's information page."""
    candidates = [
        announcement and announcement.get("html_url"),
        listing.get("source_information_url"),
        listing.get("source_list_url"),
    ]
    return next((url for url in candidates if urls.safe_url(url)), None)


def tags(item: dict[str, Any], corrections: list[dict[str, Any]]) -> dict[str, Any]:
    """The tags in force and who set them: the model (with its confidence) or a person (with their note)."""
    in_force = corrections[-1] if corrections and corrections[-1]["dimensions"] is not None else None
    scores = cells.decoded(item.get("label_scores")) or {}
    chosen = [*(cells.decoded(item.get("dimensions")) or []), *(cells.decoded(item.get("industries")) or [])]
    return {
        "dimensions": cells.decoded(item.get("dimensions")) or [],
        "industries": cells.decoded(item.get("industries")) or [],
        "scores": {label: scores[label] for label in chosen if isinstance(scores, dict) and label in scores},
        "by": item.get("labels_by"),
        "model": item.get("labels_model"),
        "confidence": item.get("label_confidence"),
        "needs_review": bool(item.get("needs_review")),
        "model_dimensions": cells.decoded(item.get("model_dimensions")) or [],
        "model_industries": cells.decoded(item.get("model_industries")) or [],
        "correction": in_force,
        "corrections": corrections,
        "corrections_url": urls.table_url("label_corrections", item_id=item["id"]),
    }
