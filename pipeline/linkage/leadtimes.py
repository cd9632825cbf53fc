"""Lead times: hours from public inspection to publication, and from publication to a list.

Pure. Two kinds of pair, both measured in hours per agency:

- a public-inspection filing (`filed_at`, with its UTC offset) and its published
  version (`lead_times`);
- a rule and a listing citing it that appeared on a consolidated list after the source's
  first stored crawl (`appearance_times`): until the crawl that first saw the listing,
  so the crawl schedule bounds the precision (a daily crawl: a day).

Publication is taken as the start of the publication day in Washington
(America/New_York): the API gives the day, not the hour. An agency is reported with a
median from MIN_PAIRS pairs on; below that it is listed with its count, no median.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

MIN_PAIRS = 5
WASHINGTON = ZoneInfo("America/New_York")


@dataclass
class AgencyLeadTime:
    agency: str
    pairs: int
    median_hours: float | None  # None below the pairs asked for (MIN_PAIRS by default)
    shortest_hours: float
    longest_hours: float


@dataclass
class LeadTimes:
    agencies: list[AgencyLeadTime]
    filings: int  # public-inspection filings stored
    linked: int  # of those, with their published version stored
    unreadable: list[str] = field(default_factory=list)  # document numbers whose times cannot be read

    @property
    def reported(self) -> list[AgencyLeadTime]:
        return [a for a in self.agencies if a.median_hours is not None]

    @property
    def too_few(self) -> list[AgencyLeadTime]:
        return [a for a in self.agencies if a.median_hours is None]


def tenths(hours: float) -> float:
    """Rounded to a tenth, halves up (as SQLite's round(), so the site's table and this report agree)."""
    return math.floor(hours * 10 + 0.5) / 10


def hours_ahead(filed_at: str, publication_date: str) -> float:
    filed = datetime.fromisoformat(filed_at.replace("Z", "+00:00"))
    published = datetime.combine(date.fromisoformat(publication_date), time(0, 0), WASHINGTON)
    return (published - filed).total_seconds() / 3600


def lead_times(pairs: list[dict], min_pairs: int = MIN_PAIRS) -> LeadTimes:
    """Public inspection to publication: one pair per filing with its published version."""
    hours: dict[str, list[float]] = {}
    unreadable = []
    linked = 0
    for pair in pairs:
        if pair["status"] != "published":
            continue
        linked += 1
        try:
            ahead = hours_ahead(pair["filed_at"], pair["publication_date"])
        except (TypeError, ValueError):
            unreadable.append(pair["document_number"])
            continue
        hours.setdefault(pair["publisher"] or "(no agency)", []).append(ahead)
    return LeadTimes(_per_agency(hours, min_pairs), len(pairs), linked, unreadable)


def appearance_times(pairs: list[dict], min_pairs: int = MIN_PAIRS) -> LeadTimes:
    """Publication to the crawl that first saw the listing on its list: one pair per listing.

    `filings` and `linked` both count the listings paired with the rule they cite.
    """
    hours: dict[str, list[float]] = {}
    unreadable = []
    for pair in pairs:
        try:
            after = -hours_ahead(pair["first_seen"], pair["publication_date"])
        except (TypeError, ValueError):
            unreadable.append(pair["listing_id"])
            continue
        hours.setdefault(pair["publisher"] or "(no agency)", []).append(after)
    return LeadTimes(_per_agency(hours, min_pairs), len(pairs), len(pairs), unreadable)


def _per_agency(hours: dict[str, list[float]], min_pairs: int) -> list[AgencyLeadTime]:
    agencies = [
        AgencyLeadTime(
            agency,
            len(values),
            tenths(statistics.median(values)) if len(values) >= min_pairs else None,
            tenths(min(values)),
            tenths(max(values)),
        )
        for agency, values in hours.items()
    ]
    agencies.sort(key=lambda a: (-a.pairs, a.agency))
    return agencies
