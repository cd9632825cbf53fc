"""The published site: Datasette's configuration, plugins and templates. It never sees the private database."""

from pipeline.site.datasette import METADATA_FILE, PrivateDatabase, make_datasette, metadata_for, serve

__all__ = ["METADATA_FILE", "PrivateDatabase", "make_datasette", "metadata_for", "serve"]
