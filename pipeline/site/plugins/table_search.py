"""Datasette plugin: a table page's own search box reads Chinese too.

Datasette's table search (`?_search=`) hands each space-separated word to FTS5 as
it is, and 出口管制 is no word in the index (which holds 出口 口管 管制: see
pipeline/store/search/text.py). Before Datasette sees the request, a CJK run in
`_search` is written as its character pairs, so the table search finds what the
site's search page finds (the box then shows the pairs).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from pipeline.site.datasette import DATABASE
from pipeline.store.search.text import has_cjk, spaced_terms


def rewritten(query_string: bytes) -> bytes:
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key.startswith("_search") and has_cjk(value) for key, value in pairs):
        return query_string
    return urlencode(
        [(key, spaced_terms(value) if key.startswith("_search") else value) for key, value in pairs]
    ).encode()


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def table_search(scope, receive, send):
            if scope["type"] == "http" and scope.get("path", "").startswith(f"/{DATABASE}/"):
                query_string = scope.get("query_string", b"")
                if b"_search" in query_string:
                    scope = dict(scope, query_string=rewritten(query_string))
            await app(scope, receive, send)

        return table_search

    return wrap
