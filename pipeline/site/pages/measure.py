"""A measure's page: what it is, when, by whom, where to read it, its tags, and the parties it listed.

`/measure/<document id>`. A filing seen on the Federal Register's public-inspection
desk and then published is one measure with both dates: its public-inspection
copy's address leads to the published document once that is stored. Below its tags, its
industries' measures per month around its publication, surge months marked (pages/trends.py).
"""

from __future__ import annotations

from typing import Any

from pipeline.site import cells, urls
from pipeline.site.pages.party import tags
from pipeline.site.pages.reads import credits, first, rows, value
from pipeline.site.pages.trends import industry_chart
from pipeline.store.responses import RESPONDS_TO, RESPONSES_OF, not_ranked_because
from pipeline.store.search import glossary
from pipeline.store.search.text import has_cjk
from pipeline.trends.periods import parse_day

PUBLIC_INSPECTION = "federal_register_public_inspection"
SHOWN_SUGGESTIONS = 3  # per side; every pair a person confirmed is shown too


async def published_version(db, document_id: str) -> str | None:
    """The published document's id when `document_id` is a public-inspection copy of it."""
    return await value(
        db,
        "SELECT p.id FROM documents pi JOIN documents p ON p.source = 'federal_register' "
        "AND p.document_number = pi.document_number WHERE pi.id = :id AND pi.source = :pi",
        {"id": document_id, "pi": PUBLIC_INSPECTION},
    )


async def measure_page(db, document_id: str) -> dict[str, Any] | None:
    document = await first(db, "SELECT * FROM documents WHERE id = :id", {"id": document_id})
    if document is None:
        return None
    params = {"id": document_id}
    inspection = None
    if document["source"] == "federal_register":
        inspection = await first(
            db,
            "SELECT id, json_extract(extra, '$.filed_at') AS filed_at, json_extract(extra, '$.filing_type') AS "
            "filing_type, pdf_url FROM documents WHERE source = :pi AND document_number = :number",
            {"pi": PUBLIC_INSPECTION, "number": document["document_number"]},
        )
    elif document["source"] == PUBLIC_INSPECTION:
        inspection = {
            "id": document["id"],
            "filed_at": (cells.decoded(document["extra"]) or {}).get("filed_at"),
            "pending": True,
        }
    # The parties this measure listed or changed: a Federal Register rule through the pages its listings cite,
    # an announcement of MOFCOM through the announcement each of its parties names.
    listings = await rows(
        db,
        "SELECT l.id, l.name, l.list_code, l.list_name, l.country, l.removed_on, c.citation FROM listing_citations c "
        "JOIN documents d ON d.id = :id AND d.volume = c.volume AND c.page BETWEEN d.start_page AND d.end_page "
        "JOIN listings l ON l.id = c.listing_id "
        "UNION SELECT l.id, l.name, l.list_code, l.list_name, l.country, l.removed_on, NULL FROM listings l "
        "JOIN documents d ON d.id = :id AND l.source = d.source AND json_extract(l.extra, '$.announcement') = "
        "d.document_number ORDER BY 2",
        params,
    )
    for listing in listings:
        listing["url"] = urls.party_url(listing["id"])
    corrections = await rows(db, "SELECT * FROM label_corrections WHERE item_id = :id ORDER BY id", params)
    extra = cells.decoded(document["extra"]) or {}
    return {
        "document": document,
        "english": " · ".join(glossary.gloss(document["title"], document["abstract"]))
        if has_cjk(document["title"])
        else "",
        "inspection": inspection,
        "agencies": cells.decoded(document["agencies"]) or [],
        "links": [
            (name, url)
            for name, url in (
                ("The document at its source", document["html_url"]),
                ("PDF", document["pdf_url"]),
                ("Full text", document["full_text_url"]),
            )
            if urls.safe_url(url)
        ],
        "details": {
            key: value
            for key, value in (
                ("Document number", document["document_number"]),
                ("Citation", document["citation"]),
                ("Action", document["action"]),
                ("Effective", document["effective_on"]),
                ("CFR", cells.decoded(document["cfr_references"])),
                ("Dockets", cells.decoded(document["docket_ids"])),
                ("RIN", cells.decoded(document["regulation_id_numbers"])),
                ("Corrects", document["correction_of"]),
                ("Comments close", extra.get("comments_close_on") if isinstance(extra, dict) else None),
            )
            if value not in (None, "", [], {})
        },
        "listings": listings,
        "tags": tags(document, corrections),
        "credit": (await credits(db)).get(document["source"]),
        "responses": await responses(db, document),
        "trend": await industry_chart(
            db, cells.decoded(document["industries"]) or [], parse_day(document["publication_date"])
        ),
    }


async def responses(db, document: dict[str, Any]) -> dict[str, Any]:
    """The measure's likeliest responses and what it may answer (pipeline/linkage/responses.py), rejected
    pairs left out, with the last ranking (None: this database was never ranked)."""
    if not await value(db, "SELECT 1 FROM sqlite_master WHERE name = 'response_rankings'", {}):
        return {"ranking": None}
    ranking = await first(db, "SELECT * FROM response_rankings ORDER BY id DESC LIMIT 1")
    if ranking is None:
        return {"ranking": None}
    found = {
        "ranking": ranking,
        "late": bool(document["first_seen"] and document["first_seen"] > ranking["at"]),
        "not_ranked": not_ranked_because(document),
    }
    for key, sql in (("responses", RESPONSES_OF), ("in_response_to", RESPONDS_TO)):
        pairs = await rows(db, sql, {"id": document["id"]})
        confirmed = [pair for pair in pairs if pair["status"] == "confirmed"]
        suggested = [pair for pair in pairs if pair["status"] == "suggested"][:SHOWN_SUGGESTIONS]
        for pair in confirmed + suggested:
            pair["url"] = urls.measure_url(pair["other_id"])
        found[key] = confirmed + suggested
    return found
