"""Datasette plugin: what the published site never shows.

- No server path: `pragma_database_list` answers every query with its `file`
  column empty (a SQLite authorizer ignores reads of it), and `/-/databases`
  lists the databases without their paths.
- No link that is not http(s) or a path on the site: `safe_url(x)` is a SQL
  function (the feeds' canned queries link through it), and every Atom feed,
  canned or built from `?sql=`, loses an entry link that `pipeline.links.safe_url`
  refuses.

What holds without us, and is tested (tests/site/test_safety.py): Datasette escapes
every value on its pages and Atom escapes titles and text, `?sql=` runs only a
SELECT, `load_extension` and file functions are not available.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response
from lxml import etree

from pipeline.links import safe_url

ATOM = "{http://www.w3.org/2005/Atom}"


def _authorizer(action, table, column, _database, _trigger):
    if action == sqlite3.SQLITE_READ and table == "pragma_database_list" and column == "file":
        return sqlite3.SQLITE_IGNORE  # the column reads as NULL
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.create_function("safe_url", 1, safe_url, deterministic=True)
    conn.set_authorizer(_authorizer)


@hookimpl
def register_routes(datasette):
    async def databases(request):
        listed = [
            {key: value for key, value in database.items() if key != "path"}
            for database in datasette._connected_databases()
        ]
        return Response.json(listed)

    # Plugin routes come before Datasette's own, so this one answers /-/databases and /-/databases.json.
    return [(r"^/-/databases(\.json)?$", databases)]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def feed_links_checked(scope, receive, send):
            if scope["type"] != "http" or not scope["path"].endswith(".atom"):
                await app(scope, receive, send)
                return
            started, body = {}, []

            async def capture(message):
                if message["type"] == "http.response.start":
                    started.update(message)
                elif message["type"] == "http.response.body":
                    body.append(message.get("body", b""))
                    if not message.get("more_body"):
                        content = _without_unsafe_links(b"".join(body))
                        headers = [(k, v) for k, v in started.get("headers", []) if k.lower() != b"content-length"]
                        headers.append((b"content-length", str(len(content)).encode()))
                        await send({**started, "headers": headers})
                        await send({"type": "http.response.body", "body": content})

            await app(scope, receive, capture)

        return feed_links_checked

    return wrap


def _without_unsafe_links(content: bytes) -> bytes:
    """An Atom feed without the <link>s whose href safe_url refuses (anything else is left as it was)."""
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return content  # an error page, not a feed
    unsafe = [link for link in root.iter(f"{ATOM}link") if safe_url(link.get("href")) is None]
    if not unsafe:
        return content
    for link in unsafe:
        link.getparent().remove(link)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
