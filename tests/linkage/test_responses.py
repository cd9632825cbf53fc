"""Measure ↔ countermeasure on real measures (tests/files/responses/measures.json): ranking, people's decisions,
the commands. The store is a real SQLite file, tagged by the real classifier and ranked with the real encoder."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from sqlite_utils import Database

from bench.measures import PREFIX, store_measures, true_responses
from pipeline.linkage.jurisdictions import named_in
from pipeline.linkage.responses import Measure, in_window, score_pair
from tests.kit.cli import run_cli
from tests.site.conftest import get
from tests.site.test_pages import section

AS689 = PREFIX + "eu-as689-initiation"
BRANDY = PREFIX + "cn-brandy-2024"
CHIP_RULE = PREFIX + "us-bis-2024-28270"  # BIS, 5 December 2024
MOFCOM_46 = PREFIX + "cn-mofcom-2024-46"  # MOFCOM's answer, 3 December 2024


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory):
    """The real measures stored, tagged and ranked once; tests work on copies."""
    from pipeline.tagging import load_classifier, tag

    path = tmp_path_factory.mktemp("responses") / "measures.db"
    db = Database(path)
    store_measures(db)
    tag(db, load_classifier(), "documents")
    db.close()
    run_cli("suggest-responses", "--db", str(path), check=True)
    return path


@pytest.fixture
def ranked(fixture_store, tmp_path):
    path = tmp_path / "chokepoint.db"
    shutil.copy(fixture_store, path)
    return path


def suggestions(path) -> dict[str, list[str]]:
    ranked: dict[str, list[str]] = {}
    for row in Database(path).query(
        "SELECT measure_id, response_id FROM measure_responses WHERE status = 'suggested' ORDER BY measure_id, rank"
    ):
        ranked.setdefault(row["measure_id"], []).append(row["response_id"])
    return ranked


def row(path, measure, response):
    return next(
        Database(path).query(
            "SELECT * FROM measure_responses WHERE measure_id = ? AND response_id = ?", [measure, response]
        ),
        None,
    )


def test_the_true_response_is_in_the_top_three_for_most_real_measures(fixture_store):
    from bench.measures import load

    truth = true_responses(load())
    ranked = suggestions(fixture_store)
    hits = [measure for measure, responses in truth.items() if set(ranked.get(measure, [])[:3]) & responses]
    assert len(truth) >= 30
    assert len(hits) / len(truth) >= 0.8, sorted(set(truth) - set(hits))


def test_china_s_brandy_investigation_is_the_first_answer_to_the_ev_case_across_languages(fixture_store):
    assert suggestions(fixture_store)[AS689][0] == BRANDY  # the announcement is in Chinese, the notice in English
    found = row(fixture_store, AS689, BRANDY)
    assert "each names the other (EU and CN)" in found["explanation"]
    assert "93 days after" in found["explanation"]


def test_a_response_announced_before_the_measure_s_publication_is_still_found(fixture_store):
    assert MOFCOM_46 in suggestions(fixture_store)[CHIP_RULE][:3]
    assert "2 days before the measure's publication" in row(fixture_store, CHIP_RULE, MOFCOM_46)["explanation"]


def test_ranking_twice_gives_the_same_rows(ranked):
    before = list(Database(ranked).query("SELECT * FROM measure_responses ORDER BY measure_id, response_id"))
    run_cli("suggest-responses", "--db", str(ranked), check=True)
    after = list(Database(ranked).query("SELECT * FROM measure_responses ORDER BY measure_id, response_id"))
    assert before == after
    first = run_cli("responses", AS689, "--db", str(ranked), "--format", "json", check=True).stdout
    second = run_cli("responses", AS689, "--db", str(ranked), "--format", "json", check=True).stdout
    assert first == second


def test_a_rejected_response_is_never_suggested_again_and_the_next_moves_up(ranked):
    first, second = suggestions(ranked)[CHIP_RULE][:2]
    out = run_cli("link", CHIP_RULE, first, "--reject", "--note", "test", "--reviewer", "ana", "--db", str(ranked))
    assert out.returncode == 0, out.stderr
    assert row(ranked, CHIP_RULE, first)["status"] == "rejected"
    run_cli("suggest-responses", "--db", str(ranked), check=True)
    assert first not in suggestions(ranked)[CHIP_RULE]
    assert suggestions(ranked)[CHIP_RULE][0] == second
    assert row(ranked, CHIP_RULE, first)["status"] == "rejected"
    shown = json.loads(run_cli("responses", CHIP_RULE, "--db", str(ranked), "--format", "json", check=True).stdout)
    assert first not in [r["other_id"] for r in shown["responses"]]
    # A later decision outranks it, and both stay recorded.
    run_cli("link", CHIP_RULE, first, "--confirm", "--reviewer", "ana", "--db", str(ranked), check=True)
    run_cli("suggest-responses", "--db", str(ranked), check=True)
    assert row(ranked, CHIP_RULE, first)["status"] == "confirmed"
    assert [d["decision"] for d in Database(ranked).query("SELECT decision FROM response_decisions ORDER BY id")] == [
        "rejected",
        "confirmed",
    ]


def test_a_confirmed_pair_outside_the_suggestions_is_kept_and_scored_through_re_ranking(ranked):
    measure, response = PREFIX + "us-el-huawei-2019", PREFIX + "cn-mfa-2019-12-02"  # 195 days later: outside the window
    assert response not in suggestions(ranked)[measure]
    run_cli("link", measure, response, "--confirm", "--note", "a person's call", "--db", str(ranked), check=True)
    run_cli("suggest-responses", "--db", str(ranked), check=True)
    kept = row(ranked, measure, response)
    assert kept["status"] == "confirmed" and kept["score"] is not None and kept["rank"] is None
    assert "outside the window" in kept["explanation"]
    text = run_cli("responses", measure, "--db", str(ranked), env={"CHOKEPOINT_REVIEWER": "x"}, check=True).stdout
    assert "a person's call" in text and "confirmed by" in text
    back = run_cli("responses", response, "--db", str(ranked), check=True).stdout
    assert measure in back.split("In response to:")[1]


def test_unknown_ids_and_missing_rankings_are_one_line_errors(ranked, tmp_path):
    for args in (
        ("link", "nope:1", BRANDY, "--confirm"),
        ("link", AS689, "nope:2", "--reject"),
        ("responses", "nope:3"),
    ):
        result = run_cli(*args, "--db", str(ranked))
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1 and "nope:" in result.stderr
    assert run_cli("link", AS689, BRANDY, "--db", str(ranked)).returncode == 2  # neither --confirm nor --reject
    assert Database(ranked).execute("SELECT count(*) FROM response_decisions").fetchone()[0] == 0
    unranked = tmp_path / "unranked.db"
    store_measures(Database(unranked))
    result = run_cli("responses", AS689, "--db", str(unranked))
    assert result.returncode != 0 and "never ranked" in result.stderr


def test_every_command_has_help():
    for command in ("suggest-responses", "responses", "link"):
        assert run_cli(command, "--help", check=True).stdout.startswith("Usage:")


def measure(id, day, jurisdiction, named=(), tags=(), parties=()):
    return Measure(id, date.fromisoformat(day), jurisdiction, frozenset(named), frozenset(tags), frozenset(parties))


def test_a_candidate_is_another_government_s_measure_within_the_window():
    ev = measure("ev", "2023-10-04", "EU")
    assert in_window(ev, measure("brandy", "2024-01-05", "CN"))
    assert not in_window(ev, measure("dutch", "2023-11-01", "NL"))  # a member state is the Union's side
    assert not in_window(ev, measure("late", "2024-02-02", "CN"))  # 121 days
    assert in_window(ev, measure("early", "2023-09-24", "CN"))  # announced 10 days before publication
    assert not in_window(ev, measure("earlier", "2023-09-23", "CN"))


def test_shared_parties_and_tags_count_and_are_explained():
    rule = measure("rule", "2023-02-14", "US", named={"CN"}, tags={"key_inputs"}, parties={"lockheed martin"})
    answer = measure("uel", "2023-02-16", "CN", named={"US"}, tags={"key_inputs"}, parties={"lockheed martin"})
    bare = measure("uel", "2023-02-16", "CN")
    score, explanation = score_pair(rule, answer, 0.3)
    assert score > score_pair(rule, bare, 0.3)[0]
    assert "parties on both: lockheed martin" in explanation and "shared tags: key_inputs" in explanation


def test_governments_are_read_in_english_and_chinese():
    assert named_in("关于对原产于欧盟的进口相关白兰地进行反倾销立案调查的公告") == {"EU"}
    assert named_in("imports from the People's Republic of China into the U.S.") == {"CN", "US"}
    assert named_in("a focus on business") == frozenset()
    assert named_in("the Netherlands") == {"NL", "EU"}


EV_NOTICE = "eu_trade_defence:52023XC00160"  # the demo's notice of initiation of AS689, 4 October 2023
BRANDY_DEMO = "mofcom:MOFCOM-2024-1"  # MOFCOM's brandy investigation, 5 January 2024


def test_the_demo_measure_page_shows_its_response_and_the_response_page_what_it_answers(demo_db):
    notice = section(get(demo_db, f"/measure/{EV_NOTICE}").text, "responses")
    first = notice.split("In response to")[0]
    assert first.index("关于对原产于欧盟的进口相关白兰地进行反倾销立案调查的公告") < first.index("Suggested; no person")
    assert "each names the other (EU and CN)" in first
    brandy = section(get(demo_db, f"/measure/{BRANDY_DEMO}").text, "responses")
    answered = brandy.split("In response to")[1]
    assert answered.index("Notice of initiation of an anti-subsidy proceeding") < answered.index("Tin Mill Products")


def test_a_confirmation_shows_on_the_site_and_survives_a_rebuild_of_the_suggestions(demo_db, tmp_path):
    path = tmp_path / "chokepoint.db"
    shutil.copy(demo_db, path)
    run_cli("link", EV_NOTICE, BRANDY_DEMO, "--confirm", "--note", "MOFCOM's answer", "--by", "ana", "--db", str(path))
    run_cli("suggest-responses", "--db", str(path), check=True)
    notice = section(get(path, f"/measure/{EV_NOTICE}").text, "responses")
    assert "Confirmed by ana" in notice and "MOFCOM's answer" in notice
    Database(path).execute("DELETE FROM response_rankings")
    Database(path).conn.commit()
    assert "never ranked" in section(get(path, f"/measure/{EV_NOTICE}").text, "responses")


def test_a_measure_ranking_leaves_out_says_why_instead_of_showing_no_response(demo_db):
    case = "eu_trade_defence:AS689"  # TRON's list gives the case no date
    assert "Not ranked: it has no publication date." in section(get(demo_db, f"/measure/{case}").text, "responses")
    result = run_cli("responses", case, "--db", str(demo_db), check=True)
    assert "is not ranked: it has no publication date" in result.stderr
