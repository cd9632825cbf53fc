"""The published Datasette site, in process and in a real browser."""
