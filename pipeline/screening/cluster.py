"""Screening shared out over a Dask distributed cluster (`chokepoint screen --scheduler ADDRESS`).

The client reads the listings and checks the lists as an in-process run does; this
module only moves the work. The listings go to every worker once (scattered); each
worker builds its index from them the first time a partition needs it and keeps it,
keyed by a hash of exactly those listings, so later partitions and later runs against
the same lists reuse it. Partitions go out a few at a time and are taken back in the
file's order. Every partition carries the client's matcher fingerprint and a worker
running other matching code refuses it: a cluster answers byte for byte what one
process would, or it answers nothing.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.report import SILENT, Reporter
from pipeline.screening.errors import ScreeningError
from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.screener import Query, Screener
from pipeline.screening.private.receipts import ScreenedRow

CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler and for a first worker to join it
MIN_PARTITION, MAX_PARTITION = 25, 2_000  # names per task: enough to share out, few enough tasks
PARTITIONS_PER_THREAD = 8
IN_FLIGHT_PER_THREAD = 2  # partitions sent ahead per worker thread: results stream back, memory stays flat
# What a screening's answer depends on besides the listings: the matcher's code and the libraries it calls.
MATCHING_LIBRARIES = ("numpy", "rapidfuzz", "rigour", "pypinyin", "pycountry")


class ClusterError(ScreeningError):
    """The Dask cluster cannot be reached, has no workers, or lost them during the run."""


class OtherMatcher(ScreeningError):
    """A worker runs other matching code than the client: its answers could differ."""


def screen_on_cluster(
    address: str,
    listings: list[dict[str, Any]],
    queries: list[tuple[int, Query]],
    *,
    threshold: float,
    limit: int,
    reporter: Reporter = SILENT,
    progress_task: str = "screening",
    timeout: float = CONNECT_TIMEOUT,
) -> Iterator[ScreenedRow]:
    """Screen `queries` against `listings` on the cluster whose scheduler is at `address`: each row as its
    partition comes back, in input order (nothing is held beyond the partitions in flight)."""
    from concurrent.futures import CancelledError  # a cancelled dask future raises a subclass of it

    from distributed import KilledWorker

    with _connect(address, timeout) as client:
        threads = sum(client.nthreads().values())
        reporter.note(
            f"Screening on the Dask cluster at {address}: {len(client.nthreads())} worker(s), {threads} thread(s)"
        )
        size = _partition_size(len(queries), threads)
        parts = [queries[start : start + size] for start in range(0, len(queries), size)]
        done = 0
        try:
            [shared] = client.scatter([listings], broadcast=True, hash=False)
            key = listings_key(listings)
            for part in _in_order(client, shared, key, parts, threshold, limit, max(2, IN_FLIGHT_PER_THREAD * threads)):
                yield from part
                done += len(part)
                reporter.progress(progress_task, done, len(queries), "screened")
        except (OSError, TimeoutError) as error:  # the scheduler went away (CommClosedError is an OSError)
            raise ClusterError(
                f"lost the Dask scheduler at {address} during the run ({_reason(error)}); nothing recorded"
            ) from None
        except (KilledWorker, CancelledError) as error:  # workers died on a partition, or the scheduler dropped it
            raise ClusterError(
                f"the Dask cluster at {address} lost the work ({_reason(error)}); nothing recorded"
            ) from None
        reporter.finish(progress_task)


def _connect(address: str, timeout: float):
    """A client of the scheduler at `address` with at least one worker, or one line saying why not."""
    from distributed import Client
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme not in ("tcp", "tls"):
            raise ValueError(f"a scheduler listens on tcp://HOST:PORT, not {scheme}://")
        parse_host_port(location)  # checked first: a client given a malformed address fails noisily at exit
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({_reason(error)}); nothing screened"
        ) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers (none joined in {timeout:g} s; start one with "
            f"`dask worker {address} --nthreads 1`); nothing screened"
        ) from None
    return client


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) < 200 else text[:197] + "..."


def _partition_size(names: int, threads: int) -> int:
    return max(MIN_PARTITION, min(MAX_PARTITION, names // max(1, threads * PARTITIONS_PER_THREAD)))


def _in_order(client, shared, key: str, parts: list, threshold: float, limit: int, window: int) -> Iterator[list]:
    """Each partition's rows in input order, with at most `window` partitions sent ahead."""
    expected = matcher_fingerprint()
    pending: deque = deque()
    upcoming = iter(parts)
    while True:
        while len(pending) < window and (part := next(upcoming, None)) is not None:
            pending.append(client.submit(screen_partition, shared, key, expected, threshold, limit, part, pure=False))
        if not pending:
            return
        future = pending.popleft()
        yield future.result()
        future.release()


def listings_key(listings: list[dict[str, Any]]) -> str:
    """What names an index on a worker: a hash of exactly the listings it was built from."""
    digest = hashlib.sha256()
    for row in listings:
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


@cache
def matcher_fingerprint() -> str:
    """A hash of the matcher's code and its libraries' versions, the same on every machine that screens alike."""
    from pipeline.screening import match
    from spiders.kit import countries

    digest = hashlib.sha256()
    sources = sorted(Path(match.__file__).parent.glob("*.py")) + [Path(countries.__file__)]
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for library in MATCHING_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


# -- on a worker -------------------------------------------------------------------

_built: dict[str, tuple[NameIndex, threading.Lock]] = {}  # listings key -> its index, one at a time
_building = threading.Lock()


def screen_partition(
    listings: list[dict[str, Any]], key: str, expected: str, threshold: float, limit: int, part: list
) -> list[ScreenedRow]:
    """Run on a worker: screen one partition with the index of `listings`, built here once."""
    if matcher_fingerprint() != expected:
        raise OtherMatcher(
            f"a Dask worker runs other matching code (matcher {matcher_fingerprint()}, this client's {expected}); "
            "install the same chokepoint and libraries on every worker"
        )
    index, lock = _index(listings, key)
    screener = Screener(index, threshold=threshold, limit=limit)
    with lock:  # the index keeps scratch arrays for one query at a time: one thread screens with it at once
        return [ScreenedRow(number, query, screener.screen(query)) for number, query in part]


def _index(listings: list[dict[str, Any]], key: str) -> tuple[NameIndex, threading.Lock]:
    with _building:
        if key not in _built:
            _built.clear()  # a worker keeps the index of the lists it screens now, not of every earlier version
            _built[key] = (NameIndex(listings), threading.Lock())
        return _built[key]
