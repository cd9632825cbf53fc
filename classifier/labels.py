"""The label ids of ../shared/taxonomy.md, exactly as stored and printed.

Each label has a one-line description: the zero-shot baseline compares item
embeddings with these, and `eval-classifier` prints them beside the scores.
"""

from __future__ import annotations

DIMENSION_DESCRIPTIONS = {
    "key_inputs": "Export controls, licence requirements and bans restricting the flow of physical inputs: "
    "components, chips, manufacturing equipment, materials, strategic minerals; Entity List parties.",
    "core_tech": "Core technologies and long-term technological competitiveness: technology and know-how controls, "
    "advanced computing, R&D, talent, subsidies and funding programmes, outbound investment in sensitive tech.",
    "partnerships": "Partnership relationships: alliances, coalitions and partner-country agreements, allied exemptions, "
    "country tiers, coordinated controls, free trade agreements and joint statements.",
    "governance": "Governance rules and standards: anti-dumping and countervailing duty investigations, sanctions and "
    "asset freezes, security bans, investment screening, antitrust and cybersecurity reviews, rule-setting.",
}

INDUSTRY_DESCRIPTIONS = {
    "semiconductors": "Semiconductors: chips, memory, foundries, chip design software, chip-making equipment and materials.",
    "ai_computing": "Artificial intelligence, advanced computing chips, supercomputers, data centres and cloud compute.",
    "telecom_ict": "Telecommunications networks and equipment, 5G, smartphones, consumer electronics, internet platforms and apps.",
    "ev_batteries": "Electric and connected vehicles, automotive, lithium-ion batteries.",
    "critical_minerals": "Critical minerals: gallium, germanium, graphite, antimony, rare earths, lithium, cobalt, nickel.",
    "energy": "Energy: solar panels and polysilicon, wind turbines, biofuels, nuclear power, oil and gas, power grid.",
    "biotech_pharma": "Biotechnology, genomics, pharmaceuticals, medical devices and medical products.",
    "aerospace_defense": "Military end users, weapons, missiles, aircraft and engines, drones, space.",
    "surveillance_security": "Video surveillance, biometric and facial recognition, security-screening equipment.",
    "quantum": "Quantum computing, quantum sensing and quantum communications.",
    "machinery_equipment": "Machine tools, robotics, additive manufacturing, industrial equipment, rail, shipbuilding, cranes.",
    "metals_chemicals": "Steel, aluminium, metals, chemicals and fertilisers.",
    "consumer_goods": "Textiles, apparel, footwear, furniture, beverages and other consumer products.",
    "agri_food": "Agriculture, food, seafood and food security.",
    "cross_sector": "Economy-wide measures with no specific industry: general laws, broad agreements, banks and finance.",
}

DIMENSIONS: tuple[str, ...] = tuple(DIMENSION_DESCRIPTIONS)
INDUSTRIES: tuple[str, ...] = tuple(INDUSTRY_DESCRIPTIONS)
LABELS: tuple[str, ...] = DIMENSIONS + INDUSTRIES
DESCRIPTIONS = {**DIMENSION_DESCRIPTIONS, **INDUSTRY_DESCRIPTIONS}


class UnknownLabel(ValueError):
    """A labelled item names a label the taxonomy does not have."""


def check_labels(dimensions: list[str], industries: list[str], where: str) -> None:
    """Raise UnknownLabel naming `where` when a label is not a taxonomy id or sits in the wrong group."""
    bad = [d for d in dimensions if d not in DIMENSION_DESCRIPTIONS]
    bad += [i for i in industries if i not in INDUSTRY_DESCRIPTIONS]
    if bad:
        raise UnknownLabel(f"{where}: unknown label(s) {', '.join(bad)}")
    if not dimensions or not industries:
        raise UnknownLabel(f"{where}: needs at least one dimension and one industry")
