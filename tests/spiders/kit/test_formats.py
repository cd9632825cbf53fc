"""Dates as the document sources print them, read into ISO dates."""

import pytest

from spiders.kit.formats import iso_date, squash


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-07-04", "2024-07-04"),
        ("2025-01-16T12:00:00Z", "2025-01-16"),
        ("2024-01-09T08:45:00.000-05:00", "2024-01-09"),
        ("4 July 2024", "2024-07-04"),
        ("29 October 2024", "2024-10-29"),
        ("04/07/2024", "2024-07-04"),  # day first, as EU sites write it
        ("Thu, 04 Jul 2024 00:00:00 GMT", "2024-07-04"),
        (1720051200000, "2024-07-04"),  # epoch milliseconds
        ("31 February 2024", None),
        ("Not applicable", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_squash():
    assert squash("Meetings; Sunshine Act  ") == "Meetings; Sunshine Act"
    assert squash(" \n ") is None
    assert squash(None) is None
