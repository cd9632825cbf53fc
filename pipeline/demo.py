"""`chokepoint demo`: crawl the bundled sample responses through the real spiders, no network."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from pipeline import postcrawl, replay, runner, sources

SAMPLES_DIR = Path(__file__).resolve().parent / "demo_data"
SEARCH_HINTS = (
    "/chokepoint/documents?_search=export",
    "/chokepoint/listings?_search=huawei",
    "/chokepoint/changes",
)


MANIFEST = SAMPLES_DIR / "manifest.json"


def sample_requests() -> list[runner.CrawlRequest]:
    """One crawl per bundled sample, each with the item range its small file should give."""
    return list(replay.load_manifest(MANIFEST).values())


def build(db_path: Path, private_db_path: Path, progress=None, tag_progress=None) -> list[runner.CrawlOutcome]:
    """Fresh demo databases (published and private) from the samples."""
    for path in (db_path, private_db_path):
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(db_path)
    sources.register_sources(db)
    return runner.run_crawls(db, sample_requests(), progress=progress,
                             after_apply=postcrawl.steps(private_db_path, tag_progress))
