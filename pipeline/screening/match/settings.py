"""Screening defaults, in a module light enough for the CLI to read when it only shows --help."""

DEFAULT_THRESHOLD = 0.80  # a candidate scoring this much is a match
DEFAULT_LIMIT = 3  # candidate listings shown per counterparty
DEFAULT_MIN_SCORE = 0.6  # candidates below this are not shown at all
WATCHLIST_LIMIT = 25  # every listing a watchlisted counterparty matches becomes an alert
