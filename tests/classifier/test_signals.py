"""The text signals: each fires on what it names, and not on look-alike words that misled the head."""

from __future__ import annotations

import pytest

from classifier.signals import present


@pytest.mark.parametrize(
    "text, signal",
    [
        ("Illumina's gene sequencing instruments", "biotech_pharma"),
        ("genetic data of Americans", "biotech_pharma"),
        ("Crude oil from Russia may not be imported", "energy"),
        ("Steel Concrete Reinforcing Bar From Mexico", "metals_chemicals"),
        ("Exports of locomotives and rolling stock", "machinery_equipment"),
        ("The FCC bars new authorisations of covered equipment", "market_ban"),
        ("The act bans apps controlled by a foreign adversary", "market_ban"),
        # transliterated and short forms that list entries use
        ("SURGUTNEFTEGAS", "energy"),
        ("Shahed Pharm", "biotech_pharma"),
        ("Aktsionernoe Obshchestvo RT-Biotekhprom", "biotech_pharma"),
        ("Vertolety Rossii AO", "aerospace_defense"),
        ("Mahan Airways", "aerospace_defense"),
        ("Iran Khodro", "ev_batteries"),
        ("Maiwand Tobacco Limited", "consumer_goods"),
        ("Belarusian Potash Company", "metals_chemicals"),
        ("Maipu Communication Technology", "telecom_ict"),
        ("Wuxi Jiangnan Institute of Computing Technology", "ai_computing"),
        ("Executive Order 14093 restricts government use of commercial spyware", "surveillance_security"),
        ("China suspends imports of pineapples from Taiwan", "agri_food"),
        ("India approves the National Green Hydrogen Mission", "energy"),
        ("duties on electric bicycles from China", "ev_batteries"),
        ("Certain Raised Garden Beds and Components Thereof", "consumer_goods"),
        # MOFCOM's Chinese
        ("关于对镓、锗相关物项实施出口管制的公告", "critical_minerals"),
        ("关于对镓、锗相关物项实施出口管制的公告", "export_control"),
        ("列入不可靠实体清单的公告", "unreliable_entity"),
        ("禁止两用物项对美国军事用户或军事用途出口", "aerospace_defense"),
    ],
)
def test_a_signal_fires_on_what_it_names(text, signal):
    assert signal in present(text)


@pytest.mark.parametrize(
    "text, signal",
    [
        ("Interim Measures for generative AI services", "biotech_pharma"),
        ("Arjan Electricity and Energy Generation Management", "biotech_pharma"),
        ("general-purpose AI models", "biotech_pharma"),
        ("100 percent tariffs on canola oil and peas", "energy"),
        ("imports of palm oil", "energy"),
        ("The orders freeze their assets and bar transactions with them", "metals_chemicals"),
        ("foreign efforts to train large AI models", "machinery_equipment"),
        ("Address: Al Naanaa Garden, Damascus, SY.", "consumer_goods"),
        ("United States and EU agree on steel and aluminium tariff-rate quotas", "agri_food"),
        ("列入不可靠实体清单的公告", "entity_list"),  # the Unreliable Entity List is no Entity List
        ("实施更严格的最终用户和最终用途审查", "investigation"),  # an end-use review is no investigation
    ],
)
def test_a_signal_ignores_look_alike_words(text, signal):
    assert signal not in present(text)
