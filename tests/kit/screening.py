"""Reading the matcher's answer for one name in tests."""

from pipeline.screening.match.screener import Query


def best(screener, name, country=None, listed=None):
    """The best candidate, or the best one with listed name `listed`."""
    matches = screener.screen(Query(name, country))
    if listed:
        matches = [m for m in matches if m.name == listed]
    return matches[0] if matches else None
