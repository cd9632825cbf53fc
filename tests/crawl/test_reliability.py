"""Issue 11's seven holes, each reproduced through the real Scrapy engine into a real SQLite file.

Crawls are real `chokepoint crawl` processes (forked from a warm one, tests/kit/forking.py)
against a real HTTP server on 127.0.0.1 (tests/faults/server.py) serving the saved
responses of tests/files, scaled where a guard needs a list of some size
(tests/faults/sources.py). The fault suite (tests/faults, `make faults`) runs the same
faults for every spider; these are the cases the issue reported, kept in `make test`.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from tests.faults.server import Answer
from tests.faults.sources import SOURCES
from tests.kit.files import FILES
from tests.kit.forking import wait_until_paused
from tests.kit.hashes import runs, table_hashes

CSL, UN, SDN, FR, BIS = (
    SOURCES[name] for name in ("csl", "un_consolidated", "ofac_sdn", "federal_register", "bis_denied")
)
CSL_NAME = 5  # the `name` column of the CSL download


def serve(server, site: dict[str, bytes]) -> str:
    return server.serve({path: Answer(body) for path, body in site.items()})


def crawl(forker, source, base, db_path, *extra, **options):
    expect = ["--expect", source.expect] if source.expect else []
    private = db_path.parent / "private" / "private.db"
    args = ["crawl", source.spider, "--url", base + source.entry, "--db", str(db_path), "--private-db", str(private)]
    return forker.run(*args, *expect, *extra, **options)


def crawled(forker, server, source, db_path, site=None):
    """A database holding one healthy crawl of the source's (scaled) site."""
    result = crawl(forker, source, serve(server, site or source.baseline), db_path)
    assert result.returncode == 0, result.stderr
    return table_hashes(db_path)


def refused(forker, server, source, site, db_path) -> str:
    """Crawl the source's healthy site, then `site`: the second crawl must fail and change nothing. Its stderr."""
    before = crawled(forker, server, source, db_path)
    result = crawl(forker, source, serve(server, site), db_path)
    assert result.returncode == 1, result.stdout
    assert result.last_line == f"Error: 1 of 1 crawl(s) failed: {source.spider}"
    assert table_hashes(db_path) == before, "a failed crawl changed what was stored"
    return result.stderr


def active(db_path, source: str) -> int:
    return (
        Database(db_path)
        .execute("SELECT count(*) FROM listings WHERE source = ? AND removed_on IS NULL", [source])
        .fetchone()[0]
    )


# -- 1. false delisting from a well-formed partial list -------------------------------------------------


