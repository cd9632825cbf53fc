"""The surge feed as Atom (feedgen): one entry per surge, in a stable order, with stable ids.

An entry's id names its series and its week (`chokepoint:surge:<series>:<week>`), so a
feed reader shows a surge once and updates it while its week is still under way; its
`updated` is the day of the latest item counted in it, and the feed's the last
successful crawl: the same database gives the same feed, byte for byte. Every link
goes through `pipeline.links.safe_url`; the content says what was counted, and what
could not be judged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from typing import Any
from urllib.parse import quote

from feedgen.feed import FeedGenerator
from markupsafe import Markup

from pipeline.links import safe_url

FEED_ID = "chokepoint:surges"


def entry_id(entry: dict[str, Any]) -> str:
    return f"chokepoint:surge:{quote(entry['series'], safe='')}:{entry['week']}"


def _when(value: date | str) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    return datetime.combine(value, time(), tzinfo=timezone.utc)


def content(entry: dict[str, Any], absolute: Callable[[str], str]) -> str:
    """The entry's HTML: its reason and each item counted, linked to its page on the site."""
    items = Markup("").join(
        Markup('<li><a href="{}">{}</a></li>').format(absolute(item["url"]), item["title"])
        if safe_url(absolute(item["url"]))
        else Markup("<li>{}</li>").format(item["title"])
        for item in entry["items"]
    )
    return str(Markup("<p>{}</p><p>Counted:</p><ul>{}</ul>").format(entry["reason"], items))


def atom(
    entries: list[dict[str, Any]],
    untested: list[dict[str, Any]],
    updated: str | None,
    weeks: int,
    self_url: str,
    page_url: str,
    absolute: Callable[[str], str],
) -> bytes:
    """The feed: `entries` (from `pages.trends.surge_entry`, newest first), `updated` the last crawl (ISO)."""
    feed = FeedGenerator()
    feed.id(FEED_ID)
    feed.title("chokepoint: surges in export controls and sanctions")
    subtitle = (
        f"Weeks well above their own six-month baseline, per industry in each jurisdiction and per list, "
        f"in the last {weeks} weeks."
    )
    if untested:
        subtitle += f" {len(untested)} week(s) had too little stored history to be judged: see the trends page."
    feed.subtitle(subtitle)
    feed.author({"name": "chokepoint"})
    feed.generator("chokepoint")
    for href, rel in ((self_url, "self"), (page_url, "alternate")):
        if safe_url(href):
            feed.link(href=href, rel=rel)
    last = max([_when(entry["last_day"]) for entry in entries] + ([_when(updated)] if updated else []), default=None)
    feed.updated(last or _when(date(1970, 1, 1)))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.id(entry_id(entry))
        item.title(f"Surge: {entry['series']}, week of {entry['week']}")
        item.updated(_when(entry["last_day"]))
        item.published(_when(date.fromisoformat(entry["week"])))
        link = absolute(entry["chart_url"])
        if safe_url(link):
            item.link(href=link, rel="alternate")
        item.summary(entry["reason"])
        item.content(content(entry, absolute), type="html")
    return feed.atom_str(pretty=True)
