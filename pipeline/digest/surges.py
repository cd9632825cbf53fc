"""The digest's first section: the surges (`pipeline.trends`) in what a subscriber follows, each said once.

Which weeks: those from the one holding the digest's start to now, and any older week holding an item
first stored in the digest's window (a wave crawled late), no further back than the surge feed's
26 weeks: early warning, not history (the trends page has that). Of their surges, those in a series
the subscriber follows and not in a digest already sent to them: the sent log keeps each digest's
surges (series, week, count), so the next run does not repeat one; a surge that has grown since
(a third rule in its week) is said again, with its new count.

Which series a subscriber follows: with no filter, every one. A measure series (an industry in a
jurisdiction) is followed through its industry and jurisdiction, and through `dimensions` and
`sources` when one of the measures counted carries that dimension or comes from that source
(`lists` narrows listings only). A list's series is followed through its code, its source and its
source's jurisdiction; a list has no industry, so a subscriber who follows only dimensions or
industries gets its surges only by naming the list too.

Weeks that had enough to be a surge but too little stored history to be judged are named, never
passed off as quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pipeline.digest.links import Site
from pipeline.store.changes import ChangeFilter
from pipeline.trends import Stored, scan_weeks
from pipeline.trends.events import LISTING, MEASURE, Event
from pipeline.trends.periods import parse_day, period_start
from pipeline.trends.surge import DEFAULT

RECENT_WEEKS = 26  # as the surge feed: a week older than this is history, not a warning


@dataclass
class SurgeSection:
    surges: list[dict[str, Any]] = field(default_factory=list)  # reason, series, week, count, url: to report
    untested: list[dict[str, Any]] = field(default_factory=list)  # series, week, count, history_weeks
    first_week: str | None = None  # the weeks judged: from this Monday to `last_day`
    last_day: str | None = None
    needed_weeks: int = DEFAULT.min_history_weeks
    note: str | None = None  # why surges could not be looked for at all

    @property
    def shown(self) -> bool:
        """Whether the digest says anything about surges (nothing, when there is nothing true to say)."""
        return bool(self.surges or self.untested or self.note)

    def sent(self) -> list[list[Any]]:
        """What the sent log keeps of it: [series, week, count] of each surge reported."""
        return [[surge["series"], surge["week"], surge["count"]] for surge in self.surges]


def section(
    stored: Stored | None,
    filters: ChangeFilter,
    *,
    period_start_at: str,
    now: str,
    stored_in_window: set[str],
    already_sent: dict[tuple[str, str], int],
    site: Site,
    unavailable: str | None = None,
) -> SurgeSection:
    """The surges this digest reports. `stored` is what `pipeline.trends.read` read (None: `unavailable` says
    why); `stored_in_window` the ids of the items first stored in the digest's window; `already_sent` the
    largest count of each (series, week) already sent to this subscriber."""
    if stored is None:
        return SurgeSection(note=f"Surges were not looked for: {unavailable}")
    today = parse_day(now)
    horizon = period_start(today - timedelta(weeks=RECENT_WEEKS - 1), "week")
    first = max(period_start(parse_day(period_start_at) or today, "week"), horizon)
    events = {event.item_id: event for event in stored.dated.events}
    late = {
        period_start(events[item].day, "week") for item in stored_in_window if item in events
    }  # weeks a crawl filled in late
    late = {week for week in late if horizon <= week < first}
    weeks = sorted(late) + _weeks(first, today)
    found = scan_weeks(stored, weeks[0], today, today) if weeks else None
    result = SurgeSection(first_week=weeks[0].isoformat(), last_day=today.isoformat())
    wanted = set(weeks)
    for surge in found.surges if found else []:
        key = (surge.series, surge.week.isoformat())
        counted = [events[item] for item in surge.items if item in events]
        if surge.week not in wanted or not follows(filters, surge, counted):
            continue
        if already_sent.get(key, 0) >= surge.count:
            continue
        result.surges.append(
            {
                "series": surge.series,
                "week": surge.week.isoformat(),
                "count": surge.count,
                "reason": surge.reason,
                "grown_from": already_sent.get(key),
                "url": site.trends(
                    by="industry" if surge.kind == MEASURE else "list",
                    period="week",
                    since=(surge.week - timedelta(weeks=DEFAULT.baseline_weeks)).isoformat(),
                ),
            }
        )
    for week in found.untested if found else []:
        counted = [events[item] for item in week.items if item in events]
        if week.week in wanted and follows(filters, week, counted):
            result.untested.append(
                {
                    "series": week.series,
                    "week": week.week.isoformat(),
                    "count": week.count,
                    "history_weeks": week.history_weeks,
                }
            )
    result.surges.reverse()  # newest week first, as the site lists them
    return result


def _weeks(first: date, today: date) -> list[date]:
    weeks, week = [], first
    while week <= today:
        weeks.append(week)
        week += timedelta(weeks=1)
    return weeks


def follows(filters: ChangeFilter, series: Any, counted: list[Event]) -> bool:
    """Whether a subscriber with `filters` follows a surge's series (a `Surge` or an `Untested` week),
    judged on the series and on the items it counted."""
    jurisdictions = {value.upper() for value in filters.jurisdictions}
    if series.kind == MEASURE:
        if filters.industries and series.industry not in filters.industries:
            return False
        if filters.dimensions and not any(set(e.dimensions or ()) & set(filters.dimensions) for e in counted):
            return False
        jurisdiction = series.jurisdiction
    elif series.kind == LISTING:
        code = (series.list or "").partition(":")[2].upper()
        named = {value.upper() for value in filters.lists}
        if (named or filters.by_label) and code not in named:
            return False
        jurisdiction = next((e.jurisdiction for e in counted if e.jurisdiction), None)
    else:
        return False
    if jurisdictions and (jurisdiction or "").upper() not in jurisdictions:
        return False
    return not filters.sources or any(e.source in filters.sources for e in counted)
