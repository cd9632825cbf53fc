"""What every spider shares: the base class, named errors, items, formats, PDF and recorded-file helpers,
country lookup, Scrapy settings, the User-Agent and the clock.

Kept free of imports here, so `from spiders.kit import clock` or `countries` does not load Scrapy.
"""
