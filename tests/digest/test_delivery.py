"""`chokepoint digest` against a real SMTP server (aiosmtpd on 127.0.0.1): who gets what, exactly once.

Every expectation is counted from the database with SQL of its own, not read back from the
code under test.
"""

import asyncio
import json
import re
from urllib.parse import unquote

from sqlite_utils import Database

from pipeline.site import make_datasette
from tests.kit.files import FILES, edited_json, rewritten
from tests.kit.mail import html_of, smtp_server, text_of

T0 = "2026-11-28T12:00:00Z"  # the demo data's crawls (tests.kit.cli.FROZEN_NOW)
T1 = "2026-11-29T12:00:00Z"
T2 = "2026-11-30T12:00:00Z"
CSL = FILES / "csl" / "consolidated.csv"
HUAWEI_CLOUD_BERLIN = "csl:EL:e4f6ca45ff31cf48a85664e9342297e4f159e13c"
LINK = re.compile(r"<http://127\.0\.0\.1:8001/(party|measure)/([^>]+)>")  # the site's own pages
TABLES = {"party": "listings", "measure": "documents"}
MORE = re.compile(r"\.\.\. and (\d+) more")


def items(message) -> list[tuple[str, str]]:
    """(table, id) of every item the text part links to, in order."""
    return [(TABLES[page], unquote(row_id)) for page, row_id in LINK.findall(text_of(message))]


def more(message) -> int:
    """Items a capped group counted but did not show."""
    return sum(int(n) for n in MORE.findall(text_of(message)))


def changed_ids(db_path, where: str = "1", params=()) -> set[str]:
    db = Database(db_path)
    return {
        row[0]
        for row in db.execute(
            "SELECT c.item_id FROM changes c LEFT JOIN listings l ON l.id = c.item_id "
            f"LEFT JOIN documents d ON d.id = c.item_id WHERE {where}",
            list(params),
        )
    }


def site_rows(db_path, page: str) -> int:
    """How many rows a page of the site lists (Datasette in-process, its JSON twin)."""
    path, _, query = page.partition("?")

    async def count():
        response = await make_datasette(db_path).client.get(f"{path}.json?{query}&_size=0")
        assert response.status_code == 200, response.text[:300]
        return response.json()["filtered_table_rows_count"]

    return asyncio.run(count())


def without_huawei_cloud_berlin(tmp_path):
    return rewritten(
        tmp_path,
        CSL,
        lambda text: "".join(line for line in text.splitlines(keepends=True) if not line.startswith("e4f6ca45")),
    )


def test_each_subscriber_receives_exactly_what_their_filters_select(setting):
    setting.subscribe("all@example.com")
    setting.subscribe("el@example.com", "--list", "EL", "--source", "csl")
    setting.subscribe("chips@example.com", "--industry", "semiconductors")
    setting.subscribe("cn@example.com", "--jurisdiction", "CN")
    result = setting.digest("--since", "2026-11-28")
    assert result.returncode == 0, result.stderr
    assert sorted(m["To"] for m in setting.inbox.messages) == sorted(
        ["all@example.com", "el@example.com", "chips@example.com", "cn@example.com"]
    )

    everything = changed_ids(setting.db)
    [message] = setting.inbox.to("all@example.com")
    # One link more than items: Gregory Allen Justice's entry links its citation to the stored order's page.
    assert len(items(message)) + more(message) == len(everything) + 1 == 161
    assert {row_id for _, row_id in items(message)} <= everything
    assert "121 listing changes, 39 documents" in message["Subject"]

    el = changed_ids(setting.db, "c.source = 'csl' AND c.list_code = 'EL'")
    [message] = setting.inbox.to("el@example.com")
    assert {row_id for _, row_id in items(message)} < el and len(items(message)) + more(message) == len(el) == 42
    assert "No new or revised document." in text_of(message)
    # The rest of a capped group is one click away: the site's page of exactly those changes.
    [page] = re.findall(r"\.\.\. and 17 more on this list: <http://127\.0\.0\.1:8001(/[^>]+)>", text_of(message))
    assert site_rows(setting.db, page) == 42

    chips = changed_ids(
        setting.db,
        "EXISTS (SELECT 1 FROM json_each(coalesce(l.industries, d.industries)) WHERE value = 'semiconductors')",
    )
    [message] = setting.inbox.to("chips@example.com")
    assert {row_id for _, row_id in items(message)} == chips and more(message) == 0

    chinese = changed_ids(setting.db, "c.source = 'mofcom'")
    [message] = setting.inbox.to("cn@example.com")
    assert {row_id for _, row_id in items(message)} == chinese


