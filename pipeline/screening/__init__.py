"""Screening counterparties against every list.

`match/` is the pure matcher (no I/O, no database); `private/` is the private
database (watchlists, alerts, reviews, receipts); `run` ties them to the published
listings, read through `pipeline.store.listed`; `step` is the post-crawl step;
`counterparties` reads a firm's CSV. Screening writes only to the private database.
"""
