"""Word lists the matcher needs beyond what rigour ships.

rigour knows legal forms in many languages (GmbH, OOO, PJSC, S.A.R.L., 有限公司 is not
among them); these lists add the generic organisation words it leaves alone, the
abbreviations vendor masters use, and the words too common to tell parties apart.
"""

from __future__ import annotations

# Organisation words that say what kind of body a party is, not which one: they
# count, but far less than a distinctive word (and every legal form counts as one class).
# fmt: off
ORG_CLASS_WORDS = frozenset({
    "company", "co", "corporation", "corp", "incorporated", "inc", "group", "grp", "holding",
    "holdings", "hldgs", "enterprise", "state", "concern", "firm",
})
# fmt: on

# Abbreviations as vendor masters write them -> the word lists spell out.
# fmt: off
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
    "invest": "investment", "trdg": "trading", "shpg": "shipping",
    "tradg": "trading", "mach": "machinery", "instr": "instrument", "precis": "precision",
    "matls": "materials", "info": "information",
    "amer": "america", "est": "establishment", "nk": "oil company", "st": "saint", "mt": "mount", "ft": "fort",
}
# fmt: on

# Legal forms rigour does not know, as folded text -> the class rigour would give them.
# Japanese: kabushiki kaisha (K.K.) is a joint-stock company, yugen and godo kaisha limited ones;
# Turkish: anonim sirketi / ortakligi (A.S., A.O.) is joint-stock, limited sirketi (Ltd. Sti.) limited.
# fmt: off
LEGAL_FORMS = {
    "kabushiki kaisha": "jsc", "kabushikigaisha": "jsc", "kk": "jsc", "k k": "jsc",
    "yugen kaisha": "llc", "godo kaisha": "llc",
    "anonim sirketi": "jsc", "anonim ortakligi": "jsc", "limited sirketi": "llc",
}
# fmt: on

# Turkish company names abbreviate the words for industry and trade in pairs ("San. ve Tic.",
# "Dis Tic."); expanded only as pairs, since "San" alone is as likely San Jose.
# fmt: off
ABBREVIATED_PAIRS = {
    ("san", "tic"): ("sanayi", "ticaret"), ("tic", "san"): ("ticaret", "sanayi"),
    ("dis", "tic"): ("dis", "ticaret"), ("ith", "ihr"): ("ithalat", "ihracat"),
}
# fmt: on

# Joining words that carry no identity: dropped before matching.
# fmt: off
STOPWORDS = frozenset({
    "and", "the", "of", "for", "a", "an", "s", "et", "und", "u", "y", "e", "i", "ve", "do", "da", "de", "des",
    "du", "der", "die", "la", "le", "les", "el", "von", "van", "fka", "aka", "nka", "formerly",
    "known", "also",
})
# fmt: on

# Words that begin a second name inside one name field ("X, a.k.a. Y", "X (f.k.a. Y)").
ALIAS_MARKERS = ("a.k.a.", "f.k.a.", "n.k.a.", "aka", "fka", "formerly known as", "also known as")

# Words that say what a business does or what kind of body it is, in the languages the
# lists and vendor masters use: "Societe Generale", "International Trading", "Sanayi ve
# Ticaret". They count like any word, but agreeing on them alone is no evidence of the same
# party (see score.py); plurals are reduced the way names are (industries -> industry).
# fmt: off
GENERIC_WORDS = frozenset({
    # English
    "international", "national", "general", "global", "united", "universal", "trading", "trade", "trader",
    "commerce", "commercial", "industry", "industries", "industrial", "technology", "technologies", "technical",
    "science", "sciences", "scientific", "engineering", "services", "service", "system", "systems", "solutions",
    "products", "production", "manufacturing", "manufacturer", "development", "investment", "investments",
    "management", "consulting", "consultancy", "logistics", "shipping", "transport", "transportation", "import",
    "export", "business", "resources", "energy", "power", "electronics", "electronic", "electric", "electrical",
    "digital", "information", "communication", "communications", "telecommunications", "network", "software",
    "equipment", "machinery", "materials", "chemical", "chemicals", "pharmaceutical", "construction", "finance",
    "financial", "capital", "insurance", "marine", "maritime", "aviation", "aerospace", "air", "airline",
    "airlines", "airways", "lines", "oil", "gas", "petroleum", "petrochemical", "steel", "metal", "metals",
    "mining", "agricultural", "food", "foods", "textile", "textiles", "innovation", "research", "institute",
    "university", "academy", "college", "center", "centre", "office", "department", "bureau", "association",
    "foundation", "partners", "agency", "supply", "supplies", "sales", "factory", "plant", "works", "trust",
    "bank", "brothers", "sons", "design", "precision", "instrument", "instruments", "automation",
    "semiconductor", "microelectronics", "optoelectronics", "integrated", "circuit", "establishment",
    # French
    "societe", "generale", "internationale", "nationale", "compagnie", "entreprise", "entreprises", "industrie",
    "industrielle", "commerciale", "banque", "groupe", "technique", "techniques", "technologie", "etablissement",
    "etablissements", "fils", "freres",
    # German
    "gesellschaft", "handel", "handels", "handelsgesellschaft", "technik", "werk", "werke", "maschinenbau",
    "elektronik", "vertrieb", "verwaltung", "beteiligung", "beteiligungs", "dienstleistungen", "logistik",
    "spedition", "stahl",
    # Spanish, Portuguese, Italian
    "sociedad", "sociedade", "societa", "compania", "companhia", "compagnia", "comercial", "comercio", "industria",
    "industrias", "internacional", "internazionale", "nacional", "nazionale", "grupo", "gruppo", "inversiones",
    "servicios", "servicos", "servizi", "tecnologia", "empresa", "empresas", "importadora", "exportadora",
    "distribuidora",
    # Russian, transliterated
    "obshchestvo", "kompaniya", "gruppa", "promyshlennost", "promyshlennaya", "torgovy", "torgovyi", "torgovyy",
    "torgovaya", "zavod", "kombinat", "tekhnologii", "mezhdunarodnaya", "investitsii", "neft", "gaz",
    # Turkish
    "sanayi", "sanayii", "ticaret", "ithalat", "ihracat", "insaat", "pazarlama", "dis", "ic", "sirketi", "anonim",
    "havacilik", "lojistik", "gida", "turizm", "danismanlik", "yatirim", "enerji", "teknoloji", "elektronik",
    "makina", "kuyumculuk", "denizcilik", "tasimacilik", "bilisim", "tekstil", "kimya", "madencilik",
    # Arabic and Persian, transliterated
    "sharikat", "sherkat", "tijara", "tejarat", "bazargani", "sanaye", "sanati", "mohandesi",
    # Chinese pinyin and Japanese romaji
    "keji", "jishu", "maoyi", "guoji", "jituan", "shiye", "gongsi", "youxian", "gufen", "kaifa", "touzi",
    "dianzi", "tongxin", "xinxi", "zhizao", "gongye", "gongcheng", "wuliu", "shoji", "sangyo", "kogyo", "boeki",
    "denki", "jitsugyo",
})
# fmt: on