def test_a_second_run_sends_nothing_and_new_changes_reach_only_those_who_follow_them(setting, tmp_path):
    setting.subscribe("all@example.com")
    setting.subscribe("el@example.com", "--list", "EL")
    setting.subscribe("eu@example.com", "--jurisdiction", "EU")
    assert setting.digest("--since", "2026-11-28").returncode == 0
    assert len(setting.inbox.messages) == 3

    second = setting.digest()
    assert second.returncode == 0, second.stderr
    assert len(setting.inbox.messages) == 3
    assert second.stdout.count(": nothing new") == 3

    crawled = setting.run(
        "crawl", "csl", "--url", without_huawei_cloud_berlin(tmp_path).as_uri(), "--expect", "1:100", now=T1
    )
    assert "1 removed" in crawled.stdout, crawled.stderr
    third = setting.digest(now=T1)
    assert third.returncode == 0, third.stderr
    new = setting.inbox.messages[3:]
    assert sorted(m["To"] for m in new) == ["all@example.com", "el@example.com"]
    for message in new:
        assert items(message) == [("listings", HUAWEI_CLOUD_BERLIN)]
        assert (
            "EL: Entity List (EL) - Bureau of Industry and Security\n"
            "- REMOVED: Huawei Cloud Berlin (DE) [csl]\n"
            "  Federal Register: 85 FR 51603 <https://www.federalregister.gov/citation/85-FR-51603>\n"
            "  <http://127.0.0.1:8001/party/csl:EL:e4f6ca45ff31cf48a85664e9342297e4f159e13c>\n"
        ) in text_of(message)


def test_a_refused_address_is_reported_and_retried_with_nothing_lost_or_sent_twice(setting, tmp_path):
    setting.subscribe("all@example.com")
    setting.subscribe("el@example.com", "--list", "EL", "--source", "csl")
    setting.inbox.refused.add("el@example.com")
    failed = setting.digest("--since", "2026-11-28")
    assert failed.returncode == 1
    assert "Error: el@example.com: failed: el@example.com: 550 5.1.1 mailbox unavailable" in failed.stderr
    assert [m["To"] for m in setting.inbox.messages] == ["all@example.com"]
    log = Database(setting.private)["digest_log"]
    assert [(row["status"], row["message"] is None) for row in log.rows_where(order_by="id")] == [
        ("sent", False),  # what all@ received, kept whole
        ("failed", True),  # nobody received it: the next run composes it afresh
    ]
    assert log.get(1)["message"].startswith("From: chokepoint@localhost")

    setting.run("crawl", "csl", "--url", without_huawei_cloud_berlin(tmp_path).as_uri(), "--expect", "1:100", now=T1)
    setting.inbox.refused.clear()
    retried = setting.digest(now=T1)
    assert retried.returncode == 0, retried.stderr
    [first, second] = setting.inbox.to("all@example.com")  # the first window, then only the new change
    assert len(items(first)) + more(first) == 161 and "- REMOVED:" not in text_of(first)
    assert items(second) == [("listings", HUAWEI_CLOUD_BERLIN)] and "REMOVED: Huawei Cloud Berlin" in text_of(second)
    [el] = setting.inbox.to("el@example.com")  # one message: the window that failed and the new change
    el_changes = Database(setting.db).execute("SELECT count(*) FROM changes WHERE list_code = 'EL'").fetchone()[0]
    assert len(items(el)) + more(el) == el_changes == 43
    assert "REMOVED: Huawei Cloud Berlin" in text_of(el) and "ADDED: Huawei Cloud Berlin" in text_of(el)
    assert setting.digest(now=T1).stdout.count(": nothing new") == 2
    assert len(setting.inbox.messages) == 3


