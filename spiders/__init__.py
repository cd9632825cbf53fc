"""The Scrapy project: one spider per government source.

Spiders only fetch and parse. They yield typed items (`spiders.items`) and never
touch a database; `pipeline` decides what to store.
"""
