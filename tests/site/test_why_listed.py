"""A party's page says why it was listed: the passage from the rule's text, or in plain words why there is none."""

from __future__ import annotations

from sqlite_utils import Database

from tests.kit.crawls import crawl, crawl_live
from tests.kit.files import FILES, rewritten
from tests.site.conftest import SUGON, SUGON_RULE, get
from tests.site.test_pages import section, section_html

JUSTICE = "csl:DPL:23afae8c9f7f24bbfb845fda9e6dafd749e94c92"
NAJERA_CITALAN = "csl:DPL:ed165ae1504e0baa88454aea57e9ce80df86453f"
HUAWEI_GERMANY = "csl:EL:383f5e4b1ac5a883cfe6109897d33f47930699da"
AECC_SOUTH = "csl:UVL:1ef5e3e12d352fe44c823c7af18d382680c493e0"


def test_the_demo_shows_why_a_denied_person_was_listed_with_the_order_that_says_so(demo_db):
    (justice,) = Database(demo_db).query("SELECT id FROM listings WHERE name = 'GREGORY ALLEN JUSTICE'")
    assert justice["id"].startswith("bis_denied:DPL:")
    html = get(demo_db, f"/party/{justice['id']}").text
    why = section(html, "why-listed").strip()
    assert why.startswith("Why listed On September 19, 2017, in the U.S. District Court for the Central District")
    # The Federal Register's ``quotes'' read as quotation marks.
    assert "Gregory Allen Justice (“Justice”) was convicted of violating Section 38 of the Arms Export Control" in why
    assert "and a $200 special assessment." in why
    assert (
        "From Order Denying Export Privileges (83 FR 60395, 2018-11-26), the paragraph naming GREGORY ALLEN JUSTICE"
        in why
    )
    links = section_html(html, "why-listed")
    assert 'href="/measure/federal_register:2018-25619"' in links
    assert 'href="https://www.federalregister.gov/d/2018-25619"' in links


def test_a_rule_stored_without_its_text_is_said_plainly(demo_db):
    why = section(get(demo_db, f"/party/{SUGON}").text, "why-listed")
    assert "84 FR 29373: Addition of Entities to the Entity List and Revision of an Entry on the Entity List is" in why
    assert "stored without its full text, so its reason cannot be read" in why
    assert f'href="/measure/{SUGON_RULE}"' in section_html(get(demo_db, f"/party/{SUGON}").text, "why-listed")


def test_a_rule_not_stored_and_an_entry_naming_no_rule_are_said_plainly(demo_db):
    why = section(get(demo_db, f"/party/{HUAWEI_GERMANY}").text, "why-listed")
    assert "84 FR 22961: the rule is not stored here, so its reason cannot be read" in why
    assert why.count("the rule is not stored here") == 4  # each of its four citations
    why = section(get(demo_db, f"/party/{AECC_SOUTH}").text, "why-listed").strip()
    assert why == "Why listed The source names no rule for this entry, so there is no passage saying why it was listed."


def test_a_stored_text_that_does_not_name_the_party_is_said_plainly(live_stage, db_path, tmp_path):
    # Najera-Citalan's row, made to cite Justice's order instead of his own: its text does not name him.
    miscited = rewritten(
        tmp_path, FILES / "csl" / "denied.csv", lambda text: text.replace("81 F.R. 81731 11/18/2016", "83 F.R. 60395")
    )
    assert crawl("csl", miscited.as_uri(), db_path, "--expect", "1:10").returncode == 0
    from tests.linkage.test_why_listed import play

    play(live_stage)
    assert crawl_live("federal_register", live_stage, db_path, "--backfill-citations").returncode == 0
    why = section(get(db_path, f"/party/{NAJERA_CITALAN}").text, "why-listed")
    assert "83 FR 60395: the stored text of Order Denying Export Privileges has no paragraph naming this party" in why
    assert "On September 19, 2017" in section(get(db_path, f"/party/{JUSTICE}").text, "why-listed")
