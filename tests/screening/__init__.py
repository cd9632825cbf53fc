"""Screening: the matcher, counterparty files, watchlists, alerts, reviews, receipts."""
