"""The published site: Datasette's configuration, plugins, pages and templates. It never sees the private database.

`datasette` (the server, always publishing the database as `chokepoint`, immutable),
`urls` (every page's stable address and the one check that makes a URL a link),
`pages/` (what the front, search, party and measure pages read), `cells` (how a
table cell reads), `plugins/` (the Datasette hooks), `templates/` and `static/`.
"""

from pipeline.site.datasette import DATABASE, METADATA_FILE, DatabaseBusy, PrivateDatabase, make_datasette, serve

__all__ = ["DATABASE", "METADATA_FILE", "DatabaseBusy", "PrivateDatabase", "make_datasette", "serve"]
