"""`chokepoint demo`: crawl the bundled sample responses through the real spiders, no network."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from pipeline.crawl import registry, replay
from pipeline.crawl.model import CrawlOutcome, CrawlRequest
from pipeline.crawl.run import run_crawls
from pipeline.crawl.steps import post_crawl_steps
from pipeline.report import SILENT, Reporter

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "demo_data"
MANIFEST = SAMPLES_DIR / "manifest.json"
SEARCH_HINTS = (
    "/ (what's new, source health, feeds)",
    "/search?q=huawei",
    "/search?q=gallium",
    "/measure/eu_trade_defence:52023XC00160 (the EU electric-vehicle case opened, and the response suggested for it)",
)


def sample_requests() -> list[CrawlRequest]:
    """One crawl per bundled sample, each with the item range its small file should give."""
    return list(replay.load_manifest(MANIFEST).values())


def build(db_path: Path, private_db_path: Path, reporter: Reporter = SILENT) -> list[CrawlOutcome]:
    """Fresh demo databases (published and private) from the samples."""
    if (
        not private_db_path.parent.exists()
    ):  # the private database's folder is the owner's alone, as open_private makes it
        private_db_path.parent.mkdir(parents=True)
        private_db_path.parent.chmod(0o700)
    for path in (db_path, private_db_path):
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database(db_path)
    registry.register_sources(db)
    return run_crawls(db, sample_requests(), post_crawl_steps(private_db_path), reporter)


def rank_responses(db_path: Path, reporter: Reporter = SILENT):
    """Suggest each demo measure's responses (`chokepoint suggest-responses`), once every sample has landed."""
    from pipeline.linkage.suggest import update_suggestions
    from spiders.kit import clock

    return update_suggestions(Database(db_path), clock.now(), reporter=reporter)