def test_a_failed_source_is_named_at_the_top_and_only_to_those_who_follow_it(setting):
    setting.subscribe("csl@example.com", "--source", "csl")
    setting.subscribe("fr@example.com", "--source", "federal_register")
    broken = setting.run("crawl", "csl", "--url", (FILES / "csl" / "truncated_mid_quote.csv").as_uri(), now=T1)
    assert broken.returncode == 1
    result = setting.digest(now=T1)
    assert result.returncode == 0, result.stderr
    [message] = setting.inbox.messages
    assert message["To"] == "csl@example.com"
    assert message["Subject"] == "chokepoint digest 2026-11-29: 1 source NOT CHECKED; nothing new"
    text = text_of(message)
    assert text.index("NOT CHECKED: 1 source failing or stale") < text.index("1. YOUR EXPOSURE")
    assert "  ! csl: last crawl failed (2026-11-29T12:00:00Z): csl: source truncated" in text
    html = html_of(message)
    assert html.index('id="problems"') < html.index('id="exposure"')
    assert "csl: source truncated" in html
    # Told once a day: a second run the same day sends nothing more.
    assert setting.digest(now=T1).returncode == 0 and len(setting.inbox.messages) == 1


def test_a_nothing_changed_confirmation_names_the_sources_checked_once_a_day(setting):
    setting.subscribe("quiet@example.com", "--jurisdiction", "JP", "--confirm-empty")
    setting.subscribe("silent@example.com", "--jurisdiction", "JP")
    assert setting.digest(now=T1).returncode == 0
    [message] = setting.inbox.messages
    assert message["To"] == "quiet@example.com"
    assert message["Subject"] == "chokepoint digest 2026-11-29: nothing new"
    assert "Nothing new in what you follow since 2026-11-28 12:00 UTC. Checked: meti_end_user." in text_of(message)
    assert "- meti_end_user (JP): ok; last successful crawl 2026-11-28 12:00 UTC" in text_of(message)
    assert setting.digest(now=T1).returncode == 0 and len(setting.inbox.messages) == 1
    assert setting.digest(now=T2).returncode == 0 and len(setting.inbox.messages) == 2


def test_scraped_markup_shows_as_text_and_only_http_urls_become_links(setting, tmp_path):
    hostile = "<script>alert('digest')</script> Export Administration Regulations"

    def poison(data):
        data["results"][0].update(title=hostile, html_url="javascript:alert(1)", pdf_url="data:text/html,x")

    sample = edited_json(tmp_path, FILES / "federal_register" / "documents_2024-01.json", poison)
    setting.subscribe("all@example.com")
    crawled = setting.run("crawl", "federal_register", "--url", sample.as_uri(), "--expect", "1:100", now=T1)
    assert "1 modified" in crawled.stdout, crawled.stderr
    assert setting.digest(now=T1).returncode == 0
    [message] = setting.inbox.messages
    html = html_of(message)
    assert "&lt;script&gt;alert('digest')&lt;/script&gt; Export Administration Regulations" in html
    assert "<script" not in html.lower()
    assert "javascript:" not in html and "data:text" not in html
    assert re.findall(r'href="([^"]+)"', html) and all(
        url.startswith(("http://", "https://")) for url in re.findall(r'href="([^"]+)"', html)
    )
    assert f"[REVISED] {hostile}" in text_of(message)


