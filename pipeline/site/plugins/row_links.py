"""Datasette plugin: `row_path(table, id)` and `table_path(table)`, paths on the site for the feeds' canned queries.

A feed entry links to the listing's or document's own page on the site, not to a list's landing
page. Row ids hold ':' and '/', which Datasette tilde-encodes in a row's URL; SQL cannot.
"""

from datasette import hookimpl
from datasette.utils import tilde_encode


@hookimpl
def prepare_connection(conn, database, datasette):
    def row_path(table, row_id):
        if row_id is None:
            return None
        return str(datasette.urls.row(database, table, tilde_encode(str(row_id))))

    conn.create_function("row_path", 2, row_path, deterministic=True)
    conn.create_function("table_path", 1, lambda table: str(datasette.urls.table(database, table)), deterministic=True)
