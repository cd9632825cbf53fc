"""The front page: what is new this week, and whether every source is healthy enough to trust that.

"New" means first stored by a crawl in the last 7 days (the `changes` log): a
rule published years ago but crawled today is new to the reader, and a quiet week
with failing sources says so beside the empty counts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pipeline.site import urls
from pipeline.site.pages.reads import rows, source_health
from spiders.kit import clock

WINDOW_DAYS = 7
# A public-inspection filing whose published version is stored counts once, as the published document.
NOT_A_COPY = (
    "NOT (d.source = 'federal_register_public_inspection' AND EXISTS (SELECT 1 FROM documents p "
    "WHERE p.source = 'federal_register' AND p.document_number = d.document_number))"
)


async def front_page(db, canned_queries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    now = clock.current().replace(microsecond=0)
    since = (now - timedelta(days=WINDOW_DAYS)).isoformat().replace("+00:00", "Z")
    params = {"since": since}
    listings = await rows(
        db,
        "SELECT c.kind, c.source, c.list_code, max(l.list_name) AS list_name, count(*) AS n FROM changes c "
        "LEFT JOIN listings l ON l.id = c.item_id WHERE c.item_type = 'listing' AND c.kind IN ('added', 'removed') "
        "AND c.at >= :since GROUP BY c.kind, c.source, c.list_code ORDER BY n DESC, c.list_code",
        params,
    )
    measures = "FROM changes c JOIN documents d ON d.id = c.item_id"
    new = f"WHERE c.item_type = 'document' AND c.kind = 'added' AND c.at >= :since AND {NOT_A_COPY}"
    by_dimension = await rows(
        db,
        f"SELECT coalesce(t.value, '(not tagged)') AS dimension, count(*) AS n {measures} "
        f"LEFT JOIN json_each(d.dimensions) t {new} GROUP BY 1 ORDER BY n DESC, 1",
        params,
    )
    by_jurisdiction = await rows(
        db, f"SELECT d.jurisdiction, count(*) AS n {measures} {new} GROUP BY 1 ORDER BY n DESC, 1", params
    )
    total = await rows(db, f"SELECT count(*) AS n {measures} {new}", params)
    health = await source_health(db)
    now_text = now.isoformat().replace("+00:00", "Z")
    for row in listings:
        column = "first_seen__gte" if row["kind"] == "added" else "removed_on__gte"
        row["url"] = urls.table_url("listings", source=row["source"], list_code=row["list_code"], **{column: since})
    for row in by_dimension:
        tagged = row["dimension"] != "(not tagged)"
        row["url"] = urls.table_url(
            "documents", first_seen__gte=since, **({"dimensions__arraycontains": row["dimension"]} if tagged else {})
        )
    for row in by_jurisdiction:
        row["url"] = urls.table_url("documents", first_seen__gte=since, jurisdiction=row["jurisdiction"])
    return {
        "now": now_text,
        "since": since,
        "window_days": WINDOW_DAYS,
        "added": [row for row in listings if row["kind"] == "added"],
        "removed": [row for row in listings if row["kind"] == "removed"],
        "new_measures": total[0]["n"],
        "by_dimension": by_dimension,
        "by_jurisdiction": by_jurisdiction,
        "health": health,
        "unhealthy": [source for source in health if source["state"] != "ok"],
        "feeds": feeds(canned_queries),
        "queries": [
            {
                "name": name,
                "title": query.get("title", name),
                "description": query.get("description", ""),
                "url": urls.query_url(name),
            }
            for name, query in canned_queries.items()
        ],
    }


def feeds(canned_queries: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """Every canned query shaped as a feed (it selects atom_id): its .atom address."""
    return [
        {"title": query.get("title", name), "url": urls.query_url(name, ".atom"), "page": urls.query_url(name)}
        for name, query in canned_queries.items()
        if "atom_id" in query.get("sql", "")
    ]
