"""Datasette plugin: errors as pages. A 4xx (a missing table or row, a bad parameter) is a page for the
reader and nothing in the log; a server error is a page and one traceback in the log.

Datasette's own handler prints a long traceback with every local variable for each
404 and runs even when another plugin answered, so this one replaces it.
"""

from __future__ import annotations

import logging

from datasette import Response, hookimpl
from datasette.plugins import pm
from datasette.utils.asgi import Base400

DATASETTE_HANDLER = "datasette.handle_exception"
log = logging.getLogger("chokepoint.site")

if pm.has_plugin(DATASETTE_HANDLER):
    pm.unregister(name=DATASETTE_HANDLER)


@hookimpl
def handle_exception(datasette, request, exception):
    async def page():
        if isinstance(exception, Base400):
            status = exception.status
            message = exception.args[0] if exception.args else "Not found"
        else:
            status, message = 500, "The site failed to answer this request; the error is in the server's log."
            log.error("%s %s failed", request.method, request.path, exc_info=exception)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json({"ok": False, "error": message, "status": status}, status=status)
        context = {"message": message, "status": status}
        return Response.html(await datasette.render_template("404.html", context, request=request), status=status)

    return page
