"""A timeline: the measures and listing actions about one party, industry or rivalry dimension, in date order,
each in its jurisdiction's lane, so "a measure here, a response there" reads at a glance.

- For a **party**: its own listing (listed on its listing date, removed when a complete crawl
  no longer had it), the rules its entry cites and the announcement it names, and the same for
  the parties the party graph ties to it (parent, subsidiary, shared address) and for listings of
  the same name on other lists.
- For an **industry** or a **dimension**: every document tagged with it, on its publication date
  (a public-inspection filing and its published version are one measure), and the listings
  tagged with it, one entry per list per day and kind ("12 parties added to the Entity List"),
  with the rules they cite.
- **Responses**: wherever a person confirmed that a document answers another (`chokepoint link
  --confirm`, stored in `measure_responses`), the other document joins the timeline
  (`_add_responses`). Suggestions are the ranking's guesses: the measure page shows them as such.

Same database, same timeline, byte for byte: every list is ordered on stable keys. What could not be
placed (a listing that came with its list's first crawl and gives no date, a document with no
publication date) is counted in `Timeline.left_out`, and `Timeline.checked` says what was read.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sqlite_utils import Database

from classifier.labels import DIMENSIONS, INDUSTRIES
from pipeline.links import measure_url, party_url
from pipeline.store import timeline as store

MEASURE, LISTED, REMOVED, RESPONSE = "measure", "listed", "removed", "response"
KIND_ORDER = {MEASURE: 0, RESPONSE: 1, LISTED: 2, REMOVED: 3}
UNKNOWN = "(unknown)"
LABELS = {"industry": INDUSTRIES, "dimension": DIMENSIONS}


class UnknownSubject(ValueError):
    """No stored party has that id, or the label is not in the taxonomy."""


@dataclass(frozen=True)
class Rule:
    citation: str | None  # "84 FR 29371"; None for an announcement
    title: str | None  # None: not stored here
    document_id: str | None  # the stored document, when stored

    @property
    def url(self) -> str | None:
        return measure_url(self.document_id) if self.document_id else None


@dataclass(frozen=True)
class Entry:
    day: date
    jurisdiction: str  # its lane
    kind: str  # MEASURE, RESPONSE, LISTED or REMOVED
    title: str  # a document's title, or a party's name (or "12 parties" for a group)
    item_id: str  # the document's or listing's id (a group: its first listing's)
    url: str | None
    dated_by: str  # "publication date", "listing date", "first seen", "removed"
    source: str
    publisher: str | None = None
    list: str | None = None  # "Entity List (EL)" for a listing action
    dimensions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    parties: int = 1  # a group of listings: how many
    via: str | None = None  # how this entry is tied to the subject: "parent: X", "same name on SDN"

    def key(self) -> tuple:
        return (self.day, self.jurisdiction, KIND_ORDER[self.kind], self.list or "", self.title, self.item_id)

    def as_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "jurisdiction": self.jurisdiction,
            "kind": self.kind,
            "title": self.title,
            "id": self.item_id,
            "url": self.url,
            "dated_by": self.dated_by,
            "source": self.source,
            "publisher": self.publisher,
            "list": self.list,
            "dimensions": list(self.dimensions),
            "industries": list(self.industries),
            "rules": [{"citation": r.citation, "title": r.title, "url": r.url} for r in self.rules],
            "parties": self.parties,
            "via": self.via,
        }


@dataclass
class Timeline:
    subject: str  # "party", "industry" or "dimension"
    value: str  # the listing id or the label
    title: str  # the party's name, or the label
    jurisdictions: tuple[str, ...] = ()  # the filter asked for (empty: all)
    since: date | None = None
    entries: list[Entry] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was read, in a sentence each
    left_out: Counter = field(default_factory=Counter)  # reason -> number of items not placed

    @property
    def lanes(self) -> list[str]:
        """The jurisdictions holding entries, in order of their first entry (ties by name)."""
        first: dict[str, date] = {}
        for entry in self.entries:
            first.setdefault(entry.jurisdiction, entry.day)
        return sorted(first, key=lambda lane: (first[lane], lane))

    def as_json(self) -> dict:
        return {
            "subject": {"kind": self.subject, "value": self.value, "title": self.title},
            "filters": {
                "jurisdictions": list(self.jurisdictions),
                "since": self.since.isoformat() if self.since else None,
            },
            "lanes": self.lanes,
            "entries": [entry.as_json() for entry in self.entries],
            "checked": self.checked,
            "left_out": dict(sorted(self.left_out.items())),
        }


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _labels(cell: str | None) -> tuple[str, ...]:
    return tuple(json.loads(cell)) if cell else ()


def _list_name(row: dict) -> str:
    name, code = row.get("list_name"), row["list_code"]
    if not name:
        return code
    return name if f"({code})" in name else f"{name} ({code})"


def _measure(row: dict, kind: str = MEASURE, via: str | None = None) -> Entry | None:
    day = _day(row["publication_date"])
    if day is None:
        return None
    return Entry(
        day,
        row["jurisdiction"] or UNKNOWN,
        kind,
        row["title"] or row["id"],
        row["id"],
        measure_url(row["id"]),
        "publication date",
        row["source"],
        row["publisher"],
        dimensions=_labels(row["dimensions"]),
        industries=_labels(row["industries"]),
        via=via,
    )


def _rules_by_listing(db: Database, ids: list[str]) -> dict[str, tuple[Rule, ...]]:
    rules: dict[str, list[Rule]] = {}
    for row in store.cited_rules(db, ids):
        rules.setdefault(row["listing_id"], []).append(Rule(row["citation"], row["title"], row["document_id"]))
    for row in store.announcements(db, ids):
        rules.setdefault(row["listing_id"], []).append(Rule(None, row["title"], row["document_id"]))
    return {key: tuple(dict.fromkeys(value)) for key, value in rules.items()}


def _listing_actions(row: dict, rules: tuple[Rule, ...], first_runs: dict[str, int], via: str | None):
    """The listing's own actions: listed (on its listing date, else the day first seen) and removed."""
    jurisdiction = row["jurisdiction"] or UNKNOWN
    common = dict(
        url=party_url(row["id"]),
        source=row["source"],
        publisher=row["publisher"],
        list=_list_name(row),
        dimensions=_labels(row["dimensions"]),
        industries=_labels(row["industries"]),
        via=via,
    )
    listed, dated_by = _day(row["start_date"]), "listing date"
    if listed is None:
        listed = _day(row["first_seen"])
        on_first_crawl = row["first_run_id"] == first_runs.get(row["source"])
        dated_by = "already listed when chokepoint first crawled the list" if on_first_crawl else "first seen"
    if listed is not None:
        yield Entry(listed, jurisdiction, LISTED, row["name"], row["id"], dated_by=dated_by, rules=rules, **common)
    removed = _day(row["removed_on"])
    if removed is not None:
        yield Entry(removed, jurisdiction, REMOVED, row["name"], row["id"], dated_by="removed", rules=(), **common)


