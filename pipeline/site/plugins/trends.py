"""Datasette plugin: early warning. `/trends` (small-multiple charts and the recent surges, with what
was counted) and `/trends/surges.atom` (the surges of the last 26 weeks); pages/trends.py reads them."""

from __future__ import annotations

from datasette import Response, hookimpl

from pipeline.site import surge_feed, urls
from pipeline.site.datasette import DATABASE
from pipeline.site.pages.trends import feed_entries, trends_page


async def trends(datasette, request):
    context = await trends_page(datasette.get_database(DATABASE), dict(request.args))
    return Response.html(await datasette.render_template("trends.html", context, request=request))


async def surges_feed(datasette, request):
    found = await feed_entries(datasette.get_database(DATABASE))

    def absolute(path: str) -> str:
        return datasette.absolute_url(request, path)

    body = surge_feed.atom(
        found["entries"],
        found["untested"],
        found["updated"],
        found["weeks"],
        absolute(urls.surges_feed_url()),
        absolute(urls.trends_url()),
        absolute,
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@hookimpl
def register_routes():
    return [(r"^/trends$", trends), (r"^/trends/surges\.atom$", surges_feed)]
