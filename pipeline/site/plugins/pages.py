"""Datasette plugin: the site's own pages, their templates' filters, the clock in canned queries, and 404 pages.

- `/` the front page, `/search` one search box over everything, `/party/<listing id>`
  and `/measure/<document id>` (pipeline/site/pages/ reads what each shows);
- `:_clock_now` and `:_clock_today` in canned queries read the project's one clock
  (spiders/kit/clock.py, which tests and demos freeze with CHOKEPOINT_NOW);
- a party or measure that is not stored answers the 404 page (plugins/errors.py handles the rest).
"""

from __future__ import annotations

from urllib.parse import unquote

from datasette import Response, hookimpl

from pipeline.site import cells, tables, urls
from pipeline.site.datasette import DATABASE
from pipeline.site.pages.front import front_page
from pipeline.site.pages.measure import measure_page, published_version
from pipeline.site.pages.party import canonical, party_page
from pipeline.site.pages.search import search_page
from spiders.kit import clock


def _database(datasette):
    return datasette.get_database(DATABASE)


def _canned_queries(datasette) -> dict:
    return datasette.metadata("queries", database=DATABASE) or {}


async def front(datasette, request):
    context = await front_page(_database(datasette), _canned_queries(datasette))
    return Response.html(await datasette.render_template("front.html", context, request=request))


async def search(datasette, request):
    context = await search_page(_database(datasette), dict(request.args))
    return Response.html(await datasette.render_template("search.html", context, request=request))


async def party(datasette, request):
    listing_id = unquote(request.url_vars["id"])
    context = await party_page(_database(datasette), listing_id)
    if context is None:
        current = await canonical(_database(datasette), listing_id)
        if current:
            return Response.redirect(urls.party_url(current))
        return await not_found(datasette, request, f"No listing has the id {listing_id!r}.")
    return Response.html(await datasette.render_template("party.html", context, request=request))


async def measure(datasette, request):
    document_id = unquote(request.url_vars["id"])
    published = await published_version(_database(datasette), document_id)
    if published:
        return Response.redirect(urls.measure_url(published))
    context = await measure_page(_database(datasette), document_id)
    if context is None:
        return await not_found(datasette, request, f"No document has the id {document_id!r}.")
    return Response.html(await datasette.render_template("measure.html", context, request=request))


async def not_found(datasette, request, message: str) -> Response:
    context = {"message": message, "status": 404}
    return Response.html(await datasette.render_template("404.html", context, request=request), status=404)


@hookimpl
def register_routes():
    return [
        (r"^/$", front),
        (r"^/search$", search),
        (r"^/party/(?P<id>.+)$", party),
        (r"^/measure/(?P<id>.+)$", measure),
    ]


@hookimpl
def register_magic_parameters():
    def clock_parameter(key, request):
        if key == "now":
            return clock.now()
        if key == "today":
            return clock.today()
        raise KeyError(key)

    return [("clock", clock_parameter)]


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["readable"] = cells.readable
    env.filters["as_list"] = cells.as_list
    env.filters["link"] = cells.link
    env.filters["tags"] = cells.tags
    env.filters["modification"] = cells.modification_table
    env.filters["day"] = lambda value: (value or "")[:10]
    env.filters["when"] = lambda value: (value or "").replace("T", " ").replace("Z", " UTC")
    env.globals["site_urls"] = urls
    env.globals["column_order"] = tables.column_order
    env.globals["all_columns_url"] = tables.all_columns_url


@hookimpl
def extra_css_urls():
    return ["/assets/chokepoint.css"]
