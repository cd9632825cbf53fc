"""Spiders on saved responses (tests/files/<spider>/), and end to end through `chokepoint crawl`."""
