"""The UN Security Council Consolidated List (every UN sanctions regime in one XML file).

Shape (seen in the recorded list of 2026-02-27): root CONSOLIDATED_LIST with
INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY records; each has DATAID (the stable
id), the name in FIRST_NAME..FOURTH_NAME (an entity's name is FIRST_NAME alone),
NAME_ORIGINAL_SCRIPT, UN_LIST_TYPE (the regime: "Al-Qaida", "DPRK", ...),
REFERENCE_NUMBER ("QDi.001"), LISTED_ON and repeated alias, address, date and
place of birth and document elements. Quirks (SOURCES_LIVE §4): dates with a
zone suffix ("2015-03-27-04:00"), the text "Invalid date", free-text countries
("Indonesia (as at Dec. 2003)").

List codes: one per regime, "UN-" + UN_LIST_TYPE ("UN-Al-Qaida", "UN-DPRK").
A user filters by regime the way OFAC users filter by list, and the crawl
crawl gate's per-list checks then guard each regime: a regime that vanishes from a
download (or halves) fails the crawl instead of delisting its parties. The
whole list must hold both sections; OpenSanctions' guards of 580-1370
individuals and 170-380 entities are summed into the declared range, and the
large regimes carry their own ranges.

TLS: OpenSanctions enables OpenSSL's legacy renegotiation for this host (reported:
its contrib/openssl.cnf, 2024-08), because OpenSSL 3 refuses a TLS 1.2 server
without RFC 5746 secure renegotiation unless the client sets
OP_LEGACY_SERVER_CONNECT. Whether scsanctions.un.org still needs it in 2026 is
not established (it cannot be checked from where this was written). This spider
needs no TLS context of its own either way: every TLS context Scrapy makes sets
that one option (scrapy/core/downloader/contextfactory.py), and a test crawls a
local TLS 1.2 server without RFC 5746, one OpenSSL 3's default client refuses.

Facts of SOURCES_LIVE.md relied on (§4 and Updates): the URL and the shape, seen
(the recorded list of 2026-02-27; moov-io/watchman, OpenSanctions); the URL
unchanged in 2026 and the Security Council pages now under
main.un.org/securitycouncil/: reported.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.countries import country_code, has_no_code
from spiders.kit.errors import SourceShapeChanged, SourceTruncated
from spiders.kit.formats import clean, plausible_iso_date, unique
from spiders.kit.items import Listing
from spiders.kit.safe_xml import parser, refuse_entities

SECTIONS = {"INDIVIDUALS": ("INDIVIDUAL", "Individual"), "ENTITIES": ("ENTITY", "Entity")}
REQUIRED = ("DATAID", "FIRST_NAME", "UN_LIST_TYPE")
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# Read but deliberately not kept: empty in every recorded record, or the same for all ("UN List").
IGNORED = ("SORT_KEY", "SORT_KEY_LAST_MOD", "LIST_TYPE")
ZONE_SUFFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-+]\d{2}:\d{2}|Z)$")
WEAK_QUALITY = "Low"
# UN_LIST_TYPE -> the regime's name as the UN's committee pages give it.
REGIMES = {
    "Al-Qaida": "ISIL (Da'esh) and Al-Qaida",
    "Taliban": "Taliban",
    "DPRK": "Democratic People's Republic of Korea",
    "DRC": "Democratic Republic of the Congo",
    "CAR": "Central African Republic",
    "GB": "Guinea-Bissau",
    "SouthSudan": "South Sudan",
}


class UnConsolidatedSpider(SourceSpider):
    name = "un_consolidated"
    publisher = "United Nations Security Council"
    jurisdiction = "UN"
    license = licences.UNITED_NATIONS
    kind = "listings"
    live_urls = ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"]
    # 730 individuals and 273 entities in February 2026; OpenSanctions' guards for each.
    expected_items = (580 + 170, 1_370 + 380)
    expected_per_type = {"Individual": (580, 1_370), "Entity": (170, 380)}
    expected_per_list = {
        "UN-Al-Qaida": (150, 800),
        "UN-Taliban": (60, 300),
        "UN-DPRK": (60, 400),
        "UN-Iraq": (30, 200),
    }
    live_format = (b"<?xml", b"<CONSOLIDATED_LIST")
    probe_bytes = 64 * 1024  # about 2 MB: the live probe reads its start

    def parse(self, response):
        self.require_body(response, looks_like=self.live_format)
        where = response.url.rsplit("/", 1)[-1]
        refuse_entities(response.body, self.name, where)
        try:
            root = etree.fromstring(response.body, parser())
        except etree.XMLSyntaxError as error:
            raise SourceTruncated(self.name, f"{where} is not well-formed XML: {error}") from None
        if root.tag != "CONSOLIDATED_LIST":
            raise SourceShapeChanged(self.name, f"{where}: root is <{root.tag}>, not <CONSOLIDATED_LIST>")
        for section, (tag, entity_type) in SECTIONS.items():
            container = root.find(section)
            if container is None:
                raise SourceShapeChanged(self.name, f"{where} has no {section} section")
            yield from self.batched(self._build_item(record, entity_type, where) for record in container.iterfind(tag))

    def probe_head(self, response) -> None:
        super().probe_head(response)
        if b"<CONSOLIDATED_LIST" not in response.body[:4096]:
            raise SourceShapeChanged(self.name, f"{response.url} is XML but not the consolidated list")

    def _build_item(self, element, entity_type: str, where: str) -> Listing:
        """One listing from one INDIVIDUAL or ENTITY record; fields read are popped, so what is left is new upstream."""
        record = _children(element)
        self.require_fields(record, REQUIRED, f"{where} {element.tag} {element.findtext('DATAID') or '?'}")
        data_id = _text(record, "DATAID")
        regime = _text(record, "UN_LIST_TYPE")
        prefix = "INDIVIDUAL" if entity_type == "Individual" else "ENTITY"
        aliases, weak_aliases, alias_details = self._parse_aliases(record.pop(f"{prefix}_ALIAS", []))
        original_script = [" ".join(e.text.split()) for e in record.pop("NAME_ORIGINAL_SCRIPT", []) if clean(e.text)]
        addresses, address_countries = self._parse_addresses(record.pop(f"{prefix}_ADDRESS", []))
        nationalities = _values(record.pop("NATIONALITY", []))
        listing = Listing(
            source=self.name,
            list_code=f"UN-{regime}",
            list_name=f"UN Security Council Consolidated List: {REGIMES.get(regime, regime)}",
            entry_id=data_id,
            name=self._parse_name(record),
            entity_type=entity_type,
            alt_names=unique(original_script + aliases),
            addresses=addresses,
            countries=unique(address_countries + [self._country(n) for n in nationalities]),
            programs=[regime],
            ids=self._parse_documents(record.pop("INDIVIDUAL_DOCUMENT", [])),
            title="; ".join(_values(record.pop("TITLE", []))) or None,
            remarks=_text(record, "COMMENTS1"),
            start_date=self._parse_date(_text(record, "LISTED_ON"), where, data_id),
            dates_of_birth=self._parse_dates_of_birth(record.pop("INDIVIDUAL_DATE_OF_BIRTH", []), where, data_id),
            places_of_birth=self._parse_places_of_birth(record.pop("INDIVIDUAL_PLACE_OF_BIRTH", [])),
            nationalities=nationalities,
            source_information_url="https://www.un.org/securitycouncil/content/un-sc-consolidated-list",
            extra=self._parse_extra(record, weak_aliases, alias_details, original_script),
        )
        for name in IGNORED:
            record.pop(name, None)
        self.audit_leftovers(record, f"{where} {element.tag}")
        return listing

    # -- fields -----------------------------------------------------------------------

    @staticmethod
    def _parse_name(record: dict[str, list]) -> str:
        parts = [_text(record, part) for part in NAME_PARTS]
        return " ".join(part for part in parts if part)

    @staticmethod
    def _parse_aliases(elements) -> tuple[list[str], list[str], list[dict[str, str]]]:
        """(aliases, low-quality aliases, details the UN gives about an alias: its own date of birth, a note)."""
        aliases, weak, details = [], [], []
        for element in elements:
            alias = _fields(element)
            name = alias.get("ALIAS_NAME")
            if not name:
                continue
            (weak if alias.get("QUALITY") == WEAK_QUALITY else aliases).append(name)
            facts = {
                key.lower(): alias.get(key) for key in ("DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH", "NOTE")
            }
            facts = {key: value for key, value in facts.items() if value}
            if facts:
                details.append({"alias": name, **facts})
        return aliases, weak, details

    def _parse_addresses(self, elements) -> tuple[list[str], list[str]]:
        addresses, countries = [], []
        for element in elements:
            address = _fields(element)
            parts = {key: address.get(key) for key in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")}
            line = ", ".join(part for part in parts.values() if part)
            note = address.get("NOTE")
            if note:
                line = f"{line} ({note})" if line else note
            if line:
                addresses.append(line)
            code = self._country(parts["COUNTRY"])
            if code:
                countries.append(code)
        return addresses, countries

    @staticmethod
    def _parse_documents(elements) -> list[str]:
        """'Passport A123 (Pakistan), issued 2001-01-01, Lahore; expires ...' - as much as the UN gives."""
        ids = []
        for element in elements:
            document = _fields(element)
            number = document.get("NUMBER")
            kinds = [document.get("TYPE_OF_DOCUMENT"), document.get("TYPE_OF_DOCUMENT2")]
            if not number:
                continue
            text = " ".join(part for part in (*kinds, number) if part)
            country = document.get("ISSUING_COUNTRY") or document.get("COUNTRY_OF_ISSUE")
            if country:
                text += f" ({country})"
            issued = ", ".join(p for p in (document.get("DATE_OF_ISSUE"), document.get("CITY_OF_ISSUE")) if p)
            if issued:
                text += f", issued {issued}"
            note = document.get("NOTE")
            ids.append(f"{text}; {note}" if note else text)
        return ids

    def _parse_dates_of_birth(self, elements, where: str, data_id: str) -> list[str]:
        dates = []
        for element in elements:
            birth = _fields(element)
            kind = birth.get("TYPE_OF_DATE")
            if birth.get("DATE"):
                value = self._parse_date(birth["DATE"], where, data_id)
            elif birth.get("YEAR"):
                value = birth["YEAR"]
            elif birth.get("FROM_YEAR") or birth.get("TO_YEAR"):
                value = f"{birth.get('FROM_YEAR') or '?'} to {birth.get('TO_YEAR') or '?'}"
            else:
                value = birth.get("NOTE")
            if value and kind == "APPROXIMATELY":
                value = f"circa {value}"
            if value:
                dates.append(value)
        return unique(dates)

    @staticmethod
    def _parse_places_of_birth(elements) -> list[str]:
        places = []
        for element in elements:
            place = _fields(element)
            parts = [place.get(key) for key in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
            line = ", ".join(part for part in parts if part)
            note = place.get("NOTE")
            if note:
                line = f"{line} ({note})" if line else note
            if line:
                places.append(line)
        return unique(places)

    def _parse_date(self, value: str | None, where: str, data_id: str) -> str | None:
        """ISO date; a zone suffix is dropped; 'Invalid date' and other text is warned about and dropped."""
        if not value:
            return None
        match = ZONE_SUFFIX.match(value)
        if match:
            value = match.group(1)
        if plausible_iso_date(value):
            return value
        self.warn(f"{where} record {data_id}: unreadable date {value!r} left out")
        return None

    def _parse_extra(self, record: dict[str, list], weak_aliases, alias_details, original_script) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "reference_number": _text(record, "REFERENCE_NUMBER"),
            "version": _text(record, "VERSIONNUM"),
            "gender": _text(record, "GENDER"),
            "designation": _values(record.pop("DESIGNATION", [])),
            "last_updated": _values(record.pop("LAST_DAY_UPDATED", [])),
            "weak_aliases": weak_aliases,
            "alias_details": alias_details,
            "name_original_script": original_script,
        }
        return {key: value for key, value in extra.items() if value}

    def _country(self, name: str | None) -> str | None:
        code = country_code(name)
        if name and not code and not has_no_code(name):
            self.warn(f"country {name!r} has no ISO code; kept as printed only")
        return code


def _children(element) -> dict[str, list]:
    """Child elements by tag, in order (most repeat)."""
    children: dict[str, list] = {}
    for child in element:
        if isinstance(child.tag, str):
            children.setdefault(child.tag, []).append(child)
    return children


def _text(record: dict[str, list], tag: str) -> str | None:
    """The first <tag>'s text, cleaned, popped from the record (so what is left is what we did not read)."""
    elements = record.pop(tag, None)
    if not elements:
        return None
    text = elements[0].text
    return " ".join(text.split()) if text and text.strip() else None


def _fields(element) -> dict[str, str]:
    """A small record's child texts by tag (the first of each), cleaned; empty ones left out."""
    record = _children(element)
    return {tag: text for tag in list(record) if (text := _text(record, tag))}


def _values(elements) -> list[str]:
    """Texts of the <VALUE> children of repeated elements such as NATIONALITY/VALUE."""
    return unique(" ".join(v.text.split()) for e in elements for v in e.iterfind("VALUE") if v.text and v.text.strip())
