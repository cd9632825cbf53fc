"""Early warning on the site: the trends page, the surge block of the front page, the surge feed, and
the chart of a measure's industries.

Everything is counted and judged by `pipeline.trends` (the same rules as `chokepoint trends` and
`chokepoint surges`) on Datasette's own read-only connection to the immutable database, in its
thread pool. The charts are SVG drawn on the server: no script, nothing loaded from elsewhere.
A page that counted less than it shows says so: the window, the items left out and why, the
sources behind, and the weeks that had too little history to be judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup
from sqlite_utils import Database

from pipeline import trends
from pipeline.site import urls
from pipeline.site.pages.reads import value
from pipeline.trends.chart import Panel, small_multiples
from pipeline.trends.counts import BY, UNKNOWN, Counts, count, series
from pipeline.trends.events import LISTING, MEASURE
from pipeline.trends.periods import PERIODS, BadWhen, parse_when, period_label, period_start
from pipeline.trends.surge import DEFAULT, Scan, Surge
from spiders.kit import clock

PAGE_WEEKS = 8  # the surges listed at the top of /trends
FRONT_WEEKS = 4  # the surges on the front page
FEED_WEEKS = 26  # the surges in the feed
DEFAULT_SINCE = {"month": "3y", "week": "26w"}
UNITS = {MEASURE: "new measures", LISTING: "new listings"}
WINDOWS = (("1 year", "1y"), ("3 years", "3y"), ("10 years", "10y"))


@dataclass
class Judged:
    """What was read, and the surge test over a run of weeks."""

    stored: trends.Stored
    scan: Scan
    titles: dict[str, tuple[str, date]]  # item id -> (title or name, the day it counts)


async def judge(db, since: date, until: date) -> Judged:
    """Read the stored items and test every week from `since` to `until` (NothingToCount: nothing to read)."""
    now, today = clock.now(), clock.current().date()

    def run(connection) -> Judged:
        stored = trends.read(Database(connection), now)
        scan = trends.scan_weeks(stored, since, until, today)
        titles = {event.item_id: (event.title, event.day) for event in stored.dated.events}
        return Judged(stored, scan, titles)

    return await db.execute_fn(run)


def surge_entry(surge: Surge, titles: Mapping[str, tuple[str, date]]) -> dict[str, Any]:
    """A surge as a page or a feed shows it: its reason, the items counted (linked), and where to see it charted."""
    item_url = urls.measure_url if surge.kind == MEASURE else urls.party_url
    if surge.kind == MEASURE:
        chart = urls.trends_url(by="industry", period="week", since=_weeks_before(surge.week, 26))
    else:
        chart = urls.trends_url(by="list", period="week", since=_weeks_before(surge.week, 26))
    return {
        "series": surge.series,
        "kind": surge.kind,
        "week": surge.week.isoformat(),
        "reason": surge.reason,
        "p_value": surge.p_value,
        "items": [
            {"id": item, "title": titles.get(item, (item, None))[0], "url": item_url(item)} for item in surge.items
        ],
        "last_day": max((titles[item][1] for item in surge.items if item in titles), default=surge.week),
        "chart_url": chart,
    }


def _weeks_before(day: date, weeks: int) -> str:
    return (day - timedelta(weeks=weeks)).isoformat()


def untested_entry(week) -> dict[str, Any]:
    return {
        "series": week.series,
        "week": week.week.isoformat(),
        "count": week.count,
        "history_weeks": week.history_weeks,
        "needed": DEFAULT.min_history_weeks,
    }


def counted_notes(stored: trends.Stored) -> list[str]:
    """What was left out of every count, by reason."""
    return [f"{number:,} {reason}" for reason, number in sorted(stored.dated.not_counted.items()) if number]


async def recent_surges(db, weeks: int = FRONT_WEEKS) -> dict[str, Any] | None:
    """The surges of the last `weeks` weeks for the front page; None when there is nothing to count at all."""
    today = clock.current().date()
    try:
        judged = await judge(db, today - timedelta(weeks=weeks - 1), today)
    except trends.NothingToCount:
        return None  # the front page's source health already says no source was crawled
    return {
        "weeks": weeks,
        "surges": [surge_entry(surge, judged.titles) for surge in reversed(judged.scan.surges)],
        "untested": [untested_entry(week) for week in judged.scan.untested],
        "series": judged.scan.tested_series,
        "url": urls.trends_url(),
        "feed_url": urls.surges_feed_url(),
    }


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str, errors: list[str]) -> str:
    value = args.get(name) or default
    if value not in allowed:
        errors.append(f"{name}={value!r} is not one of {', '.join(allowed)}: showing {name}={default}")
        return default
    return value


def _window(args: Mapping[str, str], period: str, today: date, errors: list[str]) -> tuple[date, date]:
    """The window asked for (`since`, `until`), from the start of the period holding `since`."""
    try:
        until = parse_when(args["until"], today, end=True) if args.get("until") else today
    except BadWhen as error:
        errors.append(f"until: {error}; showing until today")
        until = today
    try:
        since = parse_when(args.get("since") or DEFAULT_SINCE[period], today)
    except BadWhen as error:
        errors.append(f"since: {error}; showing the default window")
        since = parse_when(DEFAULT_SINCE[period], today)
    if since > until:
        errors.append(f"since {since} is after until {until}: showing the default window")
        since, until = parse_when(DEFAULT_SINCE[period], today), today
    # Whole periods only: a first bar holding part of its month would read as a quiet month.
    return period_start(since, period), until


def _matches(surge: Surge, by: str, group: str) -> bool:
    """Whether a surge belongs to a panel of the `by` view (dimension panels have no surge series)."""
    if by == "industry":
        return surge.kind == MEASURE and surge.industry == group
    if by == "jurisdiction":
        return surge.kind == MEASURE and (surge.jurisdiction or UNKNOWN) == group
    if by == "list":
        return surge.kind == LISTING and surge.list == group
    return False


def panels(counts: Counts, scan: Scan, kind: str, groups: tuple[str, ...] | None = None) -> list[Panel]:
    """One panel per group with anything counted (or the `groups` asked for), its surge weeks' periods marked."""
    drawn = []
    for group, values in series(counts, kind).items():
        if groups is not None and group not in groups:
            continue
        marked = frozenset(
            period_start(surge.week, counts.period) for surge in scan.surges if _matches(surge, counts.by, group)
        )
        drawn.append(Panel(group, values, marked))
    return drawn


