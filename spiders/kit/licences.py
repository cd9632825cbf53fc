"""The terms each publisher releases its data under, declared once and named by each spider (`license`).

The site credits every row and page with its own source's terms (a MOFCOM
announcement is not a U.S. government work). Where we could not confirm a
publisher's terms they are not restated: the credit says so and links the source.
"""

from __future__ import annotations

from typing import NamedTuple


class Licence(NamedTuple):
    text: str
    url: str | None = None


US_GOVERNMENT_WORK = Licence(
    "Public domain in the U.S.: a work of the U.S. government (17 U.S.C. 105)",
    "https://www.law.cornell.edu/uscode/text/17/105",
)
EUROPEAN_UNION = Licence(
    "© European Union; reuse authorised under Commission Decision 2011/833/EU",
    "https://eur-lex.europa.eu/eli/dec/2011/833/oj",
)
UNITED_NATIONS = Licence("© United Nations; see the UN's terms of use", "https://www.un.org/en/about-us/terms-of-use")
MOFCOM = Licence("© Ministry of Commerce of the People's Republic of China; no open licence stated: cite the source")
METI = Licence("As published by METI, Japan; reuse under METI's website terms (not restated here): cite the source")
