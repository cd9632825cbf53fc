"""What each of the site's own pages reads: the front page, search, a party and a measure.

Each module runs a small, fixed number of read-only statements through
Datasette (so the site's time limit applies) and returns the context its
template shows. The search statements themselves are the store's
(`pipeline.store.search`), shared with tests and benchmarks.
"""
