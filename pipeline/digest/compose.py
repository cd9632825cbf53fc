"""Composing one subscriber's digest: what `changes_in` returns for their filters and window, the alerts
on their watchlist, and the health of every source they follow, in the issue's four sections; above
them, the surges in what they follow (`surges`).

Nothing here sends or renders; the result is plain data the templates read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from classifier.labels import DIMENSIONS, INDUSTRIES
from pipeline.digest import log
from pipeline.digest.exposure import Exposure, exposure
from pipeline.digest.links import Site, citation_url
from pipeline.digest.log import Place
from pipeline.digest.subscriptions import Subscription
from pipeline.digest.surges import SurgeSection, section
from pipeline.links import safe_url
from pipeline.store.changes import (
    ChangeFilter,
    Window,
    changes_in,
    items_stored_in,
    lists_by_source,
    sources_with_documents,
)
from pipeline.trends import Stored

MAX_ITEMS_PER_GROUP = 25  # the rest of a group is counted and linked, never dropped silently
LISTING_KINDS = ("added", "removed", "restored", "modified")
PUBLIC_INSPECTION = "federal_register_public_inspection"


@dataclass
class Group:
    key: str
    title: str
    items: list[dict[str, Any]]
    more: int = 0  # items of the group not shown
    more_url: str | None = None


@dataclass
class SourceLine:
    spider: str
    kind: str
    jurisdiction: str
    publisher: str
    status: str  # ok, failing, never crawled
    last_success: str | None
    problem: str | None  # why "nothing new" from it cannot be trusted; None when it was checked


@dataclass
class Digest:
    subscription: Subscription
    generated: str
    period_start: str
    window: Window  # the changes covered (after_id, upto_id], or since a time for a first digest
    upto_alert_id: int
    exposure: Exposure
    listings: list[Group]
    documents: list[Group]
    sources: list[SourceLine]
    surges: SurgeSection = field(default_factory=SurgeSection)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def problems(self) -> list[SourceLine]:
        return [line for line in self.sources if line.problem]

    @property
    def news(self) -> bool:
        return bool(self.surges.surges or self.exposure.alerts or self.listings or self.documents)

    def summary(self) -> dict[str, Any]:
        """What the sent log keeps of it (its surges: so that the next digest does not report them again)."""
        return {**self.counts, "problems": [line.spider for line in self.problems], "surges": self.surges.sent()}


def compose(
    db: Database,
    private: Database,
    subscription: Subscription,
    place: Place,
    *,
    upto_change_id: int,
    upto_alert_id: int,
    health: list[dict[str, Any]],
    site: Site,
    now: str,
    trends: tuple[Stored | None, str | None],
    since: str | None = None,
    probes: dict[str, str] | None = None,
) -> Digest:
    """The digest of what changed after `place` (up to the given ids) for `subscription`.

    `since` starts a first digest at that time instead of where the subscriber subscribed (as does the
    `since` of a first digest that failed: its retry loses nothing). `health` is the source report
    (pipeline.monitoring: a source turned away by a firewall is "blocked"); `probes` maps a source to
    what its live probe found when not ok (`pipeline.crawl.probe`), and each such source is named as a problem.
    `trends` is what `pipeline.trends.read` read for the surges, or (None, why it could not).
    """
    starts = [moment for moment in (since, place.first_since) if moment]
    first_since = min(starts) if place.first and starts else None
    window = Window(
        since=first_since,
        after_id=None if first_since else place.after_change_id,
        upto_id=upto_change_id,
    )
    filters = subscription.filters
    changed = changes_in(db, window, filters)
    rows = changed.rows + changed.untagged
    listings = [row for row in rows if row["item_type"] == "listing"]
    documents = [row for row in rows if row["item_type"] == "document"]
    alerts_after = 0 if first_since else place.after_alert_id
    found = exposure(private, subscription.watchlist, alerts_after, upto_alert_id, since=first_since)
    for alert in found.alerts:
        alert["url"] = site.party(alert["listing_id"])
    counts = {kind: sum(1 for row in listings if row["kind"] == kind) for kind in LISTING_KINDS}
    stored, unavailable = trends
    surges = section(
        stored,
        filters,
        period_start_at=first_since or place.since,
        now=now,
        stored_in_window=items_stored_in(db, window),
        already_sent=log.sent_surges(private, subscription),
        site=site,
        unavailable=unavailable,
    )
    counts.update(alerts=len(found.alerts), documents=len(documents), untagged=len(changed.untagged))
    counts.update(surges=len(surges.surges))
    return Digest(
        subscription=subscription,
        generated=now,
        period_start=first_since or place.since,
        window=window,
        upto_alert_id=upto_alert_id,
        exposure=found,
        listings=_listing_groups(listings, site, window),
        documents=_document_groups(documents, site, window, filters),
        sources=followed_sources(db, health, filters, probes or {}),
        surges=surges,
        counts=counts,
    )


def _listing_groups(rows: list[dict[str, Any]], site: Site, window: Window) -> list[Group]:
    """Listings by list; on each list the additions first, then removals, restorations, modifications."""
    by_list: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_list.setdefault(row["list_code"], []).append(row)
    groups = []
    for code in sorted(by_list):
        items = sorted(by_list[code], key=lambda row: (LISTING_KINDS.index(row["kind"]), row["name"], row["id"]))
        for item in items:
            item["url"] = site.party(item["item_id"])
            item["changed_fields"] = sorted(item["fields"] or {})
            for citation in item["citations"]:
                citation["url"] = citation_url(site, citation)
        names = {row["list_name"] for row in items if row["list_name"]}
        title = f"{code}: {sorted(names)[0]}" if len(names) == 1 else code
        # Each kind is capped on its own: a hundred additions never hide a removal.
        shown = [
            item for kind in LISTING_KINDS for item in [i for i in items if i["kind"] == kind][:MAX_ITEMS_PER_GROUP]
        ]
        group = _capped(code, title, items, site, window, item_type="listing", list_code=code)
        group.items, group.more = shown, len(items) - len(shown)
        groups.append(group)
    return groups


def _document_groups(rows: list[dict[str, Any]], site: Site, window: Window, filters: ChangeFilter) -> list[Group]:
    """Documents by their strongest rivalry dimension and industry (every label is shown on the item);
    untagged ones in a group of their own, so a label filter never hides them."""
    by_label: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in rows:
        row["url"] = site.measure(row["item_id"])
        row["source_url"] = safe_url(row["html_url"]) or safe_url(row["pdf_url"])
        row["public_inspection"] = row["source"] == PUBLIC_INSPECTION
        by_label.setdefault(_label_key(row), []).append(row)
    groups = []
    for key in sorted(by_label):
        items = sorted(by_label[key], key=lambda row: (-_day(row["publication_date"]), row["title"] or "", row["id"]))
        dimension, industry = key
        if dimension < 0:
            title = "Not tagged yet" + (
                " (so not checked against your dimensions and industries)" if filters.by_label else ""
            )
        else:
            title = f"{_label(DIMENSIONS, dimension, 'no dimension')} · {_label(INDUSTRIES, industry, 'no industry')}"
        groups.append(_capped(f"{dimension}.{industry}", title, items, site, window, item_type="document"))
    return groups


def _label_key(row: dict[str, Any]) -> tuple[int, int]:
    if not row["tagged"]:
        return (-1, -1)
    scores = row["label_scores"] or {}
    return (_strongest(DIMENSIONS, row["dimensions"], scores), _strongest(INDUSTRIES, row["industries"], scores))


def _strongest(taxonomy: tuple[str, ...], labels: list[str] | None, scores: dict[str, float]) -> int:
    """The taxonomy position of the best-scored label (ties: taxonomy order); past the end when there is none."""
    known = [label for label in labels or [] if label in taxonomy]
    if not known:
        return len(taxonomy)
    return taxonomy.index(min(known, key=lambda label: (-scores.get(label, 0.0), taxonomy.index(label))))


def _label(taxonomy: tuple[str, ...], position: int, missing: str) -> str:
    return taxonomy[position] if position < len(taxonomy) else missing


def _day(date: str | None) -> int:
    return int((date or "0000-00-00")[:10].replace("-", "") or 0)


def _capped(key: str, title: str, items: list[dict[str, Any]], site: Site, window: Window, **filters) -> Group:
    """The group's first items, the count of the rest and the site's page of all its changes in the window."""
    shown = items[:MAX_ITEMS_PER_GROUP]
    page = site.table("changes", **filters, at__gte=window.since, id__gt=window.after_id, id__lte=window.upto_id)
    return Group(key, title, shown, len(items) - len(shown), page)


def followed_sources(
    db: Database, health: list[dict[str, Any]], filters: ChangeFilter, probes: dict[str, str]
) -> list[SourceLine]:
    """Every source whose changes this subscriber could receive, with why it cannot be trusted today, if so.

    A source is followed unless the filters rule it out: not among `sources`, another jurisdiction, or
    (with `lists`) a source of listings only whose stored lists are none of them.
    """
    holds = lists_by_source(db) if filters.lists else {}
    wanted = {code.upper() for code in filters.lists}
    with_documents = sources_with_documents(db) if filters.lists else set()
    lines = []
    for row in health:
        spider = row["spider"]
        if filters.sources and spider not in filters.sources:
            continue
        if filters.jurisdictions and (row["jurisdiction"] or "").upper() not in {
            j.upper() for j in filters.jurisdictions
        }:
            continue
        if (
            wanted
            and spider in holds
            and spider not in with_documents
            and not wanted & {c.upper() for c in holds[spider]}
        ):
            continue
        lines.append(
            SourceLine(
                spider=spider,
                kind=row["kind"],
                jurisdiction=row["jurisdiction"],
                publisher=row["publisher"],
                status=row["status"],
                last_success=row["last_success"],
                problem=_problem(row, probes.get(spider)),
            )
        )
    return lines


def _problem(row: dict[str, Any], probe: str | None) -> str | None:
    if probe:
        return f"probe failed: {probe}"
    if row["status"] == "blocked":
        return f"blocked: last crawl turned away ({row['last_failure']}): {row['last_error']}"
    if row["status"] == "failing":
        return f"last crawl failed ({row['last_failure']}): {row['last_error']}"
    if row["status"] == "never crawled":
        return "never crawled"
    if row.get("stale"):
        return f"stale: no successful crawl since {row['last_success']} (due {row['schedule']})"
    return None
