"""The private database: watchlists, alerts, reviews and screening receipts, with every query on them.

Its own file (default data/private/private.db, owner-only); the published database and the site never see it.
"""
