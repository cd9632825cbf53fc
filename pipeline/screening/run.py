"""Screening runs: a file, a watchlist, or what one crawl changed. Each leaves a receipt.

Reads listings from the published database (read-only) and writes only to the
private one. A file or a watchlist is screened only against lists that can be
vouched for (`coverage`); a run that could read no row of its file screens nothing
and records nothing.
"""

from __future__ import annotations

import gc
import heapq
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from pipeline.report import SILENT, Reporter
from pipeline.screening import coverage
from pipeline.screening.counterparties import CounterpartyFile, NotRead, read_counterparties
from pipeline.screening.errors import NoListings
from pipeline.screening.match import chinese
from pipeline.screening.match.index import NameIndex, TokenStats, as_list
from pipeline.screening.match.names import listing_names
from pipeline.screening.match.normalise import analyse
from pipeline.screening.match.screener import Query, Screener
from pipeline.screening.match.settings import DEFAULT_LIMIT, DEFAULT_THRESHOLD, WATCHLIST_LIMIT
from pipeline.screening.private import alerts, receipts, watchlists
from pipeline.screening.private.database import open_private
from pipeline.screening.private.receipts import ScreenedRow
from pipeline.screening.spool import SpooledRows, batches
from pipeline.store import links, listed
from pipeline.store.changes import Changes
from spiders.kit import clock

PARALLEL_FROM = 2_000  # below this, starting worker processes costs more than it saves
PROGRESS_TASK = "screening"


@dataclass
class Listings:
    index: NameIndex
    material: dict[str, str]  # listing id -> material hash
    versions: dict[str, dict]


@dataclass
class FileScreening:
    parsed: CounterpartyFile
    rows: SpooledRows  # on disk: a million names' results do not fit in memory
    coverage: coverage.Coverage
    receipt_id: int | None  # None when no row could be read: nothing screened, nothing recorded

    @property
    def matched(self) -> int:
        """Rows with at least one match."""
        return self.rows.matched

    @property
    def in_file_order(self) -> Iterator[ScreenedRow | NotRead]:
        """Every row of the file, screened or not, in the file's order (read back from disk as it goes)."""
        return heapq.merge(self.rows, self.parsed.skipped, key=_row_number)

    @property
    def warnings(self) -> list[str]:
        """What every result carries: the problems of lists screened with --allow-stale."""
        return self.coverage.warnings


def _row_number(row: ScreenedRow | NotRead) -> int:
    return row.row_number if isinstance(row, ScreenedRow) else row.row


@dataclass
class WatchlistScreening:
    watchlist: str
    queries: int
    counts: alerts.AlertCounts
    receipt_id: int


@dataclass
class WatchlistAdded:
    parsed: CounterpartyFile
    watchlist: dict
    version: dict  # the current version (a file identical to it added none)
    screened: WatchlistScreening | None  # None when nothing is listed yet: screened after the next crawl
    not_screened: str | None = None  # why not
    warnings: list[str] = field(default_factory=list)  # lists screened with --allow-stale


@dataclass
class DeltaScreening:
    changed: int
    removed: int = 0
    watchlists: list[WatchlistScreening] = field(default_factory=list)
    delisted: dict[str, int] = field(default_factory=dict)  # watchlist -> delisted alerts raised


def read_listings(
    db: Database, lists: list[str] | None = None, ids: list[str] | None = None
) -> tuple[list[dict], dict[str, dict]]:
    """The active listings to screen against, and the versions of their lists for the receipt."""
    rows = list(listed.active_listings(db, lists, ids))
    # A delta screens a few listings, but its receipt names the versions of the whole lists.
    return rows, listed.list_versions(db, lists, rows if ids is None else None)


def load_listings(
    db: Database, lists: list[str] | None = None, ids: list[str] | None = None, stats: TokenStats | None = None
) -> Listings:
    rows, versions = read_listings(db, lists, ids)
    return Listings(
        index=NameIndex(rows, stats), material={row["id"]: alerts.material_hash(row) for row in rows}, versions=versions
    )


def screen_queries(
    screener: Screener, queries: list[tuple[int, Query]], reporter: Reporter = SILENT
) -> list[ScreenedRow]:
    """Screen many names; large batches are shared between the machine's cores."""
    return list(iter_screened(screener, queries, reporter))