def check_jurisdictions(db: Database, asked) -> tuple[str, ...]:
    """The jurisdiction codes asked for, upper-cased; UnknownSubject for one nothing stored is from
    (a typo would otherwise read as a quiet timeline)."""
    asked = tuple(dict.fromkeys(code.strip().upper() for code in asked if code.strip()))
    known = store.jurisdictions(db)
    unknown = [code for code in asked if code not in known]
    if unknown:
        raise UnknownSubject(
            f"no stored source or document is from jurisdiction {', '.join(unknown)}; stored: {', '.join(known)}"
        )
    return asked


def for_party(db: Database, listing_id: str, jurisdictions=(), since: date | None = None) -> Timeline:
    party = store.listing(db, listing_id)
    if party is None:
        raise UnknownSubject(f"no stored listing has the id {listing_id!r} (ids look like csl:EL:<hash>)")
    ties: dict[str, str | None] = {party["id"]: None}
    for link in store.linked(db, party["id"]):
        ties.setdefault(link["other_id"], f"{link['role']}: {link['name']}")
    for other in store.same_name(db, party):
        ties.setdefault(other["id"], f"same name on {_list_name(other)}")
    rows = store.listings(db, ties)
    rules = _rules_by_listing(db, list(ties))
    first_runs = store.first_listing_runs(db)
    timeline = Timeline("party", party["id"], party["name"], check_jurisdictions(db, jurisdictions), since)
    entries: list[Entry] = []
    for row in rows:
        entries.extend(_listing_actions(row, rules.get(row["id"], ()), first_runs, ties[row["id"]]))
    # The stored rules and announcements behind these listings are measures on the timeline too.
    cited = {rule.document_id for value in rules.values() for rule in value if rule.document_id}
    for document in store.documents(db, cited):
        entry = _measure(document, via="cited by the listing")
        if entry is None:
            timeline.left_out["document(s) with no readable publication date"] += 1
        else:
            entries.append(entry)
    entries = _add_responses(db, entries)
    timeline.checked = [
        f"{party['name']} ({_list_name(party)}), {len(ties) - 1} listing(s) tied to it by the party graph or by the "
        f"same name on another list, and the {len(cited)} stored rule(s) or announcement(s) their entries name"
    ]
    missing = sum(1 for value in rules.values() for rule in value if rule.document_id is None)
    if missing:
        timeline.checked.append(
            f"{missing} citation(s) name a rule not stored here (run `chokepoint crawl federal_register "
            "--backfill-citations`): shown on the listing, not as a measure"
        )
    return _finish(timeline, entries)


