"""What a screening is checked against, and whether those lists can be vouched for.

Before a file or a watchlist is screened: every `--lists` code must be one the published
database has (else UnknownList, naming the valid ones); the database must list someone; and
every source whose listings are screened must have succeeded on its last crawl, within what
its schedule allows (`pipeline.store.registry`, as `chokepoint sources` judges it). Otherwise
StaleLists, unless the caller allows stale lists: then each problem becomes a warning that
goes with every result and into the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from pipeline.screening.errors import NoListings, StaleLists, UnknownList
from pipeline.store import listed, registry

ALLOW_STALE_HINT = "crawl again, or pass --allow-stale to screen anyway with a warning on every result"


@dataclass
class Coverage:
    lists: list[str] | None  # the codes or sources asked for, as the database spells them (None: every list)
    sources: dict[str, str | None] = field(default_factory=dict)  # source screened -> its last successful crawl
    listings: int = 0
    warnings: list[str] = field(default_factory=list)  # problems allowed with --allow-stale
    not_crawled: list[str] = field(default_factory=list)  # list sources with nothing stored yet: not screened

    def describe(self) -> str:
        """'118 listings of csl, ofac_sdn, ...' for the line that closes a screening."""
        return f"{self.listings:,} listings of {', '.join(self.sources)}"


def open_published(path: Path | None) -> Database:
    """The published database, read-only; a missing one (or one without a listings table) is NoListings."""
    if path is None:
        raise NoListings("no published database named")
    try:
        return listed.open_read_only(path)
    except listed.NothingListed as error:
        raise NoListings(str(error)) from None


def check(db: Database, label: str, lists: list[str] | None, now: str, allow_stale: bool = False) -> Coverage:
    """The lists a screening will use, or a one-line error saying why they cannot be vouched for."""
    summary = listed.list_summary(db)
    crawls = listed.source_crawls(db)
    if not summary:
        raise NoListings(f"{label}: no listings yet; crawl a list first (`chokepoint crawl csl`)")
    chosen = _resolve(summary, crawls, lists) if lists else None
    in_scope = [row for row in summary if chosen is None or {row["list_code"], row["source"]} & set(chosen)]
    coverage = Coverage(lists=chosen, listings=sum(row["listings"] for row in in_scope))
    for source in sorted({row["source"] for row in in_scope}):
        coverage.sources[source] = crawls.get(source, {}).get("last_success")
    listed_sources = {row["source"] for row in summary}
    coverage.not_crawled = sorted(
        source for source, crawl in crawls.items() if crawl["kind"] == "listings" and source not in listed_sources
    )
    problems = [problem for source in coverage.sources if (problem := _problem(source, crawls.get(source), now))]
    if problems and not allow_stale:
        raise StaleLists(f"{'; '.join(problems)}: {ALLOW_STALE_HINT}")
    coverage.warnings = problems
    return coverage


def list_states(db: Database, now: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every list with its name, source, active parties, last successful crawl and status
    (ok, failing, stale), and the list sources never crawled (nothing of theirs to screen)."""
    crawls = listed.source_crawls(db)
    rows = []
    for row in listed.list_summary(db):
        crawl = crawls.get(row["source"], {})
        rows.append(
            {
                "list": row["list_code"],
                "name": row["list_name"],
                "source": row["source"],
                "listings": row["listings"],
                "last_success": crawl.get("last_success"),
                "status": _status(crawl, now),
            }
        )
    listed_sources = {row["source"] for row in rows}
    never = sorted(
        source for source, crawl in crawls.items() if crawl["kind"] == "listings" and source not in listed_sources
    )
    return rows, never


def _resolve(summary: list[dict[str, Any]], crawls: dict[str, dict], lists: list[str]) -> list[str]:
    codes = {row["list_code"].casefold(): row["list_code"] for row in summary}
    sources = {row["source"].casefold(): row["source"] for row in summary}
    chosen, unknown = [], []
    for term in lists:
        spelled = codes.get(term.casefold()) or sources.get(term.casefold())
        if spelled:
            chosen.append(spelled)
        else:
            unknown.append(term)
    if unknown:
        hints = [hint for term in unknown if (hint := _hint(term, summary, crawls))]
        raise UnknownList(
            f"unknown list {', '.join(repr(term) for term in unknown)}"
            + (f": {' '.join(hints)}" if hints else ".")
            + f" Lists: {', '.join(sorted(set(codes.values())))}; sources: {', '.join(sorted(set(sources.values())))}"
            " (see `chokepoint lists`)"
        )
    return list(dict.fromkeys(chosen))


def _hint(term: str, summary: list[dict[str, Any]], crawls: dict[str, dict]) -> str | None:
    """A list whose name holds the term ('Entity List' -> EL), or a source with nothing stored yet."""
    if term.casefold() in crawls:
        return f"{term!r} has no listings yet (`chokepoint crawl {term.casefold()}`)."
    named = sorted(
        {(row["list_code"], row["list_name"]) for row in summary if term.casefold() in row["list_name"].casefold()}
    )
    if named:
        return "did you mean " + " or ".join(f"{code} ({name})" for code, name in named) + "?"
    return None


def _problem(source: str, crawl: dict[str, Any] | None, now: str) -> str | None:
    crawl = crawl or {}
    last_success, last_finished = crawl.get("last_success"), crawl.get("last_finished")
    parts = []
    if last_finished and last_finished["status"] != "succeeded":
        parts.append(
            f"its last crawl failed ({last_finished['finished']}: {last_finished['error'] or last_finished['status']}); "
            f"the listings are those of the crawl of {last_success or 'no successful crawl'}"
        )
    schedule = crawl.get("schedule")
    if registry.is_stale(schedule, last_success, now):
        if last_success is None:
            parts.append("stale: no successful crawl on record")
        else:
            allowed = f"crawled {schedule}" if schedule else "no schedule registered"
            parts.append(
                f"stale: last successful crawl {last_success}, {int(registry.hours_between(last_success, now))} h ago; "
                f"{allowed}, so stale after {registry.stale_after_hours(schedule)} h"
            )
    return f"{source}: {'; '.join(parts)}" if parts else None


def _status(crawl: dict[str, Any], now: str) -> str:
    last_finished = crawl.get("last_finished")
    failing = bool(last_finished and last_finished["status"] != "succeeded")
    stale = registry.is_stale(crawl.get("schedule"), crawl.get("last_success"), now)
    return ", ".join(word for word, flag in (("failing", failing), ("stale", stale)) if flag) or "ok"