def iter_screened(
    screener: Screener, queries: list[tuple[int, Query]], reporter: Reporter = SILENT
) -> Iterator[ScreenedRow]:
    """Each name's screened row as it is ready, in input order; large batches are shared between the cores."""
    workers = min(os.cpu_count() or 1, 8)
    if len(queries) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for done, (number, query) in enumerate(queries, start=1):
            yield ScreenedRow(number, query, screener.screen(query))
            if done % 1000 == 0:
                reporter.progress(PROGRESS_TASK, done, len(queries), "screened")
        reporter.finish(PROGRESS_TASK)
        return
    global _worker_screener
    _worker_screener = screener  # forked workers inherit the built index: nothing is loaded per query
    if any(chinese.has_han(query.name) for _, query in queries):
        chinese.load_dictionaries()  # once here, not once per worker
    gc.freeze()  # keep the collector from touching (and so copying) the inherited index in every worker
    chunk = max(100, len(queries) // (workers * 8))
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for done, row in enumerate(pool.imap(_screen_one, queries, chunksize=chunk), start=1):
                yield row
                if done % 1000 == 0:
                    reporter.progress(PROGRESS_TASK, done, len(queries), "screened")
    finally:
        gc.unfreeze()
    reporter.finish(PROGRESS_TASK)


_worker_screener: Screener | None = None


def _screen_one(item: tuple[int, Query]) -> ScreenedRow:
    number, query = item
    return ScreenedRow(number, query, _worker_screener.screen(query))


def screen_file(
    db_path: Path,
    private_db_path: Path,
    path: Path,
    lists: list[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = DEFAULT_LIMIT,
    reporter: Reporter = SILENT,
    allow_stale: bool = False,
    scheduler: str | None = None,
    scheduler_timeout: float | None = None,
) -> FileScreening:
    """Screen a counterparty file, in this process or, given a Dask `scheduler` address, on its cluster:
    the same lists checked, the same rows, the same receipt."""
    parsed = read_counterparties(path)
    started = clock.now()
    db = coverage.open_published(db_path)
    covered = coverage.check(db, str(db_path), lists, started, allow_stale)
    if not parsed.rows:
        return FileScreening(parsed, SpooledRows(), covered, None)
    queries = [(row.row, row.query) for row in parsed.rows]
    if scheduler:
        from pipeline.screening import cluster  # imports dask only when a cluster is asked for

        listing_rows, versions = read_listings(db, covered.lists)
        screened = cluster.screen_on_cluster(
            scheduler,
            listing_rows,
            queries,
            threshold=threshold,
            limit=limit,
            reporter=reporter,
            progress_task=PROGRESS_TASK,
            timeout=scheduler_timeout or cluster.CONNECT_TIMEOUT,
        )
    else:
        listings = load_listings(db, covered.lists)
        screened = iter_screened(Screener(listings.index, threshold=threshold, limit=limit), queries, reporter)
        versions = listings.versions
    rows = spool_with_parents(db, screened)
    receipt_id = receipts.record(
        open_private(private_db_path),
        kind="file",
        started=started,
        input_name=str(path),
        input_sha256=parsed.sha256,
        threshold=threshold,
        lists=covered.lists,
        list_versions=versions,
        rows=rows,
        skipped_rows=parsed.problems,
        warnings=parsed.notices + covered.warnings,
    )
    return FileScreening(parsed, rows, covered, receipt_id)


def spool_with_parents(db: Database, screened: Iterable[ScreenedRow]) -> SpooledRows:
    """The screened rows, each match naming its listed parent, written to disk batch by batch as they come."""
    rows = SpooledRows()
    try:
        for batch in batches(screened):
            rows.extend(with_parents(db, batch))
    except BaseException:
        rows.close()
        raise
    return rows


def with_parents(db: Database, rows: list[ScreenedRow]) -> list[ScreenedRow]:
    """A match whose listing names a parent ("Linked To: X") says so in its explanation; scores are untouched."""
    parents = links.parents_of(db, [m.listing_id for row in rows for m in row.matches if m.match])
    for row in rows:
        row.matches = [
            replace(m, explanation=m.explanation + parent_note(parents[m.listing_id]))
            if m.match and m.listing_id in parents
            else m
            for m in row.matches
        ]
    return rows


def parent_note(parents: list[dict]) -> str:
    """ "; parent: ROSNEFT [EL csl:EL:...]" per listed parent, or "(on no stored list)"."""
    notes = []
    for parent in parents:
        if parent["linked_id"] and parent["name"]:
            notes.append(f"{parent['name']} [{parent['list_code']} {parent['linked_id']}]")
        elif not parent["linked_id"]:
            notes.append(f"{parent['target_name']} (named as parent; on no stored list)")
    return "".join(f"; parent: {note}" for note in dict.fromkeys(notes))


def screen_watchlist(
    private: Database,
    watchlist: dict,
    listings: Listings,
    *,
    published: Database,
    kind: str,
    threshold: float = DEFAULT_THRESHOLD,
    crawl_run_id: int | None = None,
    warnings: list[str] = (),
    skipped_rows: list[str] = (),
) -> WatchlistScreening:
    """Screen every entry of a watchlist against `listings` and record the hits as alerts (an alert on a
    subsidiary names its listed parent, as a screened file does: the graph is read from `published`)."""
    started = clock.now()
    screener = Screener(listings.index, threshold=threshold, limit=WATCHLIST_LIMIT)
    queries = watchlists.entries(private, watchlist["id"])
    rows = spool_with_parents(published, (_every_match(screener, row) for row in iter_screened(screener, queries)))
    receipt_id = receipts.record(
        private,
        kind=kind,
        started=started,
        input_name=f"watchlist {watchlist['name']}",
        input_sha256=watchlist["input_sha256"],
        threshold=threshold,
        lists=None,
        list_versions=listings.versions,
        rows=rows,
        watchlist_id=watchlist["id"],
        crawl_run_id=crawl_run_id,
        warnings=warnings,
        skipped_rows=skipped_rows,
    )
    hits = [(row.query, match) for row in rows for match in row.matches if match.match]
    rows.close()
    counts = alerts.record_hits(private, watchlist["id"], receipt_id, hits, listings.material)
    return WatchlistScreening(watchlist["name"], len(queries), counts, receipt_id)


def _every_match(screener: Screener, row: ScreenedRow) -> ScreenedRow:
    """Every match becomes an alert: a counterparty whose candidates are all matches up to the limit
    (a group with many listed affiliates) is screened again with a wider one until a candidate is not."""
    limit = screener.limit
    while len(row.matches) == limit and row.matches[-1].match:
        limit *= 4
        wider = Screener(screener.index, threshold=screener.threshold, limit=limit, min_score=screener.min_score)
        row = ScreenedRow(row.row_number, row.query, wider.screen(row.query))
    return row


def add_watchlist(
    db_path: Path | None,
    private_db_path: Path,
    name: str,
    path: Path,
    *,
    replace_with_fewer: bool = False,
    allow_stale: bool = False,
) -> WatchlistAdded:
    """Save a new version of a watchlist and, when something is listed, screen it against every listing now.

    The lists are checked first (a stale or failing list refuses the whole command unless
    `allow_stale`), so a refused command changes nothing.
    """
    parsed = read_counterparties(path)
    now = clock.now()
    try:
        db = coverage.open_published(db_path)
        covered = coverage.check(db, str(db_path), None, now, allow_stale)
    except NoListings as error:
        db, covered, not_screened = None, None, str(error)
    private = open_private(private_db_path)
    watchlist = watchlists.save(private, name, parsed, replace_with_fewer)
    version = watchlists.version(private, watchlist["version_id"])
    if covered is None:
        return WatchlistAdded(parsed, watchlist, version, None, not_screened)
    screened = screen_watchlist(
        private,
        watchlist,
        load_listings(db),
        published=db,
        kind="watchlist",
        warnings=parsed.notices + covered.warnings,
        skipped_rows=parsed.problems,
    )
    return WatchlistAdded(parsed, watchlist, version, screened, warnings=covered.warnings)


def screen_changed(db: Database, changes: Changes, private_db_path: Path) -> DeltaScreening | None:
    """Post-crawl step: screen only the listings this crawl added, changed or restored, against every watchlist,
    and tell the watchlists whose alerts matched a listing the crawl removed.

    Words are weighed as in the whole list, so a small delta scores exactly as a full screen would.
    """
    changed, removed = list(changes.listings), list(changes.removed_listings)
    if not (changed or removed) or not Path(private_db_path).exists():
        return None
    private = open_private(private_db_path)
    every = watchlists.all_watchlists(private)
    if not every:
        return None
    result = DeltaScreening(changed=len(changed), removed=len(removed))
    result.delisted = alerts.record_delistings(private, removed, changes.run_id)
    if not changed:
        return result
    stats = TokenStats(analyse(name) for name in _all_names(db))
    listings = load_listings(db, ids=changed, stats=stats)
    for watchlist in every:
        result.watchlists.append(
            screen_watchlist(private, watchlist, listings, published=db, kind="delta", crawl_run_id=changes.run_id)
        )
    return result


def _all_names(db: Database):
    for row in listed.active_listings(db):
        yield from listing_names(row["name"], as_list(row["alt_names"]))
