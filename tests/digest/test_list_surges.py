"""A surge in a list reaches those who follow the list, its source or its jurisdiction, and no one else.

Real Entity List parties on the listing dates the real Consolidated Screening List of May 2022 gives
them: eight additions between June and December 2021, then the week of 7 March 2022, when BIS listed
parties on two days (Belarus on 8 March, 87 FR 13061; Russia on 9 March, 87 FR 13141). The CSL is
crawled before and after that week's additions; the clock is set to that week.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from pipeline.store import ensure_schema
from pipeline.store.registry import replace_sources
from tests.digest.test_surges import Setting
from tests.kit.mail import html_of, smtp_server, text_of
from tests.trends.conftest import crawl, listing

SOURCES = [{"spider": "csl", "kind": "listings", "jurisdiction": "US", "schedule": "daily"}]
BEFORE = [
    listing("h1", "Delta Engineering Concern FZE", "2021-06-01"),
    listing("h2", "Hoshine Silicon Industry (Shanshan) Co., Ltd.", "2021-06-24"),
    listing("h3", "King Royal Technologies Co., Ltd", "2021-07-06"),
    listing("h4", "Andrey Leonidovich Kuznetsov", "2021-07-12"),
    listing("h5", "Aktsionernoe Obshchestvo AST", "2021-07-19"),
    listing("h6", "Candiru", "2021-11-04"),
    listing("h7", "Al-Qertas", "2021-11-26"),
    listing("h8", "Academy of Military Medical Sciences", "2021-12-17"),
]
MARCH_2022 = [
    listing("m1", "JSC Integral", "2022-03-08"),
    listing("m2", "The Ministry of Defence of the Republic of Belarus", "2022-03-08"),
    listing("m3", "AO Kronshtadt", "2022-03-09"),
    listing("m4", "Adimir OU", "2022-03-09"),
    listing("m5", "Alexsong PTE LTD", "2022-03-09"),
]
FIRST_CRAWL = "2022-03-07T06:00:00Z"
SUBSCRIBED = "2022-03-07T08:00:00Z"
SECOND_CRAWL = "2022-03-10T06:00:00Z"
DIGEST = "2022-03-10T12:00:00Z"
FOLLOWERS = ["all@example.com", "el@example.com", "csl@example.com", "us@example.com"]


@pytest.fixture
def setting(tmp_path):
    with smtp_server() as (port, inbox):
        yield Setting(tmp_path / "chokepoint.db", tmp_path / "private.db", port, inbox)


def store_crawl(path: Path, records: list[dict], now: str) -> None:
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    crawl(db, "csl", "listings", records, now=now)
    db.conn.close()


def test_a_list_surge_reaches_who_follows_the_list_its_source_or_its_jurisdiction(setting):
    store_crawl(setting.db, BEFORE, FIRST_CRAWL)
    for email, *filters in (
        ("all@example.com",),
        ("el@example.com", "--list", "EL"),
        ("csl@example.com", "--source", "csl"),
        ("us@example.com", "--jurisdiction", "US"),
        ("chips@example.com", "--industry", "semiconductors", "--confirm-empty"),
        ("eu@example.com", "--jurisdiction", "EU", "--confirm-empty"),
    ):
        setting.run("subscribe", email, *filters, now=SUBSCRIBED)
    store_crawl(setting.db, BEFORE + MARCH_2022, SECOND_CRAWL)

    setting.run("digest", now=DIGEST)

    received = {message["To"]: message for message in setting.inbox.messages}
    for email in FOLLOWERS:
        text, html = text_of(received[email]), html_of(received[email])
        assert "SURGES IN WHAT YOU FOLLOW" in text, email
        [line] = [line for line in text.splitlines() if line.startswith("- csl:EL")]
        # Three listing days (4 Nov, 26 Nov, 17 Dec) in the 26 weeks before: 0.1 a week.
        assert line == (
            "- csl:EL: new listings on 2 days so far in the week of 2022-03-07 (5 parties) against 0.1 such days "
            "a week over the last six months"
        ), email
        assert "trends?by=list&amp;period=week" in html, email
        assert text.index("SURGES IN WHAT YOU FOLLOW") < text.index("AO Kronshtadt"), email
    # A list has no industry: those who follow only an industry hear of its surge only by naming the list;
    # those who follow another jurisdiction not at all. Both still get their digest (its NOT CHECKED warning;
    # the industry follower the five listings, which its filter cannot judge: not tagged).
    assert sorted(received) == sorted(FOLLOWERS + ["chips@example.com", "eu@example.com"])
    for email in ("chips@example.com", "eu@example.com"):
        assert "surge" not in text_of(received[email]).lower(), email
    assert "Nothing new in what you follow" in text_of(received["eu@example.com"])
    assert "AO Kronshtadt" in text_of(received["chips@example.com"])
    log = Database(setting.private)
    sent = dict(log.execute("SELECT email, summary FROM digest_log WHERE status = 'sent'").fetchall())
    assert all('"surges": [["csl:EL", "2022-03-07", 2]]' in sent[email] for email in FOLLOWERS)
