"""A measure's page: what it is, when, by whom, where to read it, its tags, and the parties it listed.

`/measure/<document id>`. A filing seen on the Federal Register's public-inspection
desk and then published is one measure with both dates: its public-inspection
copy's address leads to the published document once that is stored.
"""

from __future__ import annotations

from typing import Any

from pipeline.site import cells, urls
from pipeline.site.pages.party import tags
from pipeline.site.pages.reads import credits, first, rows, value
from pipeline.store.search import glossary
from pipeline.store.search.text import has_cjk

PUBLIC_INSPECTION = "federal_register_public_inspection"


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
    }
