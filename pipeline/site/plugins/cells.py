"""Datasette plugin: table cells a person can read.

JSON lists become lists, tags become tags, URLs become short links (only
http(s): see urls.safe_url), a modification becomes a field-by-field table, a
party's name and a measure's title link to their pages, and the `source` of a
row names its own publisher with the terms it publishes under.
"""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup

from pipeline.site import cells, urls
from pipeline.site.pages.reads import credits

# Columns that name an item, per table, and the column holding the item's id.
ITEM_LINKS = {
    ("listings", "name"): ("id", urls.party_url),
    ("listings", "id"): ("id", urls.party_url),
    ("documents", "title"): ("id", urls.measure_url),
    ("documents", "id"): ("id", urls.measure_url),
    ("listing_rules", "name"): ("listing_id", urls.party_url),
    ("listing_rules", "rule_title"): ("document_id", urls.measure_url),
    ("public_inspection_links", "title"): ("pi_id", urls.measure_url),
    ("label_corrections", "item_id"): ("item_id", None),
    ("changes", "name"): ("item_id", None),
}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None or database != "chokepoint":
        return None
    target = ITEM_LINKS.get((table, column))
    if target is not None:
        return _item_link(row, value, *target)
    if column == "source" and table in ("listings", "documents"):
        return _credit(row, datasette)
    if isinstance(value, str) and (value[:1] in "[{" or column in cells.TAG_COLUMNS or urls.safe_url(value)):
        # Datasette shows the raw value when a plugin's answer is empty: an empty list would read "[]".
        return cells.readable(value, column) or EMPTY
    return None


EMPTY = Markup('<span class="empty"></span>')


def _item_link(row, value, id_column: str, to_url) -> Markup:
    item_id = row[id_column]
    if to_url is None:  # a change or correction: a listing or a document, by the shape of its row
        item_type = row["item_type"] if "item_type" in row.keys() else None
        to_url = urls.measure_url if item_type == "document" else urls.party_url
    text = Markup('<a href="{}">{}</a>').format(to_url(item_id), value)
    if "removed_on" in row.keys() and row["removed_on"]:
        text += Markup(' <span class="removed-badge">removed {}</span>').format(row["removed_on"][:10])
    return text


def _credit(row, datasette):
    async def credit():
        source = (await credits(datasette.get_database("chokepoint"))).get(row["source"])
        if source is None:
            return None
        publisher = Markup('<span class="credit">{}</span>').format(source["publisher"])
        terms = cells.link(source["license_url"], "terms") if source["license_url"] else Markup("")
        return Markup('{} <span class="terms" title="{}">{}</span>').format(publisher, source["license"] or "", terms)

    return credit
