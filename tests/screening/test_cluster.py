"""`chokepoint screen --scheduler`: the same screening on a Dask cluster (issue 16). A real LocalCluster
of two worker processes on 127.0.0.1 answers byte for byte what one process does: the same output in
both formats, the same receipt, the same exit code; a scheduler that cannot be reached is one line and
writes nothing."""

import csv
import io
import socket

import pytest
from distributed import LocalCluster

from pipeline.crawl.registry import register_sources
from tests.kit.cli import run_cli
from tests.kit.published import build_published, sample_listings

OTHER_NAMES = [  # names on no list, as a vendor master holds them
    "Müller Maschinenbau GmbH",
    "Société Générale",
    "Nordsee Fischhandel GmbH",
    "Acme Widgets Ltd",
    "Bäckerei Schmidt",
]


def _typo(name: str) -> str:
    """The name with two neighbouring letters of its longest word swapped, as a hurried typist leaves it."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 4:
        words[longest] = word[:2] + word[3] + word[2] + word[4:]
    return " ".join(words)


@pytest.fixture(scope="module")
def counterparties(tmp_path_factory):
    """About a hundred rows: listed names as written, with a typo and with a country; names on no list;
    a Chinese name; and rows that cannot be read, which must be reported the same way."""
    listings = sample_listings()
    rows = [["name", "country", "id"]]
    for number, listing in enumerate(listings[:70]):
        name = listing.name if number % 2 else _typo(listing.name)
        country = (listing.countries or [""])[0] if number % 3 == 0 else ""
        rows.append([name, country, f"V{number:04d}"])
        if number % 10 == 0:
            rows.append(["", "CN", f"E{number:04d}"])  # no name: not read, and said so
    rows += [[name, "DE", f"O{number}"] for number, name in enumerate(OTHER_NAMES)]
    rows.append(["华为技术有限公司", "CN", "C0001"])
    path = tmp_path_factory.mktemp("input") / "counterparties.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("published") / "chokepoint.db"
    db, _ = build_published(db_path)
    register_sources(db)
    db.conn.close()
    return db_path


@pytest.fixture(scope="module")
def scheduler():
    """Two single-threaded worker processes, as `dask worker --nthreads 1` runs them; everything on 127.0.0.1
    (the scheduler always serves HTTP, so its port is a free one there too)."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    ) as cluster:
        yield cluster


def screen(tmp_path, published, counterparties, name, *args):
    private = tmp_path / f"{name}.db"
    result = run_cli("screen", str(counterparties), "--db", str(published), "--private-db", str(private), *args)
    receipt = run_cli("receipt", "1", "--private-db", str(private)) if private.exists() else None
    return result, receipt


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_a_cluster_screens_byte_for_byte_as_one_process(tmp_path, published, counterparties, scheduler, output_format):
    alone, alone_receipt = screen(tmp_path, published, counterparties, "alone", "--format", output_format)
    shared, shared_receipt = screen(
        tmp_path,
        published,
        counterparties,
        "shared",
        "--format",
        output_format,
        "--scheduler",
        scheduler.scheduler_address,
    )
    assert alone.returncode == 0, alone.stderr
    assert shared.returncode == 0, shared.stderr
    assert shared.stdout == alone.stdout
    assert shared_receipt.stdout == alone_receipt.stdout
    # The run was worth comparing: matches found, rows not read reported, the file's order kept.
    assert '"match": 1,' in alone_receipt.stdout and '"score": 1.0' in alone_receipt.stdout
    assert alone.stdout.count("not_screened") or output_format == "csv"
    assert f"Screening on the Dask cluster at {scheduler.scheduler_address}: 2 worker(s), 2 thread(s)" in shared.stderr
    if output_format == "csv":
        lines = list(csv.DictReader(io.StringIO(shared.stdout)))
        assert sum(1 for line in lines if line["not_screened"]) == 7
        assert [int(line["row"]) for line in lines] == sorted(int(line["row"]) for line in lines)


def test_each_worker_builds_the_index_once_and_keeps_it(tmp_path, published, counterparties, scheduler):
    with scheduler.get_client() as client:
        first, _ = screen(tmp_path, published, counterparties, "first", "--scheduler", scheduler.scheduler_address)
        assert first.returncode == 0, first.stderr
        built = client.run(_indexes_held)
        again, _ = screen(tmp_path, published, counterparties, "again", "--scheduler", scheduler.scheduler_address)
        assert again.returncode == 0, again.stderr
        kept = client.run(_indexes_held)
    assert len(built) == 2 and all(len(indexes) == 1 for indexes in built.values())  # both workers screened
    assert kept == built  # the second run found each worker's index already built
    assert again.stdout == first.stdout


def _indexes_held() -> dict[str, int]:
    """Run on a worker: the indexes it keeps, by listings key (their identity tells a rebuilt one apart)."""
    from pipeline.screening import cluster

    return {key: id(index) for key, (index, _) in cluster._built.items()}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path, published, counterparties):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    result, receipt = screen(
        tmp_path, published, counterparties, "private", "--scheduler", address, "--scheduler-timeout", "1"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot reach the Dask scheduler at {address} (")
    assert line.endswith("nothing screened")
    assert receipt is None and not (tmp_path / "private.db").exists()


def test_lists_are_checked_before_any_cluster_is_asked(tmp_path, published, counterparties):
    """A stale list is refused as in one process, whatever the scheduler (here none is listening)."""
    result = run_cli(
        "screen",
        str(counterparties),
        "--db",
        str(published),
        "--private-db",
        str(tmp_path / "private.db"),
        "--scheduler",
        f"tcp://127.0.0.1:{_closed_port()}",
        now="2026-12-01T12:00:00Z",
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: csl: stale: last successful crawl 2026-11-28T12:00:00Z, 72 h ago")
    assert not (tmp_path / "private.db").exists()


def _other_matcher() -> None:
    """Run on a worker: make it report other matching code, as a worker with another chokepoint would."""
    from pipeline.screening import cluster

    cluster.matcher_fingerprint = lambda: "another-version"


def _own_matcher() -> None:
    from importlib import reload

    from pipeline.screening import cluster

    reload(cluster)


def test_a_worker_with_other_matching_code_refuses_the_work(tmp_path, published, counterparties, scheduler):
    with scheduler.get_client() as client:
        [worker, _] = sorted(client.nthreads())
        client.run(_other_matcher, workers=[worker])
        try:
            result, receipt = screen(
                tmp_path, published, counterparties, "private", "--scheduler", scheduler.scheduler_address
            )
        finally:
            client.run(_own_matcher, workers=[worker])
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("Error: a Dask worker runs other matching code (matcher another-version, this client's ")
    )
    assert receipt is None and not (tmp_path / "private.db").exists()


def test_a_scheduler_without_workers_is_one_line_and_writes_nothing(tmp_path, published, counterparties):
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as empty:
        result, receipt = screen(
            tmp_path,
            published,
            counterparties,
            "private",
            "--scheduler",
            empty.scheduler_address,
            "--scheduler-timeout",
            "1",
        )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line == (
        f"Error: the Dask scheduler at {empty.scheduler_address} has no workers (none joined in 1 s; start one with "
        f"`dask worker {empty.scheduler_address} --nthreads 1`); nothing screened"
    )
    assert receipt is None and not (tmp_path / "private.db").exists()