def chart(drawn: list[Panel], title: str, period: str, kind: str) -> Markup | None:
    # The SVG is built by pipeline.trends.chart, which escapes every text it draws.
    return Markup(small_multiples(drawn, title, period, UNITS[kind])) if drawn else None


async def trends_page(db, args: Mapping[str, str]) -> dict[str, Any]:
    errors: list[str] = []
    by = _choice(args, "by", BY, "industry", errors)
    period = _choice(args, "period", PERIODS, "month", errors)
    today = clock.current().date()
    since, until = _window(args, period, today, errors)
    recent_since = today - timedelta(weeks=PAGE_WEEKS - 1)
    context: dict[str, Any] = {
        "by": by,
        "period": period,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "today": today.isoformat(),
        "errors": errors,
        "views": [{"by": view, "url": urls.trends_url(by=view, period=period, since=args.get("since"))} for view in BY],
        "periods": [{"period": p, "url": urls.trends_url(by=by, period=p)} for p in PERIODS],
        "windows": [
            {"label": label, "url": urls.trends_url(by=by, period=period, since=ago)} for label, ago in WINDOWS
        ],
        "feed_url": urls.surges_feed_url(),
        "settings": DEFAULT,
    }
    try:
        judged = await judge(db, min(since, recent_since), max(until, today))
    except trends.NothingToCount as error:
        context["nothing"] = str(error)
        return context
    stored, scan = judged.stored, judged.scan
    kind = LISTING if by == "list" else MEASURE
    counts = count(stored.dated.events, by, period, since, until)
    drawn = panels(counts, scan, kind)
    recent = [surge for surge in scan.surges if surge.week >= period_start(recent_since, "week")]
    in_window = [week for week in scan.untested if since <= week.week + timedelta(days=6) and week.week <= until]
    context.update(
        kind=kind,
        unit=UNITS[kind],
        chart=chart(drawn, f"{UNITS[kind].capitalize()} per {period}, by {by}, {since} to {until}", period, kind),
        totals=[
            {
                "group": panel.name,
                "total": sum(v for _, v in panel.values),
                "peak": _peak(panel, period),
                "timeline_url": _timeline_url(by, panel.name),
            }
            for panel in drawn
        ],
        surges=[surge_entry(surge, judged.titles) for surge in reversed(recent)],
        surges_since=period_start(recent_since, "week").isoformat(),
        window_surges=[
            surge_entry(surge, judged.titles) for surge in reversed(scan.surges) if since <= surge.week <= until
        ],
        marked=sum(1 for panel in drawn for _ in panel.surges),
        untested=[untested_entry(week) for week in in_window],
        series=scan.tested_series,
        measures=counts.measures,
        listings=counts.listings,
        left_out=counts.left_out,
        several_labels=by in ("industry", "dimension"),
        not_counted=counted_notes(stored),
        warnings=stored.warnings,
    )
    return context


