"""The process faults, for every spider: killed while storing, killed after landing or while tagging, two at once.

A killed crawl (SIGKILL, no cleanup) either landed whole or not at all; a run left
`running` shows as failed as soon as anything looks (`chokepoint sources`); the
post-crawl work a landed crawl owed is finished by the next run; two crawls of one
database take turns.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline.store.labels import rows_to_label
from pipeline.store.runs import INTERRUPTED
from pipeline.tagging import _input_for as tagging_input
from pipeline.tagging import input_hash, load_classifier
from tests.faults.conftest import crawl_args
from tests.faults.server import Answer
from tests.faults.sources import SOURCES
from tests.kit.forking import wait_until_paused
from tests.kit.hashes import runs, table_hashes

SPIDERS = list(SOURCES)


def serve(fault_server, site) -> str:
    return fault_server.serve({path: Answer(body) for path, body in site.items()})


def stale_labels(db_path: Path, source) -> int:
    """Rows of the source whose labels were not made from what they say now (tagging owed on them)."""
    from sqlite_utils import Database

    table = "listings" if source.kind == "listings" else "documents"
    version = load_classifier().version
    rows = [row for row in rows_to_label(Database(db_path), table) if row["id"].startswith(f"{source.spider}:")]
    return sum(
        1
        for row in rows
        if row["labels_model"] != version or row["labels_input_hash"] != input_hash(tagging_input(table, row))
    )


def pending_steps(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute("SELECT run_id, step FROM pending_steps ORDER BY run_id, step").fetchall()


@pytest.mark.parametrize("spider", SPIDERS)
def test_killed_while_storing_stores_nothing_and_shows_failed(spider, tmp_path, forker, fault_server, baselines):
    source = SOURCES[spider]
    db_path = baselines.copy_to(spider, tmp_path / "chokepoint.db")
    before = table_hashes(db_path)
    base = serve(fault_server, source.changed())

    child = forker.start(*crawl_args(source, base + source.entry, db_path), pause_at="storing")
    killed = forker.kill_when_paused(child)

    assert killed.returncode == -9
    assert table_hashes(db_path) == before, "a crawl killed inside its transaction left something behind"
    assert runs(db_path)[-1]["status"] == "running"
    shown = forker.run("sources", "--db", str(db_path))
    row = next(line for line in shown.stdout.splitlines() if line.startswith(f"{spider} "))
    assert " failing " in row, shown.stdout
    assert f"{spider}: last error: {INTERRUPTED}" in shown.stderr
    assert runs(db_path)[-1]["status"] == "failed"
    again = forker.run(*crawl_args(source, base + source.entry, db_path))
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("pause_at", ["landed", "tagging"])
@pytest.mark.parametrize("spider", SPIDERS)
def test_post_crawl_work_a_killed_run_owed_is_finished_by_the_next(
    spider, pause_at, tmp_path, forker, fault_server, baselines
):
    source = SOURCES[spider]
    db_path = baselines.copy_to(spider, tmp_path / "chokepoint.db")
    base = serve(fault_server, source.changed())

    killed = forker.kill_when_paused(forker.start(*crawl_args(source, base + source.entry, db_path), pause_at=pause_at))

    assert killed.returncode == -9
    landed = runs(db_path)[-1]
    assert landed["status"] == "succeeded" and landed["added"] + landed["modified"] > 0
    assert {step for _, step in pending_steps(db_path)} >= {"tagging"}
    assert stale_labels(db_path, source) > 0
    again = forker.run(*crawl_args(source, base + source.entry, db_path))
    assert again.returncode == 0, again.stderr
    assert f"run {landed['id']} ({spider}): finishing post-crawl step(s) an interrupted run left" in again.stderr
    assert pending_steps(db_path) == []
    assert stale_labels(db_path, source) == 0


@pytest.mark.parametrize("spider", SPIDERS)
def test_two_crawls_at_once_take_turns(spider, tmp_path, forker, fault_server, baselines):
    source = SOURCES[spider]
    db_path = baselines.copy_to(spider, tmp_path / "chokepoint.db")
    content = table_hashes(db_path, True)
    base = serve(fault_server, source.baseline)
    args = crawl_args(source, base + source.entry, db_path)

    first = forker.start(*args, pause_at="landed", hold=1.5)  # holds the crawl lock a while after landing
    wait_until_paused(first, forker=forker)
    second = forker.start(*args)
    results = [forker.finish(first), forker.finish(second)]

    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert "waiting for another crawl to finish" in results[1].stderr
    assert not any("locked" in r.stderr for r in results)
    assert [run["status"] for run in runs(db_path)[-2:]] == ["succeeded", "succeeded"]
    assert table_hashes(db_path, True) == content
