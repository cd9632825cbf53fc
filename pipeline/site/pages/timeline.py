"""The timeline page: `/timeline?party=<listing id>` (or `industry=`, `dimension=`), and the same as JSON at
`/timeline.json`; and the small timeline chart on a party's page.

Built by `pipeline.linkage.timeline` (the same timeline as `chokepoint timeline`) on Datasette's
read-only connection, in its thread pool. Drawn on the server: an SVG of one lane per jurisdiction
(pipeline/trends/chart.py) above a table with one column per jurisdiction, readable without script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from markupsafe import Markup
from sqlite_utils import Database

from pipeline.linkage import timeline as built
from pipeline.site import urls
from pipeline.site.pages.trends import industry_chart
from pipeline.trends.chart import Mark, lanes
from pipeline.trends.periods import BadWhen, parse_when
from spiders.kit import clock

PAGE_ENTRIES = 400  # the latest entries a page shows and draws; the JSON and the command give them all
MARK_KIND = {built.MEASURE: "measure", built.RESPONSE: "measure", built.LISTED: "listed", built.REMOVED: "removed"}


class BadRequest(ValueError):
    """The address asks for no timeline, or for one in a way that cannot be read."""


def _asked(args: Mapping[str, str]) -> tuple[str, str, tuple[str, ...], date | None]:
    given = [(subject, args[subject]) for subject in built.SUBJECTS if args.get(subject)]
    if len(given) != 1:
        raise BadRequest("Ask for one timeline: ?party=<listing id>, ?industry=<id> or ?dimension=<id>.")
    codes = tuple(code for code in (args.get("jurisdiction") or "").split(",") if code.strip())
    since = None
    if args.get("since"):
        try:
            since = parse_when(args["since"], clock.current().date())
        except BadWhen as error:
            raise BadRequest(f"since: {error}") from None
    return (*given[0], codes, since)


async def build(db, subject: str, value: str, jurisdictions=(), since: date | None = None) -> built.Timeline:
    return await db.execute_fn(
        lambda connection: built.build(Database(connection), subject, value, jurisdictions, since)
    )


def chart(timeline: built.Timeline, title: str) -> Markup | None:
    """The timeline as lanes; None when it has no entry."""
    if not timeline.entries:
        return None
    rows = [
        (lane, [_mark(entry) for entry in timeline.entries if entry.jurisdiction == lane]) for lane in timeline.lanes
    ]
    # pipeline.trends.chart escapes every text it draws, and links only to this site's pages.
    return Markup(lanes(rows, title))


def _mark(entry: built.Entry) -> Mark:
    what = {built.LISTED: "listed", built.REMOVED: "removed"}.get(entry.kind, entry.kind)
    label = entry.title if entry.parties > 1 else f"{what}: {entry.title}" + (f" ({entry.list})" if entry.list else "")
    return Mark(entry.day, label, MARK_KIND[entry.kind], entry.url)


def _row(entry: built.Entry, lanes_: list[str]) -> dict[str, Any]:
    return {
        "entry": entry,
        "lane": lanes_.index(entry.jurisdiction),
        "rules": [{"name": rule.citation or rule.title, "title": rule.title, "url": rule.url} for rule in entry.rules],
    }


async def timeline_page(db, args: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """The page's context and its HTTP status (400: no timeline asked for; 404: no such party or label)."""
    context: dict[str, Any] = {"args": dict(args), "subjects": built.SUBJECTS}
    try:
        subject, value, codes, since = _asked(args)
        found = await build(db, subject, value, codes, since)
    except BadRequest as error:
        return {**context, "error": str(error)}, 400
    except built.UnknownSubject as error:
        return {**context, "error": f"{error}."}, 404
    params = {subject: found.value, "jurisdiction": ",".join(found.jurisdictions), "since": args.get("since")}
    total = len(found.entries)
    shown = replace(found, entries=found.entries[-PAGE_ENTRIES:])
    lanes_ = shown.lanes
    context.update(
        timeline=found,
        lanes=lanes_,
        rows=[_row(entry, lanes_) for entry in shown.entries],
        total=total,
        cut=total - len(shown.entries),
        first_shown=shown.entries[0].day.isoformat() if shown.entries else None,
        chart=chart(shown, f"Timeline of {found.subject} {found.title}, one lane per jurisdiction"),
        nothing=None if found.entries else built.nothing_found(found),
        left_out=[f"{number:,} {reason}" for reason, number in sorted(found.left_out.items())],
        json_url=urls.timeline_url(".json", **params),
        all_url=urls.timeline_url(**{subject: found.value}),
        subject_url=urls.party_url(found.value) if subject == "party" else urls.trends_url(by=subject),
        trend=await _industry_trend(db, found) if subject == "industry" else None,
    )
    return context, 200


async def _industry_trend(db, found: built.Timeline) -> dict[str, Any] | None:
    """An industry's measures per month, the year either side of its latest measure (the trends page's panel)."""
    days = [entry.day for entry in found.entries if entry.kind in (built.MEASURE, built.RESPONSE)]
    return await industry_chart(db, [found.value], max(days)) if days else None


async def timeline_json(db, args: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    try:
        subject, value, codes, since = _asked(args)
        found = await build(db, subject, value, codes, since)
    except BadRequest as error:
        return {"error": str(error)}, 400
    except built.UnknownSubject as error:
        return {"error": str(error)}, 404
    answer = found.as_json()
    if not found.entries:
        answer["nothing"] = built.nothing_found(found)
    return answer, 200


async def party_timeline(db, listing_id: str) -> dict[str, Any] | None:
    """The party's timeline drawn small for its page, with the address of the whole one."""
    found = await build(db, "party", listing_id)
    return {
        "chart": chart(found, f"Timeline of {found.title} and the parties tied to it, one lane per jurisdiction"),
        "entries": len(found.entries),
        "lanes": found.lanes,
        "url": urls.timeline_url(party=found.value),
    }
