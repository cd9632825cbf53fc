"""`chokepoint changes`, `subscribe`, `unsubscribe` and `subscriptions` as a person runs them."""

import csv
import io
import json

from sqlite_utils import Database

from tests.kit.cli import run_cli


def test_changes_since_prints_every_change_in_the_window_in_three_formats(setting):
    db = Database(setting.db)
    total = db["changes"].count
    text = run_cli("changes", "--since", "2026-11-28", "--db", str(setting.db), check=True)
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["id", "at", "item", "kind", "source", "list", "name"]
    assert len(lines) == 1 + total
    assert any(
        line.split()[2:6] == ["listing", "added", "csl", "EL"] and "Huawei Cloud Berlin (DE)" in line for line in lines
    )
    assert f"{total} change(s) since 2026-11-28T00:00:00Z: 39 documents added, 121 listings added" in text.stderr
    as_json = [
        json.loads(line)
        for line in run_cli(
            "changes", "--since", "2026-11-28", "--format", "json", "--db", str(setting.db), check=True
        ).stdout.splitlines()
    ]
    assert [row["id"] for row in as_json] == [row[0] for row in db.execute("SELECT id FROM changes ORDER BY id")]
    as_csv = list(
        csv.DictReader(
            io.StringIO(
                run_cli(
                    "changes", "--since", "2026-11-28", "--format", "csv", "--db", str(setting.db), check=True
                ).stdout
            )
        )
    )
    assert [int(row["id"]) for row in as_csv] == [row["id"] for row in as_json]
    assert (
        run_cli("changes", "--since", "2026-11-29", "--db", str(setting.db), check=True).stdout.splitlines()[1:] == []
    )


def test_changes_filters_are_the_digests(setting):
    rows = [
        json.loads(line)
        for line in run_cli(
            "changes",
            "--since",
            "2026-11-28",
            "--list",
            "EL,UEL",
            "--industry",
            "semiconductors",
            "--format",
            "json",
            "--db",
            str(setting.db),
            check=True,
        ).stdout.splitlines()
    ]
    assert rows and all("semiconductors" in row["industries"] for row in rows)
    assert {row["list_code"] for row in rows if row["item_type"] == "listing"} == {"EL"}
    expected = (
        Database(setting.db)
        .execute(
            "SELECT count(*) FROM changes c LEFT JOIN listings l ON l.id = c.item_id LEFT JOIN documents d ON d.id = c.item_id "
            "WHERE (c.item_type = 'document' OR c.list_code IN ('EL', 'UEL')) AND EXISTS "
            "(SELECT 1 FROM json_each(coalesce(l.industries, d.industries)) WHERE value = 'semiconductors')"
        )
        .fetchone()[0]
    )
    assert len(rows) == expected


def test_changes_reads_relative_times_and_refuses_bad_ones_in_one_line(setting):
    day = run_cli("changes", "--since", "36h", "--db", str(setting.db), now="2026-11-29T12:00:00Z", check=True)
    assert "since 2026-11-28T00:00:00Z" in day.stderr
    bad = run_cli("changes", "--since", "last tuesday", "--db", str(setting.db))
    assert bad.returncode == 2
    assert "'last tuesday': give a date (2024-01-31), a UTC time (2024-01-31T06:00:00Z) or 36h, 7d, 2w" in bad.stderr
    missing = run_cli("changes", "--since", "1d", "--db", str(setting.db.with_name("none.db")))
    assert missing.returncode == 1 and "none.db does not exist" in missing.stderr


def test_subscriptions_live_in_the_private_database_and_are_checked_on_the_way_in(setting):
    first = setting.run("subscribe", "team@example.com", "--name", "Team", "--list", "el", "--dimension", "key_inputs")
    assert first.stdout == "Subscribed team@example.com [1]: lists EL; dimensions key_inputs\n"
    again = setting.run("subscribe", "team@example.com", "--industry", "semiconductors", "--confirm-empty")
    assert again.stdout == "Updated team@example.com [1]: industries semiconductors\n"
    listed = run_cli("subscriptions", "--private-db", str(setting.private))
    assert (
        listed.stdout == "[1] team@example.com (Team): industries semiconductors; daily confirmation; no digest yet\n"
    )
    assert {"digest_subscriptions", "digest_log"} <= set(Database(setting.private).table_names())
    assert not {"digest_subscriptions", "digest_log"} & set(Database(setting.db).table_names())

    for args, message in (
        (("--list", "NOPE"), "no list NOPE in"),
        (("--source", "nowhere"), "no source named nowhere"),
        (("--jurisdiction", "XX"), "no source of jurisdiction XX"),
        (("--watchlist", "missing"), "no watchlist named 'missing'"),
        (("--dimension", "chips"), "'chips' is not one of"),
    ):
        refused = setting.run("subscribe", "other@example.com", *args)
        assert refused.returncode in (1, 2) and message in refused.stderr, (args, refused.stderr)
    assert setting.run("subscribe", "not an address").returncode == 2
    assert run_cli("subscriptions", "--private-db", str(setting.private)).stdout.count("@") == 1

    unsubscribe = ("unsubscribe", "team@example.com", "--private-db", str(setting.private))
    assert run_cli(*unsubscribe).stdout == "Unsubscribed team@example.com\n"
    gone = run_cli(*unsubscribe)
    assert gone.returncode == 1 and "no subscription for team@example.com" in gone.stderr
