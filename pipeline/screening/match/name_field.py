"""What a vendor master's name field holds besides the name.

ERP exports put more than a name into the name field: a care-of party ("Mahan Air c/o
Cargo Department"), an attention line ("ATTN: PURCHASING - PJSC AEROFLOT"), the address
("Dahua Technology 1199 Bin'an Road Binjiang", "SHAHID HEMMAT INDUSTRIAL GROUP, DAMAVAND
TEHRAN HWY"), a plant or branch code ("ROSNEFT TRADING SA - BR02", "SMIC SHANGHAI 2100").
A name is screened as written and as each name these readings find in it; the best
scoring reading counts, and the explanation names it.

A field cut at its width (SAP's NAME1 and a SWIFT line hold 35 characters, JD Edwards'
name 40) may end in part of a word: "...DIGITAL TECHNOLO".
"""

from __future__ import annotations

import re

from pipeline.screening.match.normalise import LEGAL, NUMBER, Token, is_legal_form

CARE_OF = re.compile(r"\bc\s*/\s*o\b\.?|\bc\.\s*o\.|\bcare of\b", re.I)
# An attention line runs from its marker to the next separator, or to the end.
ATTENTION = re.compile(r"\b(?:attn|attention)\b\s*[:.]?[^,;/|]*?(?=\s[-–]\s|[,;/|]|$)", re.I)
SEPARATOR = re.compile(r"\s+[-–/|]\s+|\s*[;|]\s*")
# fmt: off
STREET_WORDS = frozenset({
    "road", "rd", "street", "st", "str", "strasse", "avenue", "ave", "av", "highway", "hwy", "boulevard", "blvd",
    "lane", "building", "bldg", "floor", "fl", "room", "rm", "suite", "district", "ulitsa", "ul", "prospekt",
    "embankment", "naberezhnaya", "box", "plaza", "tower", "zone", "industrial park",
})
# fmt: on
GERMAN_STREET = re.compile(r"\w(?:str\.?|strasse|straße|weg|platz|allee|ring|damm|gasse)$", re.I)
HOUSE_NUMBER = re.compile(r"^\d+[a-z]?$", re.I)
WORD = re.compile(r"[^\s,]+")
FIELD_WIDTHS = (35, 40)
# A field with none of these holds just a name: no care-of or attention line, separator, address or code.
PLAIN = re.compile(r"^(?!.*(?:\bc\s*/\s*o\b|\bc\.\s*o\.|\bcare of\b|\battn\b|\battention\b))[^,;|/#\d–-]*$", re.I)
# Legal forms a name ends with (rigour's classes); words such as "group" or "company" are not ends.
ORGANISATION_WORDS = frozenset({"company", "corporation", "group", "holding", "enterprise", "state", "concern", "firm"})
SITE_WORDS = frozenset(
    {
        "plant",
        "branch",
        "site",
        "werk",
        "filiale",
        "dept",
        "department",
        "division",
        "warehouse",
        "depot",
        "store",
        "office",
    }
)
CODE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z\d]+$|^\d{3,}$", re.I)
STREET_AFTER_NUMBER = 3  # "1199 Bin'an Road": the street word within three words of the number


def readings(name: str) -> list[str]:
    """The name as written, then each other name the field holds (each once, in order)."""
    if PLAIN.match(name):
        return [name]
    found = [name]
    for part in CARE_OF.split(name):  # both the party and the one it is in care of are screened
        part = ATTENTION.sub(" ", part)
        for piece in [part, *SEPARATOR.split(part)]:
            piece = _before_address(piece)
            if _is_name(piece):
                found.append(piece)
    unique: dict[str, str] = {}
    for text in found:
        unique.setdefault(" ".join(text.split()).strip(" ,;:-"), text)
    return [text for text in unique if text]


def cut_at_width(name: str) -> bool:
    """Whether the name fills a name field exactly, so its last word may have been cut."""
    return len(name.strip()) in FIELD_WIDTHS and not name.rstrip().endswith((".", ")"))


def _before_address(text: str) -> str:
    """The text before an address that follows the name, or the text itself."""
    # "NAME, DAMAVAND TEHRAN HWY": a comma, then a segment with a street word
    segments = text.split(",")
    for number, segment in enumerate(segments[1:], start=1):
        if _has_street_word(segment):
            return ",".join(segments[:number])
    words = [match for match in WORD.finditer(text)]
    for position, match in enumerate(words):
        word = match.group().strip(".").casefold()
        ahead = [w.group().strip(".,").casefold() for w in words[position + 1 : position + 1 + STREET_AFTER_NUMBER]]
        numbered = word in ("no", "nr", "#") and ahead and ahead[0].isdigit()
        street_number = HOUSE_NUMBER.match(word) and any(w in STREET_WORDS for w in ahead)
        german_street = GERMAN_STREET.search(match.group()) and ahead and HOUSE_NUMBER.match(ahead[0])
        if position and (numbered or street_number or german_street):
            return text[: match.start()]
    return text


def _has_street_word(segment: str) -> bool:
    words = [word.strip(".").casefold() for word in segment.split()]
    return any(word in STREET_WORDS for word in words) or any(GERMAN_STREET.search(word) for word in segment.split())


def _is_name(text: str) -> bool:
    """Something left to screen: a word of three letters or more, not just codes."""
    return any(len(word) >= 3 and word.isalpha() for word in re.findall(r"\w+", text))


def trimmed(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The words up to the end of the first legal form that more words follow ("Tupolev JSC
    Academician Tupolev Embankment 17", "INSPUR GROUP CO LTD PLANT 03"), without trailing
    plant or branch codes ("SMIC SHANGHAI 2100")."""
    end = len(tokens)
    for position, token in enumerate(tokens):
        ends = token.text not in ORGANISATION_WORDS if token.kind == LEGAL else is_legal_form(token.text)
        if position and ends and position + 1 < len(tokens) and tokens[position + 1].kind != LEGAL:
            end = position + 1
            break
    while end > 1 and _is_code(tokens[end - 1]):
        end -= 1
        if end > 1 and tokens[end - 1].text in SITE_WORDS:
            end -= 1
    return tokens[:end]


def _is_code(token: Token) -> bool:
    return (
        token.kind != LEGAL
        and bool(CODE.match(token.word))
        and not token.word[-2:].isalpha()
        or (token.kind == NUMBER and len(token.word) >= 3 and token.word.isdigit())
    )