def test_hole_1_the_first_80_percent_of_the_csl_fails_by_name_and_delists_nothing(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    before = crawled(forker, fault_server, CSL, db_path)
    partial = serve(fault_server, CSL.with_records(lambda rows: rows[: int(len(rows) * 0.8)]))

    refused = crawl(forker, CSL, partial, db_path)

    assert refused.returncode == 1
    assert "csl: FAILED [run 2]: csl: source shrank: would remove " in refused.stderr
    assert "the guard stops more than 3% and more than 25 at once" in refused.stderr
    assert table_hashes(db_path) == before and active(db_path, "csl") == 207
    # A real mass delisting goes through on purpose, and the run says so.
    accepted = crawl(forker, CSL, partial, db_path, "--accept-removals")
    assert accepted.returncode == 0, accepted.stderr
    assert "0 added, 0 modified, 42 removed" in accepted.stdout
    assert "accepted (--accept-removals): csl: source shrank: would remove" in accepted.stderr
    run = runs(db_path)[-1]
    assert run["accepted_removals"] == 1 and run["removed"] == 42
    assert json.loads(run["warnings"])[0].startswith("accepted (--accept-removals)")


def test_hole_1_the_un_list_with_every_fifth_record_dropped_fails(forker, fault_server, tmp_path):
    site = UN.with_records(lambda records: [r for i, r in enumerate(records, 1) if i % 5])
    stderr = refused(forker, fault_server, UN, site, tmp_path / "chokepoint.db")
    assert "un_consolidated: source shrank: would remove 30 of 150 all listings (20%)" in stderr


def test_hole_1_an_sdn_alias_or_address_file_cut_short_strips_nothing(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    before = crawled(forker, fault_server, SDN, db_path)
    for linked, field in (("/alt.csv", "alt_names"), ("/add.csv", "addresses")):
        result = crawl(forker, SDN, serve(fault_server, SDN.linked_file_cut(linked, 0.1)), db_path)
        assert result.returncode == 1
        assert f"ofac_sdn: source rewrote stored values: would drop or rewrite the stored {field} of" in result.stderr
        assert table_hashes(db_path) == before


# -- 2. encoding ----------------------------------------------------------------------------------------


def test_hole_2_one_stray_byte_fails_the_csl_instead_of_decoding_it_in_another_code_page(
    forker, fault_server, tmp_path
):
    stderr = refused(forker, fault_server, CSL, CSL.with_invalid_byte(), tmp_path / "chokepoint.db")
    assert "csl: undecodable bytes: http://127.0.0.1:" in stderr
    assert "consolidated.csv line 7: byte 0x96 is not valid utf-8" in stderr


def test_hole_2_one_stray_byte_fails_the_federal_register(forker, fault_server, tmp_path):
    stderr = refused(forker, fault_server, FR, FR.with_invalid_byte(), tmp_path / "chokepoint.db")
    assert "federal_register: undecodable bytes:" in stderr and "is not valid utf-8" in stderr


def test_hole_2_a_source_known_to_carry_stray_bytes_replaces_that_one_character_and_says_so(
    forker, fault_server, tmp_path
):
    db_path = tmp_path / "chokepoint.db"
    crawled(forker, fault_server, BIS, db_path)

    result = crawl(forker, BIS, serve(fault_server, BIS.with_invalid_byte()), db_path)

    assert result.returncode == 0, result.stderr
    assert "dpl_export.csv line 3: byte 0x96 is not valid utf-8; replaced by U+FFFD" in result.stderr
    names = [row["name"] for row in Database(db_path).query("SELECT name FROM listings WHERE removed_on IS NULL")]
    assert [name for name in names if "\ufffd" in name] == ["GIE\ufffd KERMAN AVIATION"]


def test_hole_2_a_crawl_that_would_rewrite_a_large_share_of_a_list_fails_like_a_mass_removal(
    forker, fault_server, tmp_path
):
    rewritten = CSL.with_records(lambda rows: [[*r[:CSL_NAME], r[CSL_NAME].lower(), *r[CSL_NAME + 1 :]] for r in rows])
    stderr = refused(forker, fault_server, CSL, rewritten, tmp_path / "chokepoint.db")
    assert (
        "csl: source rewrote stored values: would drop or rewrite the stored name of 126 of 126 EL listings" in stderr
    )


# -- 3. a known field that disappears --------------------------------------------------------------------


def test_hole_3_a_renamed_programs_column_fails_and_every_stored_programme_stays(forker, fault_server, tmp_path):
    stderr = refused(forker, fault_server, CSL, CSL.renamed_optional(), tmp_path / "chokepoint.db")
    assert "csl: source changed shape: no item of this crawl has 'programs' (which 54 stored listings have)" in stderr
    assert "consolidated.csv: new upstream column 'program_list' is not used" in stderr


# -- 4. post-crawl work lost on a crash --------------------------------------------------------------------


def _watchlisted(forker, tmp_path, name: str):
    db_path, private = tmp_path / name / "chokepoint.db", tmp_path / name / "private" / "private.db"
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(
        "name,country,id\nHuawei Technologies Co Ltd,CN,V-001\nSemiconductor Manufacturing International Corp,CN,V-002\n"
    )
    added = forker.run("watchlist", "add", "vendors", str(vendors), "--db", str(db_path), "--private-db", str(private))
    assert added.returncode == 0, added.stderr
    return db_path, private


def _alerts(forker, private) -> list[tuple]:
    listed = forker.run("alerts", "--format", "json", "--private-db", str(private))
    groups = map(json.loads, listed.stdout.splitlines())
    return sorted((group["counterparty"], alert["listing_id"]) for group in groups for alert in group["alerts"])


def _csl_crawl(db_path, private, url):
    return ["crawl", "csl", "--url", url, "--db", str(db_path), "--private-db", str(private), "--expect", "1:100"]


def test_hole_4_a_crawl_killed_after_landing_is_screened_and_tagged_by_the_next_run(forker, tmp_path):
    url = (FILES / "csl" / "consolidated.csv").as_uri()
    clean_db, clean_private = _watchlisted(forker, tmp_path, "clean")
    assert forker.run(*_csl_crawl(clean_db, clean_private, url)).returncode == 0
    expected = _alerts(forker, clean_private)
    assert len(expected) >= 2
    db_path, private = _watchlisted(forker, tmp_path, "killed")

    killed = forker.kill_when_paused(forker.start(*_csl_crawl(db_path, private, url), pause_at="landed"))

    assert killed.returncode == -9
    assert _alerts(forker, private) == []  # the hole: screening never ran on the landed listings
    assert Database(db_path).execute("SELECT count(*) FROM listings WHERE labels_model IS NULL").fetchone()[0] == 69
    again = forker.run(*_csl_crawl(db_path, private, url))
    assert again.returncode == 0, again.stderr
    assert "run 1 (csl): finishing post-crawl step(s) an interrupted run left: screening, tagging" in again.stderr
    assert _alerts(forker, private) == expected
    assert Database(db_path).execute("SELECT count(*) FROM listings WHERE labels_model IS NULL").fetchone()[0] == 0
    assert Database(db_path)["pending_steps"].count == 0


def test_hole_4_a_crawl_killed_while_tagging_is_tagged_by_the_next_run(forker, tmp_path):
    url = (FILES / "csl" / "consolidated.csv").as_uri()
    db_path, private = tmp_path / "chokepoint.db", tmp_path / "private" / "private.db"

    killed = forker.kill_when_paused(forker.start(*_csl_crawl(db_path, private, url), pause_at="tagging"))

    assert killed.returncode == -9
    untagged = "SELECT count(*) FROM listings WHERE labels_model IS NULL"
    assert Database(db_path).execute(untagged).fetchone()[0] == 69
    again = forker.run(*_csl_crawl(db_path, private, url))
    assert again.returncode == 0 and "finishing post-crawl step(s)" in again.stderr
    assert Database(db_path).execute(untagged).fetchone()[0] == 0


# -- 5. crashes invisible to monitoring -----------------------------------------------------------------


def test_hole_5_duplicate_federal_register_documents_are_merged_not_a_crash(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    page = json.loads(FR.baseline[FR.entry])
    twice = [dict(result) for result in page["results"]]
    twice[0]["cfr_references"] = [{"title": 31, "part": 501}]  # the copy differs in a list of objects
    page["results"] = page["results"] + twice

    result = crawl(forker, FR, serve(fault_server, {FR.entry: json.dumps(page).encode()}), db_path)

    assert result.returncode == 0, result.stderr
    assert "federal_register: ok, 30 items (15 duplicates merged): 15 added" in result.stdout
    assert "TypeError" not in result.stderr
    (stored,) = (
        Database(db_path)
        .execute(
            "SELECT cfr_references FROM documents WHERE id = ?", [f"federal_register:{twice[0]['document_number']}"]
        )
        .fetchone()
    )
    assert {"title": 31, "part": 501} in json.loads(stored)


def test_hole_5_a_crawl_that_cannot_wait_for_another_fails_in_one_line(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    crawled(forker, fault_server, CSL, db_path)
    base = serve(fault_server, CSL.baseline)
    first = forker.start(*_args(CSL, base, db_path), pause_at="landed", hold=3)
    wait_until_paused(first, forker=forker)

    second = forker.run(*_args(CSL, base, db_path), "--lock-timeout", "0.5")

    assert second.returncode == 1
    holder = f"pid {first.pid} since 2026-11-28T12:00:00Z: crawl csl"
    assert second.stderr.strip().splitlines() == [
        f"waiting for another crawl to finish ({holder}), up to 0.5 s",
        f"Error: {db_path}: another crawl holds chokepoint.db.lock ({holder}); gave up after 0.5 s (--lock-timeout)",
    ]
    assert forker.finish(first).returncode == 0
    assert [run["status"] for run in runs(db_path)] == ["succeeded", "succeeded"]


def test_hole_5_a_run_left_running_by_a_killed_process_shows_failed(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    crawled(forker, fault_server, CSL, db_path)
    base = serve(fault_server, CSL.changed())
    forker.kill_when_paused(forker.start(*_args(CSL, base, db_path), pause_at="storing"))
    assert runs(db_path)[-1]["status"] == "running"

    shown = forker.run("sources", "--db", str(db_path), "--check")

    assert shown.returncode == 1
    assert "csl: last error: interrupted: the process running this crawl ended before it finished" in shown.stderr
    assert runs(db_path)[-1]["status"] == "failed"


def test_hole_5_a_bug_of_ours_fails_its_crawl_in_one_named_line_and_the_next_crawl_runs(forker, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            [
                {"spider": "csl", "url": (FILES / "csl" / "consolidated.csv").as_uri(), "expect": [1, 100]},
                {"spider": "federal_register", "url": (FILES / "federal_register" / "documents_2024-01.json").as_uri()},
            ]
        )
    )

    result = forker.run("crawl", "--all", "--replay", str(manifest), "--db", str(db_path), raise_at="gate")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    csl = next(run for run in runs(db_path) if run["spider"] == "csl")
    line = f"csl: FAILED [run {csl['id']}]: csl: failed: internal error: RuntimeError: a fault injected at gate"
    assert line in result.stderr.splitlines()
    statuses = {run["spider"]: run["status"] for run in runs(db_path)}
    assert statuses["csl"] == "failed" and statuses["federal_register"] == "failed"  # the injected bug is everywhere
    assert len(statuses) == 13  # every crawl ran and left its row


def _args(source, base, db_path):
    private = db_path.parent / "private" / "private.db"
    return [
        "crawl",
        source.spider,
        "--url",
        base + source.entry,
        "--db",
        str(db_path),
        "--private-db",
        str(private),
    ] + (["--expect", source.expect] if source.expect else [])


# -- 6. merging duplicates ------------------------------------------------------------------------------


def test_hole_6_an_unchanged_csl_served_with_every_row_twice_in_any_order_changes_nothing(
    forker, fault_server, tmp_path
):
    """The real 2022 CSL repeats a value inside a cell ("AFONIN, Yuri Vyacheslavovich" twice in one row's
    alt_names) and gives one entry twice with differing cells: neither may depend on the order rows come in."""
    db_path = tmp_path / "chokepoint.db"
    site = CSL.with_records(_with_a_repeated_alias_and_a_differing_duplicate)
    crawled(forker, fault_server, CSL, db_path, site)
    content = table_hashes(db_path, True)
    for doubled in (
        lambda rows: rows + rows,
        lambda rows: [row for row in reversed(rows) for row in (row, row)],
        lambda rows: list(reversed(rows)),
    ):
        records = CSL.split(site[CSL.list_file])
        served = {CSL.list_file: CSL.join(type(records)(records.head, doubled(records.items)))}
        result = crawl(forker, CSL, serve(fault_server, served), db_path)
        assert result.returncode == 0, result.stderr
        assert "0 added, 0 modified, 0 removed, 0 restored, 207 unchanged" in result.stdout
        assert table_hashes(db_path, True) == content


REMARKS, ALT_NAMES = 20, 22  # columns of the CSL download


def _with_a_repeated_alias_and_a_differing_duplicate(rows: list[list[str]]) -> list[list[str]]:
    rows = [list(row) for row in rows]
    first_with_alias = next(row for row in rows if row[ALT_NAMES])
    alias = first_with_alias[ALT_NAMES].split("; ")[0]
    first_with_alias[ALT_NAMES] = f"{first_with_alias[ALT_NAMES]}; {alias}"  # the same alias twice in one cell
    twin = list(rows[0])
    twin[REMARKS] = "A remark only one of the two copies has."
    rows[0][REMARKS] = "A remark the other copy has instead."
    return rows + [twin]


# -- 7. XML entities -------------------------------------------------------------------------------------


def test_hole_7_an_external_entity_fails_the_un_list_instead_of_emptying_its_element(forker, fault_server, tmp_path):
    doctype = '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    attacked = {UN.entry: _with_doctype(UN.baseline[UN.entry], doctype, "&x;")}
    stderr = refused(forker, fault_server, UN, attacked, tmp_path / "chokepoint.db")
    assert "un_consolidated: refused: " in stderr and "declares XML entities in its DTD (x)" in stderr


def test_hole_7_an_entity_bomb_fails_with_bounded_memory(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    crawled(forker, fault_server, UN, db_path)
    normal = crawl(forker, UN, serve(fault_server, UN.baseline), db_path)
    lols = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY lol0 "lollollollollollollollollollol">{lols}]>'
    bomb = _with_doctype(UN.baseline[UN.entry], doctype, "&lol9;")

    result = crawl(forker, UN, serve(fault_server, {UN.entry: bomb}), db_path)

    assert result.returncode == 1 and "un_consolidated: refused: " in result.stderr
    assert result.max_rss_mb < normal.max_rss_mb + 50, (result.max_rss_mb, normal.max_rss_mb)


def _with_doctype(body: bytes, doctype: str, reference: str) -> bytes:
    """The XML with `doctype` after its declaration and `reference` at the start of the first COMMENTS1."""
    text = body.decode()
    end = text.index("?>") + 2
    return (text[:end] + "\n" + doctype + text[end:]).replace("<COMMENTS1>", f"<COMMENTS1>{reference}", 1).encode()


def test_the_pending_table_is_empty_after_every_healthy_crawl(forker, fault_server, tmp_path):
    db_path = tmp_path / "chokepoint.db"
    crawled(forker, fault_server, CSL, db_path)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT count(*) FROM pending_steps").fetchone()[0] == 0
