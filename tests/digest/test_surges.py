"""Surges at the top of the digest, for those who follow their industry or jurisdiction, said once.

The database is built through the store with real BIS rules on their real dates: the October 2022
advanced-computing rule, then, a year on, the two rules of 25 October 2023, which make a surge in
"semiconductors, US". The clock is set to that week; a real SMTP server takes the mail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from pipeline.store import ensure_schema
from pipeline.store.registry import replace_sources
from tests.digest import conftest as digest_setting
from tests.kit.cli import run_cli
from tests.kit.mail import html_of, smtp_server, text_of
from tests.trends.conftest import crawl, document, tag

FIRST_CRAWL = "2023-10-27T06:00:00Z"
SUBSCRIBED = "2023-10-27T08:00:00Z"
SECOND_CRAWL = "2023-10-27T10:00:00Z"
LATE_SUBSCRIBER = "2023-10-27T11:00:00Z"
DIGEST = "2023-10-27T12:00:00Z"
NEXT_DIGEST = "2023-10-27T18:00:00Z"
SOURCES = [{"spider": "federal_register", "kind": "documents", "jurisdiction": "US", "schedule": "daily"}]
OCTOBER_2022 = document(
    "2022-21658",
    "2022-10-13",
    "Implementation of Additional Export Controls: Certain Advanced Computing and Semiconductor Manufacturing "
    "Items; Supercomputer and Semiconductor End Use; Entity List Modification",
)
OCTOBER_2023 = [
    document(
        "2023-23055",
        "2023-10-25",
        "Implementation of Additional Export Controls: Certain Advanced Computing Items; Supercomputer and "
        "Semiconductor End Use; Updates and Corrections",
    ),
    document("2023-23049", "2023-10-25", "Export Controls on Semiconductor Manufacturing Items"),
]
REASON = (
    "semiconductors, US: 2 new measures so far in the week of 2023-10-23 against 0.0 a week over the last six months"
)
FOLLOWERS = ["all@example.com", "chips@example.com", "late@example.com", "us@example.com"]
TRENDS_LINK = "http://127.0.0.1:8001/trends?by=industry&period=week&since=2023-04-24"


class Setting(digest_setting.Setting):
    """The digest tests' setting on a database of its own; every command here must succeed."""

    def run(self, *args: str, now: str):
        result = super().run(*args, now=now)
        assert result.returncode == 0, result.stderr
        return result


def build(path: Path, history: list[dict]) -> None:
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    crawl(db, "federal_register", "documents", history, now=FIRST_CRAWL)
    for record in history:
        tag(db, f"federal_register:{record['document_number']}", "semiconductors")
    db.conn.close()


def land_the_wave(path: Path) -> None:
    db = Database(path)
    ensure_schema(db)  # the store's own SQL functions, as a crawl opens it
    crawl(db, "federal_register", "documents", OCTOBER_2023, now=SECOND_CRAWL)
    for record in OCTOBER_2023:
        tag(db, f"federal_register:{record['document_number']}", "semiconductors")
    db.conn.close()


@pytest.fixture
def setting(tmp_path):
    with smtp_server() as (port, inbox):
        yield Setting(tmp_path / "chokepoint.db", tmp_path / "private.db", port, inbox)


def sections(text: str) -> list[str]:
    """The digest's section headings, in order."""
    headings = ("NOT CHECKED", "SURGES IN WHAT YOU FOLLOW", "1. YOUR EXPOSURE", "3. NEW MEASURES AND DOCUMENTS")
    return sorted((h for h in headings if h in text), key=text.index)


