"""The surge signal, on events built as the store's rows would give them."""

from datetime import date, timedelta

import pytest

from pipeline.trends.events import LISTING, MEASURE, Event
from pipeline.trends.surge import DEFAULT, is_surge, p_value, scan

MONDAY = date(2023, 10, 16)


def measure(day, industry="semiconductors", jurisdiction="US", n=[0]):
    n[0] += 1
    return Event(
        MEASURE,
        f"m{n[0]}",
        "federal_register",
        day,
        "publication date",
        jurisdiction,
        None,
        ("key_inputs",),
        (industry,),
        "a rule",
    )


def listed(day, n=[0]):
    n[0] += 1
    return Event(LISTING, f"l{n[0]}", "csl", day, "listing date", "US", "csl:EL", None, None, "a party")


def history(weeks=30, every=0):
    """A measure every `every` weeks over the `weeks` before MONDAY (none when every is 0)."""
    start = MONDAY - timedelta(weeks=weeks)
    events = [measure(start, industry="energy")]  # the jurisdiction's history begins here
    if every:
        events += [measure(MONDAY - timedelta(weeks=w)) for w in range(every, weeks, every)]
    return events


def test_one_rule_is_never_a_surge():
    assert is_surge(1, 0, 26) == (False, 1.0)
    found = scan(history() + [measure(MONDAY)], [MONDAY])
    assert found.surges == []


def test_two_measures_after_a_quiet_half_year_are_a_surge_with_a_reason():
    found = scan(history() + [measure(MONDAY), measure(MONDAY + timedelta(days=3))], [MONDAY])
    [surge] = found.surges
    assert surge.series == "semiconductors, US" and surge.count == 2 and surge.baseline == 0
    assert surge.reason == (
        "semiconductors, US: 2 new measures in the week of 2023-10-16 against 0.0 a week over the last six months"
    )


def test_an_empty_history_is_surprising_but_not_infinitely():
    assert 0 < p_value(2, 0, 26) < DEFAULT.alpha
    assert p_value(2, 0, 26) < p_value(2, 2, 26) < p_value(2, 10, 26)


def test_a_busy_series_is_not_flagged_for_an_ordinary_week():
    # Two measures every week for half a year: three in one week is ordinary for it.
    events = history()
    for w in range(1, 27):
        events += [measure(MONDAY - timedelta(weeks=w)), measure(MONDAY - timedelta(weeks=w, days=-1))]
    events += [measure(MONDAY) for _ in range(3)]
    assert scan(events, [MONDAY]).surges == []
    # Twelve in a week is not.
    events += [measure(MONDAY) for _ in range(9)]
    [surge] = scan(events, [MONDAY]).surges
    assert surge.count == 12 and surge.baseline == 52 and surge.rate == pytest.approx(2.0)


def test_a_week_with_too_little_history_is_reported_untested_not_quiet():
    events = [measure(MONDAY - timedelta(weeks=3), industry="energy"), measure(MONDAY), measure(MONDAY)]
    found = scan(events, [MONDAY])
    assert found.surges == []
    [untested] = found.untested
    assert (untested.series, untested.count, untested.history_weeks) == ("semiconductors, US", 2, 3)


def test_a_list_surges_on_listing_days_not_on_parties():
    start = [listed(MONDAY - timedelta(weeks=40))]
    one_rule = start + [listed(MONDAY) for _ in range(40)]  # one rule adding forty parties
    assert scan(one_rule, [MONDAY]).surges == []
    two_days = one_rule + [listed(MONDAY + timedelta(days=2))]
    [surge] = scan(two_days, [MONDAY]).surges
    assert surge.series == "csl:EL" and surge.count == 2 and len(surge.items) == 41
    assert "new listings on 2 days in the week of 2023-10-16 (41 parties)" in surge.reason
