"""Datasette plugin: `/timeline?party=...` (or `industry=`, `dimension=`) and `/timeline.json`; pages/timeline.py
reads them."""

from __future__ import annotations

from datasette import Response, hookimpl

from pipeline.site.datasette import DATABASE
from pipeline.site.pages.timeline import timeline_json, timeline_page


async def timeline(datasette, request):
    context, status = await timeline_page(datasette.get_database(DATABASE), dict(request.args))
    return Response.html(await datasette.render_template("timeline.html", context, request=request), status=status)


async def timeline_as_json(datasette, request):
    answer, status = await timeline_json(datasette.get_database(DATABASE), dict(request.args))
    return Response.json(answer, status=status)


@hookimpl
def register_routes():
    return [(r"^/timeline$", timeline), (r"^/timeline\.json$", timeline_as_json)]
