"""How a stored value reads on a page: JSON lists as lists, tags as tags, URLs as short links,
a modification field by field.

Everything returns escaped HTML (markupsafe): a value from a source is text, never markup.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from pipeline.site.urls import safe_url, short_url
from pipeline.store.records import decoded

TAG_COLUMNS = frozenset({"dimensions", "industries", "model_dimensions", "model_industries"})
# What a person calls each field of a listing or document.
FIELD_LABELS = {
    "name": "Name",
    "alt_names": "Also known as",
    "addresses": "Addresses",
    "countries": "Countries",
    "country": "Country",
    "entity_type": "Type",
    "programs": "Programmes",
    "list_code": "List",
    "list_name": "List",
    "entry_id": "Entry id at the source",
    "start_date": "Listed since",
    "end_date": "Ends",
    "federal_register_notice": "Federal Register notices",
    "license_requirement": "Licence requirement",
    "license_policy": "Licence review policy",
    "title": "Title",
    "remarks": "Remarks",
    "ids": "Identification",
    "dates_of_birth": "Dates of birth",
    "places_of_birth": "Places of birth",
    "nationalities": "Nationalities",
    "citizenships": "Citizenships",
    "source_list_url": "List page at the source",
    "source_information_url": "Information page at the source",
    "extra": "Further source fields",
    "abstract": "Abstract",
    "publication_date": "Published",
    "effective_on": "Effective",
    "full_text": "Full text",
    "html_url": "Page at the source",
    "pdf_url": "PDF",
}


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def link(url: Any, text: str | None = None) -> Markup:
    """A link when `url` is a safe http(s) URL, else the value as text."""
    safe = safe_url(url)
    if safe is None:
        return escape("" if url is None else str(url))
    shown = text if text is not None else short_url(safe)
    return Markup('<a href="{}" title="{}">{}</a>').format(safe, safe, shown)


def scalar(value: Any) -> Markup:
    if isinstance(value, str) and safe_url(value):
        return link(value)
    return escape("" if value is None else str(value))


def tags(values: Any) -> Markup:
    items = decoded(values) or []
    if not isinstance(items, list):
        return escape(str(values))
    return Markup("").join(Markup('<span class="tag">{}</span> ').format(item) for item in items)


def as_list(items: list[Any]) -> Markup:
    parts = [Markup("<li>{}</li>").format(_item(item)) for item in items]
    return Markup('<ul class="cell-list">{}</ul>').format(Markup("").join(parts))


def _item(item: Any) -> Markup:
    if isinstance(item, dict):
        return Markup("; ").join(
            Markup("{}: {}").format(key, scalar(value)) for key, value in item.items() if value not in (None, "")
        )
    if isinstance(item, list):
        return as_list(item)
    return scalar(item)


def as_pairs(mapping: dict[str, Any]) -> Markup:
    rows = [
        Markup("<dt>{}</dt><dd>{}</dd>").format(label(key), readable(value))
        for key, value in mapping.items()
        if value not in (None, "", [], {})
    ]
    return Markup('<dl class="cell-pairs">{}</dl>').format(Markup("").join(rows))


def scores(mapping: dict[str, float], limit: int = 6) -> Markup:
    best = sorted(mapping.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    return as_list([f"{name} {score:.2f}" for name, score in best])


def readable(value: Any, column: str | None = None) -> Markup:
    """Any stored value as a person reads it."""
    value = decoded(value)
    if column in TAG_COLUMNS:
        return tags(value)
    if column == "label_scores" and isinstance(value, dict):
        return scores(value)
    if column == "fields" and isinstance(value, dict):
        return modification_table(field_changes(value))
    if value in ([], {}):
        return Markup("")
    if isinstance(value, list):
        return as_list(value)
    if isinstance(value, dict):
        return as_pairs(value)
    return scalar(value)


def field_changes(fields: Any) -> list[dict[str, Any]]:
    """A `changes` row's {field: {before, after}} as one entry per field; lists say what was added and removed."""
    fields = decoded(fields)
    if not isinstance(fields, dict):
        return []
    rows = []
    for field, change in fields.items():
        before, after = decoded(change.get("before")), decoded(change.get("after"))
        entry = {"field": field, "label": label(field), "before": before, "after": after}
        if isinstance(before, list) and isinstance(after, list):
            entry["added"] = [item for item in after if item not in before]
            entry["removed"] = [item for item in before if item not in after]
        rows.append(entry)
    return rows


def modification_table(rows: list[dict[str, Any]]) -> Markup:
    """Field | before | after, one row per changed field."""
    body = []
    for row in rows:
        if "added" in row:
            before = as_list(row["removed"]) if row["removed"] else Markup("<em>nothing removed</em>")
            after = as_list(row["added"]) if row["added"] else Markup("<em>nothing added</em>")
            cells = Markup("<td>removed: {}</td><td>added: {}</td>").format(before, after)
        else:
            cells = Markup("<td>{}</td><td>{}</td>").format(_or_empty(row["before"]), _or_empty(row["after"]))
        body.append(Markup('<tr><th scope="row">{}</th>{}</tr>').format(row["label"], cells))
    return Markup(
        '<table class="modification"><thead><tr><th>field</th><th>before</th><th>after</th></tr></thead>'
        "<tbody>{}</tbody></table>"
    ).format(Markup("").join(body))


def _or_empty(value: Any) -> Markup:
    if value in (None, "", [], {}):
        return Markup("<em>empty</em>")
    return readable(value)
