"""Word lists the matcher needs beyond what rigour ships.

rigour knows legal forms in many languages (GmbH, OOO, PJSC, S.A.R.L., 有限公司 is not
among them); these lists add the generic organisation words it leaves alone, the
abbreviations vendor masters use, and the words too common to tell parties apart.
"""

from __future__ import annotations

# Organisation words that say what kind of body a party is, not which one: they
# count, but far less than a distinctive word (and every legal form counts as one class).
ORG_CLASS_WORDS = frozenset({
    "company", "co", "corporation", "corp", "incorporated", "inc", "group", "grp", "holding",
    "holdings", "hldgs", "enterprise", "state", "concern", "firm",
})

# Abbreviations as vendor masters write them -> the word lists spell out.
ABBREVIATIONS = {
    "intl": "international", "int'l": "international", "internat": "international",
    "mfg": "manufacturing", "mfr": "manufacturer", "manuf": "manufacturing",
    "tech": "technology", "techn": "technology", "technol": "technology",
    "elec": "electronics", "electr": "electronics", "eng": "engineering", "engg": "engineering",
    "sci": "science", "univ": "university", "uni": "university", "inst": "institute",
    "natl": "national", "nat'l": "national", "assn": "association", "assoc": "association",
    "bros": "brothers", "svcs": "services", "svc": "service", "sys": "systems",
    "mgmt": "management", "mgt": "management", "dev": "development", "devt": "development",
    "ind": "industries", "inds": "industries", "indus": "industrial", "chem": "chemical",
    "pharm": "pharmaceutical", "pharma": "pharmaceutical", "equip": "equipment",
    "comm": "communication", "comms": "communications", "telecom": "telecommunications",
    "petro": "petroleum", "aero": "aeronautical", "acad": "academy",
    "dept": "department", "govt": "government", "gov": "government",
    "invest": "investment", "trdg": "trading",
    "tradg": "trading", "mach": "machinery", "instr": "instrument", "precis": "precision",
    "matls": "materials", "info": "information",
    "amer": "america", "est": "establishment", "nk": "oil company", "st": "saint", "mt": "mount", "ft": "fort",
}

# Joining words that carry no identity: dropped before matching.
STOPWORDS = frozenset({
    "and", "the", "of", "for", "a", "an", "s", "et", "und", "y", "e", "i", "do", "da", "de", "des",
    "du", "der", "die", "la", "le", "les", "el", "von", "van", "fka", "aka", "nka", "formerly",
    "known", "also",
})

# Words that begin a second name inside one name field ("X, a.k.a. Y", "X (f.k.a. Y)").
ALIAS_MARKERS = ("a.k.a.", "f.k.a.", "n.k.a.", "aka", "fka", "formerly known as", "also known as")
