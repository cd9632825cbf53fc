"""Datasette plugin: `hours_after_publication(publication_date, at)` for the list lead-time query.

The same count as `chokepoint leadtimes` (pipeline.linkage.leadtimes): from the start of
the publication day in Washington, summer time included, which plain SQLite cannot tell.
"""

from datasette import hookimpl

from pipeline.linkage.leadtimes import hours_ahead, tenths


def hours_after_publication(publication_date, at):
    if not publication_date or not at:
        return None
    try:
        return tenths(-hours_ahead(at, publication_date))
    except (TypeError, ValueError):
        return None


@hookimpl
def prepare_connection(conn):
    conn.create_function("hours_after_publication", 2, hours_after_publication, deterministic=True)