def _timeline_url(by: str, group: str) -> str | None:
    """A panel's timeline (every measure and listing action tagged with it), for an industry or a dimension."""
    if by not in ("industry", "dimension") or group.startswith("("):  # "(not tagged)", "(none)"
        return None
    return urls.timeline_url(**{by: group})


def _peak(panel: Panel, period: str) -> str:
    """The panel's busiest period (the first of equals), as `2023-10 (3)`."""
    start, most = max(panel.values, key=lambda point: (point[1], -point[0].toordinal()))
    return f"{period_label(start, period)} ({most})"


async def industry_chart(db, industries: list[str], day: date | None, surges: bool = True) -> dict[str, Any] | None:
    """Measures per month in each of a measure's (or a party's) industries, the year either side of `day` (to
    today at the latest), with surge months marked unless `surges` is False; None when it has no industry or
    no date. Without surges the page reads the day's stored items once (`stored_today`) and tests no week."""
    if not industries or day is None:
        return None
    today = clock.current().date()
    since, until = period_start(day - timedelta(days=365), "month"), min(day + timedelta(days=365), today)
    if until < since:
        return None
    try:
        if surges:
            judged = await judge(db, since, until)
            stored, scan = judged.stored, judged.scan
        else:
            stored, scan = await stored_today(db), Scan()
    except trends.NothingToCount:
        return None
    counts = count(stored.dated.events, "industry", "month", since, until)
    drawn = panels(counts, scan, MEASURE, tuple(industries))
    title = f"New measures per month in {', '.join(industries)}, {since} to {until}"
    return {
        "chart": chart(drawn, title, "month", MEASURE),
        "since": since.isoformat(),
        "until": until.isoformat(),
        "surges": surges,
        "url": urls.trends_url(by="industry", period="month", since=since.isoformat(), until=until.isoformat()),
    }


async def stored_today(db) -> trends.Stored:
    """The stored items trends count, read once a day per served database (it is immutable while served)."""
    today = clock.current().date()
    cached = getattr(db, "chokepoint_stored", None)
    if cached is None or cached[0] != today:
        now = clock.now()
        stored = await db.execute_fn(lambda connection: trends.read(Database(connection), now))
        cached = db.chokepoint_stored = (today, stored)
    return cached[1]


async def feed_entries(db, weeks: int = FEED_WEEKS) -> dict[str, Any]:
    """The surges of the last `weeks` weeks, newest first, for the feed, and the last successful crawl."""
    today = clock.current().date()
    updated = await value(db, "SELECT max(finished) FROM crawl_runs WHERE status = 'succeeded'")
    try:
        judged = await judge(db, today - timedelta(weeks=weeks - 1), today)
    except trends.NothingToCount:
        return {"entries": [], "untested": [], "updated": updated, "weeks": weeks}
    return {
        "entries": [surge_entry(surge, judged.titles) for surge in reversed(judged.scan.surges)],
        "untested": [untested_entry(week) for week in judged.scan.untested],
        "updated": updated,
        "weeks": weeks,
    }
