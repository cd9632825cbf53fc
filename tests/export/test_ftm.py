"""`chokepoint export --format ftm`: FollowTheMoney entities that followthemoney itself loads back."""

import json
from collections import Counter

import pytest
from followthemoney import model
from sqlite_utils import Database

from tests.kit.cli import run_cli

SUGON_RULE_TITLE = "Addition of Entities to the Entity List and Revision of an Entry on the Entity List"


def exported(demo_db, folder, name="export.json"):
    output = folder / name
    result = run_cli("export", "--format", "ftm", "--db", str(demo_db), "--output", str(output), check=True)
    proxies = [model.get_proxy(json.loads(line)) for line in output.read_text(encoding="utf-8").splitlines()]
    return output, proxies, result.stderr


@pytest.fixture(scope="module")
def export(demo_db, tmp_path_factory):
    return exported(demo_db, tmp_path_factory.mktemp("export"))


def test_the_export_loads_back_with_the_counts_of_the_database(demo_db, export):
    _, proxies, stderr = export
    db = Database(demo_db)
    types = dict(db.execute("SELECT coalesce(entity_type, ''), count(*) FROM listings GROUP BY 1").fetchall())
    parties = db["listings"].count - types["Equipment category"]
    schemas = Counter(proxy.schema.name for proxy in proxies)
    assert schemas["Sanction"] == parties == 119
    assert schemas["Person"] == types["Individual"]
    assert schemas["Vessel"] == types["Vessel"] and schemas["Airplane"] == types["Aircraft"]
    assert schemas["Company"] + schemas["LegalEntity"] == types[""] + types["Entity"]
    assert schemas["Company"] > 0 and schemas["LegalEntity"] > 0
    assert (
        schemas["Document"] == 3
    )  # the rules that listed Sugon and Justice, the announcement that listed Lockheed and Raytheon
    assert "exported 241 entities" in stderr and "left out 2 listing(s): a kind of equipment, not a party" in stderr


def test_sanctions_name_their_party_and_the_rule_that_listed_it(export):
    _, proxies, _ = export
    by_id = {proxy.id: proxy for proxy in proxies}
    sanctions = [proxy for proxy in proxies if proxy.schema.name == "Sanction"]
    parties = {"Person", "Company", "LegalEntity", "Vessel", "Airplane"}
    assert all(by_id[proxy.first("entity")].schema.name in parties for proxy in sanctions)
    sugon = next(p for p in sanctions if by_id[p.first("entity")].first("name") == "Sugon")
    assert sugon.first("programId") == "EL" and sugon.first("startDate") == "2019-06-24"
    assert "Licence review policy: Presumption of denial" in sugon.get("provisions")
    (rule,) = [by_id[proof] for proof in sugon.get("proof")]
    assert rule.schema.name == "Document" and rule.first("title") == SUGON_RULE_TITLE
    assert rule.first("sourceUrl") == "https://www.federalregister.gov/d/2019-13245"
    lockheed = next(p for p in sanctions if by_id[p.first("entity")].first("name") == "Lockheed Martin Corporation")
    assert "不可靠实体清单" in by_id[lockheed.first("proof")].first("title")
    assert lockheed.first("authority") == "Ministry of Commerce of the People's Republic of China (MOFCOM)"
    assert by_id[lockheed.first("entity")].get("alias") == ["洛克希德·马丁公司"]


def test_the_same_database_exports_the_same_bytes(demo_db, export, tmp_path):
    again, _, _ = exported(demo_db, tmp_path)
    assert again.read_bytes() == export[0].read_bytes()