def test_a_surge_tops_the_digest_of_those_who_follow_it_and_is_sent_once(setting):
    build(setting.db, [OCTOBER_2022])
    for email, *filters in (
        ("all@example.com",),
        ("chips@example.com", "--industry", "semiconductors"),
        ("us@example.com", "--jurisdiction", "US"),
        ("energy@example.com", "--industry", "energy", "--confirm-empty"),
        ("eu@example.com", "--jurisdiction", "EU"),
    ):
        setting.run("subscribe", email, *filters, now=SUBSCRIBED)
    land_the_wave(setting.db)
    # Subscribed after the rules were stored: their only news is the surge of this week.
    setting.run("subscribe", "late@example.com", "--industry", "semiconductors", now=LATE_SUBSCRIBER)

    setting.run("digest", now=DIGEST)

    received = {message["To"]: message for message in setting.inbox.messages}
    # Every subscriber hears of the registered sources never crawled here (the NOT CHECKED warning, first).
    assert sorted(received) == sorted(FOLLOWERS + ["energy@example.com", "eu@example.com"])
    for email in FOLLOWERS:
        text, html = text_of(received[email]), html_of(received[email])
        assert sections(text)[:2] == ["NOT CHECKED", "SURGES IN WHAT YOU FOLLOW"], email
        assert f"- {REASON}\n  <{TRENDS_LINK}>" in text, email
        assert REASON in html and f'href="{TRENDS_LINK.replace("&", "&amp;")}"' in html, email
        assert html.index('id="problems"') < html.index('id="surges"') < html.index('id="exposure"'), email
        assert "; 1 surge" in received[email]["Subject"], email
    # Subscribed after the rules were stored, so they are not in its window: the surge is its news.
    late = text_of(received["late@example.com"])
    assert received["late@example.com"]["Subject"].endswith("NOT CHECKED; 1 surge")
    assert (
        "Nothing new in what you follow" not in late
        and "Export Controls on Semiconductor Manufacturing Items" not in late
    )
    assert "Export Controls on Semiconductor Manufacturing Items" in text_of(received["all@example.com"])
    # Those following something else hear nothing of surges: none there, and nothing they follow went unjudged.
    for email in ("energy@example.com", "eu@example.com"):
        assert "surge" not in text_of(received[email]).lower() and "surge" not in html_of(received[email]).lower()
    # Energy gets the two rules (its label filter cannot judge them: not tagged by the model), not their surge.
    assert "Nothing new in what you follow" in text_of(received["eu@example.com"])

    # The next run: nothing new, and the surge already told is not told again.
    setting.inbox.messages.clear()
    setting.run("digest", now=NEXT_DIGEST)
    assert [message["To"] for message in setting.inbox.messages] == []
    log = Database(setting.private)
    sent = log.execute("SELECT email, summary FROM digest_log WHERE status = 'sent' ORDER BY email").fetchall()
    told = '"surges": [["semiconductors, US", "2023-10-23", 2]]'
    assert [email for email, summary in sent if told in summary] == FOLLOWERS


def test_a_surge_whose_digest_failed_is_reported_by_the_next_run(setting):
    build(setting.db, [OCTOBER_2022])
    setting.run("subscribe", "chips@example.com", "--industry", "semiconductors", now=SUBSCRIBED)
    land_the_wave(setting.db)
    setting.inbox.refused.add("chips@example.com")
    failed = run_cli(
        "digest",
        "--db",
        str(setting.db),
        "--private-db",
        str(setting.private),
        now=DIGEST,
        env={"CHOKEPOINT_SMTP_HOST": "127.0.0.1", "CHOKEPOINT_SMTP_PORT": str(setting.port)},
    )
    assert failed.returncode != 0 and not setting.inbox.messages
    setting.inbox.refused.clear()
    setting.run("digest", now=NEXT_DIGEST)
    (message,) = setting.inbox.messages
    assert message["To"] == "chips@example.com" and f"- {REASON}\n" in text_of(message)


def test_a_week_too_short_of_history_is_named_never_called_quiet(setting):
    # Nothing stored before the wave: its week cannot be judged (eight weeks of history are needed).
    build(setting.db, [])
    setting.run("subscribe", "chips@example.com", "--industry", "semiconductors", now=SUBSCRIBED)
    land_the_wave(setting.db)
    setting.run("digest", now=DIGEST)
    (message,) = setting.inbox.messages
    text = text_of(message)
    assert sections(text)[:2] == ["NOT CHECKED", "SURGES IN WHAT YOU FOLLOW"]
    assert (
        "No new surge detected in the weeks from 2023-10-23 to 2023-10-27; but not judged (too little stored "
        "history, 8 weeks needed): semiconductors, US, 2 in the week of 2023-10-23 (0 weeks of history)."
    ) in text
    assert message["Subject"].endswith("NOT CHECKED; 2 documents")  # a week not judged is no surge
