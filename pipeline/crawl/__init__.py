"""Crawling: run spiders through the Scrapy engine, check what they saw, land it, then run the post-crawl steps.

One visible path (`run.run_crawls`): `engine` runs a spider and collects its items,
`gate` checks the crawl is healthy, `landing` applies it to the store in one
transaction and returns the `Changes`, and each step of `steps` gets (db, changes,
reporter) and returns its own result. Only `engine` imports Scrapy.
"""
