"""The fault suite's shared pieces: one misbehaving server per session, and each spider's stored baseline, crawled once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.faults.server import Answer, FaultServer
from tests.faults.sources import SOURCES


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


class Baselines:
    """Per spider, a database holding one healthy crawl of its site (tagged, as a real crawl leaves it)."""

    def __init__(self, folder: Path, forker, server: FaultServer):
        self.folder, self.forker, self.server = folder, forker, server
        self._built: dict[str, Path] = {}

    def copy_to(self, spider: str, target: Path) -> Path:
        """A fresh copy of the spider's baseline database at `target`."""
        if spider not in self._built:
            self._built[spider] = self._build(spider)
        built = self._built[spider]
        shutil.copy(built, target)
        wal = Path(f"{built}-wal")  # a forked child exits without checkpointing: its last writes sit in the WAL
        if wal.exists():
            shutil.copy(wal, f"{target}-wal")
        return target

    def _build(self, spider: str) -> Path:
        source = SOURCES[spider]
        db_path = self.folder / f"{spider}.db"
        base = self.server.serve({path: Answer(body) for path, body in source.baseline.items()})
        result = self.forker.run(*crawl_args(source, base + source.entry, db_path))
        assert result.returncode == 0, f"the baseline crawl of {spider} failed:\n{result.stderr}"
        return db_path


def crawl_args(source, url: str, db_path: Path, *extra: str) -> list[str]:
    expect = ["--expect", source.expect] if source.expect else []
    private = db_path.parent / "private" / "private.db"  # never created here: no watchlist, nothing to screen
    return ["crawl", source.spider, "--url", url, "--db", str(db_path), "--private-db", str(private), *expect, *extra]


@pytest.fixture(scope="session")
def baselines(tmp_path_factory, forker, fault_server):
    return Baselines(tmp_path_factory.mktemp("baselines"), forker, fault_server)
