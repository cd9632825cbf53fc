"""Weeks and months: which period a day falls in, how a period is named, and reading `--since 26w`.

A week is an ISO week, Monday to Sunday (named 2024-W02); a month is a calendar month (2024-01).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

PERIODS = ("week", "month")
_RELATIVE = re.compile(r"^(\d+)\s*([dwmy])$")


class BadWhen(ValueError):
    """A --since or --until that is neither a date nor an amount of time ago."""


def period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {period!r}: use one of {', '.join(PERIODS)}")


def next_start(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_end(start: date, period: str) -> date:
    """The last day of the period that begins on `start`."""
    return next_start(start, period) - timedelta(days=1)


def period_label(start: date, period: str) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


def period_starts(since: date, until: date, period: str) -> list[date]:
    """Every period from the one holding `since` to the one holding `until`, empty ones included."""
    starts, start = [], period_start(since, period)
    while start <= until:
        starts.append(start)
        start = next_start(start, period)
    return starts


def parse_day(text: str | None) -> date | None:
    """A stored date (YYYY-MM-DD, or a timestamp starting with one); None when absent or unreadable."""
    if not text or len(text) < 10:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def parse_when(text: str, today: date, end: bool = False) -> date:
    """`2024-03-15`, `2024-03` (its first day; its last when `end`), `2024` (1 January; 31 December when
    `end`), or `90d`, `26w`, `6m`, `2y` before today."""
    value = text.strip().lower()
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        if unit == "d":
            return today - timedelta(days=amount)
        if unit == "w":
            return today - timedelta(weeks=amount)
        months = amount * (12 if unit == "y" else 1)
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        return date(year, month + 1, min(today.day, 28))
    for pattern, suffix in ((r"^\d{4}-\d{2}-\d{2}$", ""), (r"^\d{4}-\d{2}$", "-01"), (r"^\d{4}$", "-01-01")):
        if re.match(pattern, value):
            try:
                day = date.fromisoformat(value + suffix)
            except ValueError:
                break
            if end and suffix == "-01":
                return period_end(day, "month")
            return day.replace(month=12, day=31) if end and suffix else day
    raise BadWhen(f"{text!r} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY, or 90d, 26w, 6m, 2y (ago)")
