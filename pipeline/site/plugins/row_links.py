"""Datasette plugin: SQL functions for the paths the feeds' canned queries link to.

A feed entry links to the party's or measure's own page on the site (`party_path(id)`,
`measure_path(id)`: `pipeline.site.urls`), not to a list's landing page; `row_path(table, id)`
is a row's Datasette page (a failed crawl's row; ids hold ':' and '/', which Datasette
tilde-encodes and SQL cannot); `table_path(table)` a table's page.
"""

from datasette import hookimpl
from datasette.utils import tilde_encode

from pipeline.site.urls import measure_url, party_url


def _or_none(build):
    return lambda row_id: None if row_id is None else build(str(row_id))


@hookimpl
def prepare_connection(conn, database, datasette):
    def row_path(table, row_id):
        if row_id is None:
            return None
        return str(datasette.urls.row(database, table, tilde_encode(str(row_id))))

    conn.create_function("row_path", 2, row_path, deterministic=True)
    conn.create_function("table_path", 1, lambda table: str(datasette.urls.table(database, table)), deterministic=True)
    conn.create_function("party_path", 1, _or_none(party_url), deterministic=True)
    conn.create_function("measure_path", 1, _or_none(measure_url), deterministic=True)