def for_label(db: Database, facet: str, label: str, jurisdictions=(), since: date | None = None) -> Timeline:
    if label not in LABELS[facet]:
        raise UnknownSubject(f"unknown {facet} {label!r}: use one of {', '.join(LABELS[facet])}")
    timeline = Timeline(facet, label, label, check_jurisdictions(db, jurisdictions), since)
    entries: list[Entry] = []
    for document in store.tagged_documents(db, facet, label):
        entry = _measure(document)
        if entry is None:
            timeline.left_out["document(s) with no readable publication date"] += 1
        else:
            entries.append(entry)
    listings = store.tagged_listings(db, facet, label)
    rules = _rules_by_listing(db, [row["id"] for row in listings])
    first_runs = store.first_listing_runs(db)
    groups: dict[tuple, list[Entry]] = {}
    for row in listings:
        for action in _listing_actions(row, rules.get(row["id"], ()), first_runs, None):
            if action.dated_by.startswith("already listed"):
                timeline.left_out["listing(s) that came with their list's first crawl and give no listing date"] += 1
                continue
            groups.setdefault((action.day, action.jurisdiction, action.kind, action.list), []).append(action)
    entries.extend(_grouped(actions) for _, actions in sorted(groups.items(), key=lambda item: _group_key(item[0])))
    entries = _add_responses(db, entries)
    stored = store.coverage(db, facet)
    timeline.checked = [
        f"{stored['documents']:,} stored document(s), {stored['documents_untagged']:,} of them not tagged yet",
        f"{stored['listings']:,} stored listing(s), {stored['listings_untagged']:,} of them not tagged yet",
    ]
    return _finish(timeline, entries)


def _group_key(key: tuple) -> tuple:
    day, jurisdiction, kind, name = key
    return (day, jurisdiction, KIND_ORDER[kind], name or "")


def _grouped(actions: list[Entry]) -> Entry:
    """One entry for the listings one list gained (or lost) on one day; a single listing stays itself."""
    if len(actions) == 1:
        return actions[0]
    actions = sorted(actions, key=lambda action: (action.title, action.item_id))
    # Each listing's first citation is the rule that listed it; later ones revised its entry.
    rules = tuple(dict.fromkeys(action.rules[0] for action in actions if action.rules))
    verb = "added to" if actions[0].kind == LISTED else "removed from"
    return replace(
        actions[0],
        title=f"{len(actions)} parties {verb} {actions[0].list}: {', '.join(a.title for a in actions[:3])}"
        + (", ..." if len(actions) > 3 else ""),
        url=None,
        rules=rules,
        parties=len(actions),
        dimensions=tuple(sorted({d for action in actions for d in action.dimensions})),
        industries=tuple(sorted({i for action in actions for i in action.industries})),
    )


def _add_responses(db: Database, entries: list[Entry]) -> list[Entry]:
    """Each document stored as a response to a measure on the timeline (or as the measure a response on it
    answers) joins it, in its own jurisdiction's lane: where "what the other side did back" comes in."""
    measures = {entry.item_id for entry in entries if entry.kind == MEASURE}
    links = store.responses(db, measures)
    if not links:
        return entries
    wanted: dict[str, tuple[str, str]] = {}  # document id -> (its kind here, how it is tied to the timeline)
    for link in links:
        if link["measure_id"] in measures and link["response_id"] not in measures:
            wanted.setdefault(link["response_id"], (RESPONSE, f"response to {link['measure_id']} ({link['status']})"))
        elif link["response_id"] in measures and link["measure_id"] not in measures:
            # The measure a response on the timeline answers: a measure, not a response.
            wanted.setdefault(link["measure_id"], (MEASURE, f"answered by {link['response_id']} ({link['status']})"))
    added = []
    for row in store.documents(db, wanted):
        entry = _measure(row, *wanted[row["id"]])
        if entry is not None:
            added.append(entry)
    return entries + added


def _finish(timeline: Timeline, entries: list[Entry]) -> Timeline:
    """Apply the filters, order the entries, and say what the filters left out."""
    kept = []
    for entry in entries:
        if timeline.jurisdictions and entry.jurisdiction not in timeline.jurisdictions:
            timeline.left_out["entries outside the jurisdictions asked for"] += 1
        elif timeline.since and entry.day < timeline.since:
            timeline.left_out[f"entries before {timeline.since.isoformat()}"] += 1
        else:
            kept.append(entry)
    timeline.entries = sorted(kept, key=Entry.key)
    return timeline


SUBJECTS = ("party", "industry", "dimension")


def build(db: Database, subject: str, value: str, jurisdictions=(), since: date | None = None) -> Timeline:
    """The timeline of a party (listing id), an industry or a dimension (taxonomy id)."""
    if subject == "party":
        return for_party(db, value, jurisdictions, since)
    if subject in LABELS:
        return for_label(db, subject, value, jurisdictions, since)
    raise UnknownSubject(f"a timeline is of a {', '.join(SUBJECTS)}, not a {subject!r}")


def nothing_found(timeline: Timeline) -> str:
    """The plain sentence an empty timeline shows: what was asked, and what was checked."""
    asked = [f"{timeline.subject} {timeline.title}"]
    if timeline.jurisdictions:
        asked.append(f"in {', '.join(timeline.jurisdictions)}")
    if timeline.since:
        asked.append(f"since {timeline.since.isoformat()}")
    return f"No measure or listing action for {' '.join(asked)}. Checked: {'; '.join(timeline.checked)}."
