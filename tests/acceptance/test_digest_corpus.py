"""The digest on the real recorded CSL (14,159 listings) and a real Federal Register page (1,000 documents):
a first digest counts every change, shows at most 25 of each kind per list, and a failed crawl of the real
truncated 2023 file is named at the top of the next one."""

import re

from sqlite_utils import Database

from tests.kit.cli import run_cli
from tests.kit.mail import parse, text_of

CSL_2022 = "csl/csl_consolidated_2022-05_full.csv"
CSL_2023_SUBSET = "csl/csl_consolidated_2023-11_subset.csv"
FR_PAGE = "federal_register/fr_api_documents_2024_page1_per_page1000.json"
T1 = "2026-11-29T12:00:00Z"


def test_a_first_digest_of_the_real_lists_and_a_failure_the_next_day(corpus, tmp_path):
    common = ("--db", str(tmp_path / "chokepoint.db"), "--private-db", str(tmp_path / "private.db"))
    run_cli("subscribe", "all@example.com", *common, check=True)
    run_cli("subscribe", "el@example.com", "--list", "EL", "--source", "csl", *common, check=True)
    run_cli("crawl", "csl", "--url", (corpus / CSL_2022).as_uri(), *common, check=True)
    run_cli("crawl", "federal_register", "--url", (corpus / FR_PAGE).as_uri(), *common, check=True)
    first = run_cli("digest", "--dry-run", str(tmp_path / "first"), *common, check=True)
    # Eleven sources were never crawled: whoever follows everything is told, at the top.
    assert (
        "all@example.com: written: chokepoint digest 2026-11-28: 11 sources NOT CHECKED; "
        "14,159 listing changes, 1,000 documents" in first.stdout
    )
    assert "el@example.com: written: chokepoint digest 2026-11-28: 2,001 listing changes" in first.stdout
    everything = text_of(parse((tmp_path / "first" / "1-all@example.com.eml").read_bytes()))
    shown = len(re.findall(r"^- ADDED: ", everything, re.M))
    hidden = sum(int(n) for n in re.findall(r"\.\.\. and (\d+) more on this list", everything))
    assert shown + hidden == 14_159
    lists = (
        Database(tmp_path / "chokepoint.db").execute("SELECT list_code, count(*) FROM listings GROUP BY 1").fetchall()
    )
    assert shown == sum(min(n, 25) for _, n in lists)
    el = text_of(parse((tmp_path / "first" / "2-el@example.com.eml").read_bytes()))
    assert "... and 1976 more on this list" in el and "No new or revised document." in el

    broken = run_cli("crawl", "csl", "--url", (corpus / CSL_2023_SUBSET).as_uri(), *common, now=T1)
    assert broken.returncode == 1
    second = run_cli("digest", "--dry-run", str(tmp_path / "second"), *common, now=T1, check=True)
    # A dry run records nothing, so the next day's digest still covers everything, with the failure on top.
    assert "el@example.com: written: chokepoint digest 2026-11-29: 1 source NOT CHECKED; 2,001 listing changes" in (
        second.stdout
    )
    el = text_of(parse((tmp_path / "second" / "2-el@example.com.eml").read_bytes()))
    assert el.index("  ! csl: last crawl failed (2026-11-29T12:00:00Z): csl: source truncated") < el.index(
        "1. YOUR EXPOSURE"
    )
