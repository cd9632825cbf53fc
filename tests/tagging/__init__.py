"""Tagging stored items with the classifier after a crawl."""
