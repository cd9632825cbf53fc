"""The live probe against a local server that plays each case: ok, moved, blocked, changed shape, unreachable."""

import json

import pytest

from pipeline.crawl.probe import probe_sources
from spiders.mofcom.mofcom import MofcomSpider
from tests.kit.cli import run_cli
from tests.kit.files import FILES

CSL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
SLS = "https://sanctionslistservice.ofac.treas.gov/api/"
UN = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
DPL = "https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"
FR = "https://www.federalregister.gov/api/v1/documents.json"


@pytest.fixture
def probed(live_stage):
    stage = live_stage
    stage.answer(CSL, (FILES / "csl" / "consolidated.csv").read_bytes(), content_type="text/csv")
    # OFAC SDN: the firewall refuses both candidate addresses.
    stage.answer(SLS + "download/SDN_ENHANCED.XML", "<html><title>403 Forbidden</title></html>", status=403)
    stage.answer(SLS + "PublicationPreview/exports/SDN_ENHANCED.XML", "Forbidden", status=403)
    # OFAC consolidated: the documented path is not there; the export path redirects to a signed S3 URL (expected).
    signed = "https://wc2h-sls-prod-public-published.s3.us-gov-west-1.amazonaws.com/CONS_ENHANCED.XML?X-Amz-Signature=1"
    stage.redirect(SLS + "PublicationPreview/exports/CONS_ENHANCED.XML", signed)
    stage.answer(signed, (FILES / "ofac_consolidated" / "cons_enhanced.xml").read_bytes(), content_type="text/xml")
    # The DPL page now redirects to the bis.gov home page.
    stage.redirect(DPL, "https://www.bis.gov/")
    stage.answer("https://www.bis.gov/", "<html><head><title>Bureau of Industry and Security</title></head></html>")
    # The UN answers XML of another shape; MOFCOM a JSON answer without its list.
    stage.answer(UN, '<?xml version="1.0"?><maintenance>back soon</maintenance>', content_type="text/xml")
    stage.answer(MofcomSpider.live_urls[0], json.dumps({"success": False, "message": "busy"}))
    # The Federal Register fails on the server's side.
    stage.answer(FR, "upstream error", status=500)
    names = ["bis_denied", "csl", "federal_register", "mofcom", "ofac_consolidated", "ofac_sdn", "un_consolidated"]
    # Generous: a busy CI machine must not turn a slow local answer into "unreachable".
    return {result.spider: result for result in probe_sources(names, timeout=30, env=stage.env)}, stage


def test_each_case_is_named(probed):
    results, _ = probed
    assert {name: result.status for name, result in results.items()} == {
        "bis_denied": "moved",
        "csl": "ok",
        "federal_register": "unreachable",
        "mofcom": "changed shape",
        "ofac_consolidated": "ok",
        "ofac_sdn": "blocked",
        "un_consolidated": "changed shape",
    }


def test_each_finding_says_why(probed):
    results, _ = probed
    assert results["bis_denied"].detail == f"{DPL}: redirected to https://www.bis.gov/"
    assert (
        "HTTP 403 (forbidden" in results["ofac_sdn"].detail and "exports/SDN_ENHANCED.XML" in results["ofac_sdn"].detail
    )
    assert "read from a later candidate; unreachable: HTTP 404 from " in results["ofac_consolidated"].detail
    assert "is XML but not the consolidated list" in results["un_consolidated"].detail
    assert "has no data.html" in results["mofcom"].detail
    assert "HTTP 500" in results["federal_register"].detail
    [check] = results["ofac_consolidated"].checks
    assert check["final_url"].startswith("https://wc2h-sls-prod-public-published.s3.")  # followed, not a move


def test_a_large_file_is_probed_by_its_first_bytes(live_stage):
    header = (FILES / "csl" / "consolidated.csv").read_text().splitlines()[0]
    body = (header + "\n" + "x," * 28 + "x\n" * 1) * 1 + "y\n" * 2_000_000  # 4 MB, and ragged past its start
    live_stage.answer(CSL, body, content_type="text/csv")
    [result] = probe_sources(["csl"], env=live_stage.env)
    assert result.status == "ok"  # a crawl would fail on the ragged rows; the probe reads only the start


def test_the_command_prints_every_source_and_stores_nothing(live_stage, tmp_path):
    live_stage.answer(CSL, (FILES / "csl" / "consolidated.csv").read_bytes(), content_type="text/csv")
    db_path = tmp_path / "chokepoint.db"
    result = run_cli("sources", "--probe", "--format", "json", "--check", "--db", str(db_path), env=live_stage.env)
    rows = {row["spider"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert len(rows) == 13
    assert rows["csl"]["status"] == "ok"
    assert rows["fcc_covered"]["status"] == "unreachable"  # not played: 404, through the browser
    assert result.returncode == 1 and result.stderr.splitlines()[-1].startswith("Error: not ok: bis_denied, ")
    assert not db_path.exists()


def test_a_large_xml_file_cut_by_the_probe_is_not_called_truncated(live_stage):
    # Played in many network chunks, the probe stops the download past its first bytes: what it
    # read ends before </sanctionsData> on purpose, which a crawl would rightly call cut short.
    xml = (FILES / "ofac_consolidated" / "cons_enhanced.xml").read_text()
    head, rest = xml.split("<publicationInfo>", 1)
    padded = head + "<!-- " + "x" * 4_000_000 + " --><publicationInfo>" + rest
    for candidate in ("download/CONS_ENHANCED.XML", "PublicationPreview/exports/CONS_ENHANCED.XML"):
        live_stage.answer(SLS + candidate, padded, content_type="text/xml")
    [result] = probe_sources(["ofac_consolidated"], timeout=30, env=live_stage.env)
    assert (result.status, result.detail) == ("ok", "")
