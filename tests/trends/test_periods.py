from datetime import date

import pytest

from pipeline.trends.periods import BadWhen, parse_day, parse_when, period_label, period_start, period_starts

TODAY = date(2026, 11, 30)


def test_weeks_are_iso_weeks_from_monday():
    assert period_start(date(2023, 10, 22), "week") == date(2023, 10, 16)  # a Sunday
    assert period_label(date(2024, 12, 30), "week") == "2025-W01"
    assert period_label(date(2024, 2, 1), "month") == "2024-02"


def test_every_period_of_a_window_is_listed():
    assert period_starts(date(2024, 1, 31), date(2024, 3, 1), "month") == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]
    assert len(period_starts(date(2024, 1, 1), date(2024, 12, 31), "week")) == 53


@pytest.mark.parametrize(
    "text, since, until",
    [
        ("2024-03-15", date(2024, 3, 15), date(2024, 3, 15)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("26w", date(2026, 6, 1), date(2026, 6, 1)),
        ("90d", date(2026, 9, 1), date(2026, 9, 1)),
        ("2y", date(2024, 11, 28), date(2024, 11, 28)),
    ],
)
def test_when(text, since, until):
    assert parse_when(text, TODAY) == since
    assert parse_when(text, TODAY, end=True) == until


@pytest.mark.parametrize("text", ["yesterday", "2024-13", "24-01-01", "w26"])
def test_a_bad_when_is_named(text):
    with pytest.raises(BadWhen, match="is not a date"):
        parse_when(text, TODAY)


def test_stored_dates_that_cannot_be_read_are_none():
    assert parse_day("2023-10-25T06:00:00Z") == date(2023, 10, 25)
    assert parse_day("1023-11-01") is None  # BIS's misprinted year
    assert parse_day("2023-10") is None and parse_day(None) is None and parse_day("n/a") is None
