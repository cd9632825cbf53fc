"""Screening counterparties against every list: name matching, watchlists, alerts, reviews, receipts.

Reads listings from the published database; writes only to the private one.
"""