def test_dry_run_writes_eml_files_that_parse_back_and_records_nothing(setting, tmp_path):
    from tests.kit.mail import parse

    setting.subscribe("all@example.com", "--name", "Export compliance")
    setting.subscribe("el@example.com", "--list", "EL")
    out = tmp_path / "out"
    result = setting.digest("--since", "2026-11-28", "--dry-run", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["1-all@example.com.eml", "2-el@example.com.eml"]
    message = parse((out / "1-all@example.com.eml").read_bytes())
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "all@example.com" and message["From"] == "chokepoint@localhost"
    assert message["Message-ID"].startswith("<digest-1-")
    assert text_of(message).startswith(message["Subject"])
    assert "For Export compliance." in text_of(message)
    assert not setting.inbox.messages
    assert Database(setting.private)["digest_log"].count == 0
    first = (out / "1-all@example.com.eml").read_bytes()
    assert setting.digest("--since", "2026-11-28", "--dry-run", str(out)).returncode == 0
    assert (out / "1-all@example.com.eml").read_bytes() == first  # same input, same bytes


def test_an_interrupted_send_goes_again_byte_for_byte_before_anything_new(setting):
    from email.policy import SMTP

    from pipeline.digest import log
    from pipeline.digest.subscriptions import find
    from pipeline.screening.private.database import open_private
    from pipeline.store.changes import latest_change_id
    from tests.kit.mail import parse

    setting.subscribe("all@example.com")
    out = setting.db.parent / "out"
    setting.digest("--since", "2026-11-28", "--dry-run", str(out))
    raw = (out / "1-all@example.com.eml").read_bytes()
    private = open_private(setting.private)
    subscription = find(private, "all@example.com")
    place = log.place(private, subscription)
    # What a run that died between writing the log and hearing from the server leaves behind.
    log.begin(
        private,
        subscription,
        status=log.PENDING,
        after=place,
        upto_change_id=latest_change_id(Database(setting.db)),
        upto_alert_id=0,
        since="2026-11-28T00:00:00Z",
        summary={},
        message_id="<interrupted@localhost>",
        message=raw.decode(),
    )
    result = setting.digest()
    assert result.returncode == 0, result.stderr
    assert "all@example.com: resent" in result.stdout
    [message] = setting.inbox.messages
    assert message["Message-ID"] == parse(raw)["Message-ID"]
    assert message.as_bytes(policy=SMTP) == raw
    assert [row["status"] for row in log.entries(private)] == ["sent"]
    assert setting.digest().returncode == 0 and len(setting.inbox.messages) == 1


def test_exposure_comes_from_the_subscribers_watchlist_with_the_firms_own_ids(setting, tmp_path):
    vendors = tmp_path / "vendors.csv"
    vendors.write_text("name,country,id\nHuawei Technologies Co Ltd,CN,V-001\n")
    others = tmp_path / "others.csv"
    others.write_text("name,country,id\nSugon,CN,P-77\n")
    assert setting.run("watchlist", "add", "vendors", str(vendors)).returncode == 0
    assert setting.run("watchlist", "add", "partners", str(others)).returncode == 0
    alerts = list(
        Database(setting.private).query(
            "SELECT a.*, w.name AS watchlist FROM alerts a JOIN watchlists w ON w.id = a.watchlist_id ORDER BY a.id"
        )
    )
    by_watchlist = {name: [a for a in alerts if a["watchlist"] == name] for name in ("vendors", "partners")}
    assert by_watchlist["vendors"] and by_watchlist["partners"]
    setting.subscribe("buyers@example.com", "--watchlist", "vendors")
    setting.subscribe("everyone@example.com")
    assert setting.digest("--since", "2026-11-28").returncode == 0
    [buyers] = setting.inbox.to("buyers@example.com")
    text = text_of(buyers)
    exposure = text[text.index("1. YOUR EXPOSURE") : text.index("2. NEW AND REMOVED LISTINGS")]
    # One counterparty, one heading: its alerts under it (screening's alert_groups).
    assert exposure.count("- Huawei Technologies Co Ltd (your id V-001), watchlist vendors") == 1
    for alert in by_watchlist["vendors"]:
        assert (
            f"matches {alert['listed_name']} ({alert['list_code']}, {alert['source']}), score {alert['score']:.2f}"
            in exposure
        )
        assert alert["explanation"] in exposure
    assert "Sugon" not in exposure
    [everyone] = setting.inbox.to("everyone@example.com")
    assert "(your id P-77), watchlist partners" in text_of(everyone)
    assert json.loads(Database(setting.private)["digest_log"].get(1)["summary"])["alerts"] == len(
        by_watchlist["vendors"]
    )


def test_a_watched_party_delisted_by_a_crawl_is_in_the_next_digests_exposure(setting, tmp_path):
    watched = tmp_path / "vendors.csv"
    watched.write_text("name,country,id\nHuawei Cloud Berlin,DE,V-9\n")
    assert setting.run("watchlist", "add", "vendors", str(watched)).returncode == 0
    setting.subscribe("buyers@example.com", "--watchlist", "vendors")
    assert setting.digest("--since", "2026-11-28").returncode == 0
    crawled = setting.run(
        "crawl", "csl", "--url", without_huawei_cloud_berlin(tmp_path).as_uri(), "--expect", "1:100", now=T1
    )
    assert "1 removed" in crawled.stdout, crawled.stderr
    [delisted] = Database(setting.private).query("SELECT * FROM alerts WHERE kind = 'delisted'")
    assert delisted["listing_id"] == HUAWEI_CLOUD_BERLIN
    assert setting.digest(now=T1).returncode == 0
    first, second = setting.inbox.to("buyers@example.com")
    text = text_of(second)
    exposure = text[text.index("1. YOUR EXPOSURE") : text.index("2. NEW AND REMOVED LISTINGS")]
    assert "- Huawei Cloud Berlin (your id V-9), watchlist vendors" in exposure
    assert f"DELISTED: {delisted['listed_name']} (EL, csl) was removed" in exposure
    assert delisted["explanation"] in exposure
    assert f"<http://127.0.0.1:8001/party/{HUAWEI_CLOUD_BERLIN}>" in exposure
    assert "DELISTED" not in text_of(first)


def test_smtp_login_and_starttls_come_from_the_environment_and_the_password_only_from_there(setting):
    setting.subscribe("all@example.com")
    with smtp_server(login=("digest", "s3cret")) as (port, inbox):
        common = {"CHOKEPOINT_SMTP_PORT": str(port), "CHOKEPOINT_SMTP_USER": "digest"}
        assert "--smtp-password" not in setting.run("digest", "--help").stdout
        no_password = setting.run("digest", "--since", "2026-11-28", env=common)
        assert no_password.returncode == 2
        assert "--smtp-user is set but CHOKEPOINT_SMTP_PASSWORD is not" in no_password.stderr
        wrong = setting.run("digest", "--since", "2026-11-28", env={**common, "CHOKEPOINT_SMTP_PASSWORD": "guess"})
        assert wrong.returncode == 1 and "535" in wrong.stderr and not inbox.messages
        tls = setting.run(
            "digest",
            "--since",
            "2026-11-28",
            env={**common, "CHOKEPOINT_SMTP_PASSWORD": "s3cret", "CHOKEPOINT_SMTP_STARTTLS": "true"},
        )
        assert tls.returncode == 1 and "STARTTLS extension not supported by server" in tls.stderr
        good = setting.run("digest", "--since", "2026-11-28", env={**common, "CHOKEPOINT_SMTP_PASSWORD": "s3cret"})
        assert good.returncode == 0, good.stderr
        assert [m["To"] for m in inbox.messages] == ["all@example.com"]
