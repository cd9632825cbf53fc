"""The search page: one box over parties (listings) and measures (documents), ranked.

Per kind of result it runs three statements, whatever the query matches: one
count that stops at COUNT_CAP, the page of rows, one statement counting every
facet (past COUNT_CAP matches, rows and facets come from the most recently
stored COUNT_CAP, and the page says so). Every facet shows on every page: with its values, with "none" when no
match has one, or with why it was not counted (a statement stopped by the
site's time limit). Facet links narrow the results; `kind` shows one kind with
paging.
"""

from __future__ import annotations

from typing import Any

from datasette.database import QueryInterrupted

from pipeline.site import urls
from pipeline.site.pages.reads import credits, rows, unhealthy_sources
from pipeline.store import search
from pipeline.store.search import glossary
from pipeline.store.search.text import has_cjk

PAGE_SIZE = 20
PREVIEW_SIZE = 10
SORTS = ("rank", "newest")


async def search_page(db, args: dict[str, str]) -> dict[str, Any]:
    query = (args.get("q") or "").strip()
    focus = args.get("kind") if args.get("kind") in search.KINDS else None
    sort = args.get("sort") if args.get("sort") in SORTS else "rank"
    page = max(1, _int(args.get("page"), 1))
    context: dict[str, Any] = {"query": query, "focus": focus, "sort": sort, "page": page, "sections": []}
    match = search.match_expression(query) if query else None
    if match is None:
        context["empty_query"] = bool(query)
        return context
    sources = await credits(db)
    context["unhealthy"] = await unhealthy_sources(db)
    for kind in search.KINDS.values():
        if focus and kind.name != focus:
            continue
        filters = {facet.name: args[facet.name] for facet in kind.facets if args.get(facet.name)}
        limit = PAGE_SIZE if focus else PREVIEW_SIZE
        offset = (page - 1) * limit if focus else 0
        params = kind.params(match, filters, limit=limit, offset=offset)
        counted, floor = (await rows(db, kind.count_sql(filters), params))[0].values()
        params["floor"] = floor
        found = await rows(db, kind.rows_sql(filters, sort), params)
        try:
            counts, _ = search.facet_counts(kind, await rows(db, kind.facets_sql(filters), params))
            not_counted = None
        except QueryInterrupted:
            counts, not_counted = {}, "not counted: it took longer than the site allows"
        facets = [_facet(facet, counts.get(facet.name, []), args, kind.name, not_counted) for facet in kind.facets]
        context["sections"].append(
            {
                "kind": kind.name,
                "results": [_decorate(kind.name, row, sources) for row in found],
                "count": min(counted, search.COUNT_CAP),
                "more_than": counted > search.COUNT_CAP,
                "facets": facets,
                # Rows and facets come from the newest COUNT_CAP matches (the count's floor) when more match.
                "among_newest": search.COUNT_CAP if counted > search.COUNT_CAP else None,
                "filters": {name: value for name, value in filters.items()},
                "all_url": _url(args, kind=kind.name, page=None),
                "next_url": _url(args, page=str(page + 1)) if focus and counted > offset + limit else None,
                "previous_url": _url(args, page=str(page - 1) if page > 2 else None) if focus and page > 1 else None,
            }
        )
    context["sort_urls"] = {name: _url(args, sort=None if name == "rank" else name, page=None) for name in SORTS}
    context["kind_urls"] = {
        "all": _url(args, kind=None, page=None),
        **{name: _url(args, kind=name, page=None) for name in search.KINDS},
    }
    return context


def _decorate(kind: str, row: dict[str, Any], sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    row = dict(row)
    row["credit"] = sources.get(row["source"])
    if kind == "parties":
        row["url"] = urls.party_url(row["id"])
    else:
        row["url"] = urls.measure_url(row["id"])
        # A Chinese-only title gets the glossary's English words beside it.
        row["english"] = " · ".join(glossary.gloss(row["title"])) if has_cjk(row["title"]) else ""
    return row


def _facet(
    facet: search.Facet, values: list[dict[str, Any]], args: dict[str, str], kind: str, not_counted: str | None
) -> dict[str, Any]:
    chosen = args.get(facet.name)
    options = [
        {
            "value": value["value"],
            "count": value["n"],
            "selected": str(value["value"]) == chosen,
            "url": _url(
                args,
                kind=kind,
                page=None,
                **{facet.name: None if str(value["value"]) == chosen else str(value["value"])},
            ),
        }
        for value in values
    ]
    return {
        "name": facet.name,
        "label": facet.label,
        "options": options,
        "chosen": chosen,
        "not_counted": not_counted,
        "clear_url": _url(args, page=None, **{facet.name: None}) if chosen else None,
    }


def _url(args: dict[str, str], **changes: str | None) -> str:
    params = {key: value for key, value in args.items() if value}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    query = params.pop("q", "")
    return urls.search_url(query, **params)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default
