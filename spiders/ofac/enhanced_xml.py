"""OFAC's enhanced XML export (SDN_ENHANCED.XML, CONS_ENHANCED.XML, or the same zipped).

Shape seen in the recorded CONS_ENHANCED of 2025-01: root `sanctionsData` in
the ENHANCED_XML namespace → `publicationInfo` (dataAsOf, the list(s) the
export covers), `referenceValues` (refId → type, value, isoCode), `featureTypes`,
then `entities/entity@id` (the legacy ent_num). The SDN list is some 18,000
entities, so entities are read one at a time (iterparse) and dropped after use.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from spiders.kit.base import SourceSpider
from spiders.kit.countries import country_code
from spiders.kit.errors import SourceShapeChanged, SourceTruncated
from spiders.kit.formats import clean, unique
from spiders.kit.safe_xml import iterparse, refuse_entities
from spiders.ofac.entry import OfacEntry, address_line, ofac_date
from spiders.ofac.remarks import is_identifier_type

NAMESPACE = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"
NS = {"o": NAMESPACE}
REQUIRED = ("generalInfo", "names", "sanctionsLists")
KNOWN = {
    *REQUIRED,
    "sanctionsPrograms",
    "sanctionsTypes",
    "legalAuthorities",
    "addresses",
    "features",
    "identityDocuments",
    "relationships",
}
GENERAL_INFO = {"identityId", "entityType", "remarks", "title"}
STREET_PARTS = ("ADDRESS1", "ADDRESS2", "ADDRESS3")
# Features that become fields of their own; any other feature is kept under extra["features"].
FEATURE_FIELDS = {
    "Birthdate": "dates_of_birth",
    "Place of Birth": "places_of_birth",
    "Nationality Country": "nationalities",
    "Citizenship Country": "citizenships",
}


def q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def unzip(body: bytes, spider: SourceSpider, where: str) -> bytes:
    """The one XML file inside OFAC's .ZIP export."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = [name for name in archive.namelist() if name.lower().endswith(".xml")]
        if len(members) != 1:
            raise SourceShapeChanged(spider.name, f"{where} holds {len(members)} XML files, expected one")
        return archive.read(members[0])
    except (zipfile.BadZipFile, EOFError) as error:
        raise SourceTruncated(spider.name, f"{where} is not a readable zip: {error}") from None


class PublicationInfo:
    def __init__(self) -> None:
        self.data_as_of: str | None = None
        self.lists: list[str] = []


def read_entities(body: bytes, spider: SourceSpider, where: str, info: PublicationInfo) -> Iterator[OfacEntry]:
    """Every entity in the export, in file order; `info` is filled in as the header is read."""
    head = body[:4096]
    if b"sanctionsData" not in head or NAMESPACE.encode() not in head:
        raise SourceShapeChanged(
            spider.name, f"{where} is XML but not an OFAC enhanced export (no sanctionsData in its namespace)"
        )
    refuse_entities(body, spider.name, where)
    references: dict[str, etree._Element] = {}
    events = iterparse(
        body, events=("end",), tag=(q("publicationInfo"), q("referenceValue"), q("entity")), huge_tree=True
    )
    count = 0
    try:
        for _, element in events:
            if element.tag == q("entity"):
                count += 1
                yield _entry(element, references, spider, where)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
            elif element.tag == q("referenceValue"):
                references[element.get("refId")] = element
            else:
                info.data_as_of = element.findtext("o:dataAsOf", namespaces=NS)
                info.lists = [
                    e.text for e in element.iterfind("o:filters/o:sanctionsLists/o:sanctionsList", NS) if e.text
                ]
    except etree.XMLSyntaxError as error:
        raise SourceTruncated(spider.name, f"{where} is not well-formed XML after {count} entities: {error}") from None
    if count == 0:
        raise SourceShapeChanged(spider.name, f"{where} has no entities/entity elements")


def _entry(element, references, spider: SourceSpider, where: str) -> OfacEntry:
    ent_num = element.get("id")
    context = f"{where} entity {ent_num}"
    children = {etree.QName(child).localname: child for child in element}
    missing = [name for name in REQUIRED if name not in children]
    if not ent_num or missing:
        raise SourceShapeChanged(spider.name, f"{context} lacks required element(s): {', '.join(missing or ['@id'])}")
    for name in sorted(set(children) - KNOWN):
        spider.warn(f"{where}: new upstream element {name!r} in entity is not used")
    general = _general_info(children["generalInfo"], spider, where)
    names, alt_names, weak = _parse_names(children["names"])
    if not names:
        raise SourceShapeChanged(spider.name, f"{context} has no primary name")
    entry = OfacEntry(
        ent_num=ent_num,
        name=names[0],
        entity_type=general.get("entityType") or "Entity",
        programs=_texts(children.get("sanctionsPrograms"), "o:sanctionsProgram"),
        lists={
            e.text: e.get("datePublished") for e in children["sanctionsLists"].iterfind("o:sanctionsList", NS) if e.text
        },
        alt_names=unique(names[1:] + alt_names),
        weak_aliases=weak,
        title=general.get("title"),
        remarks=general.get("remarks"),
    )
    _parse_addresses(entry, children.get("addresses"), references)
    _parse_features(entry, children.get("features"), references)
    _parse_documents(entry, children.get("identityDocuments"))
    linked = _texts(children.get("relationships"), "o:relationship/o:relatedEntity")
    if linked:
        entry.extra["linked_to"] = linked
    for key, tag in (("sanctions_types", "sanctionsTypes"), ("legal_authorities", "legalAuthorities")):
        values = _texts(children.get(tag), "o:*")
        if values:
            entry.extra[key] = values
    entry.countries = unique(entry.countries)
    return entry


def _general_info(element, spider: SourceSpider, where: str) -> dict[str, str]:
    info = {etree.QName(child).localname: clean(child.text) for child in element}
    for name in sorted(set(info) - GENERAL_INFO):
        spider.warn(f"{where}: new upstream element {name!r} in generalInfo is not used")
    return info


def _parse_names(element) -> tuple[list[str], list[str], list[str]]:
    """(primary name and its other scripts, aliases, weak aliases)."""
    primary: list[str] = []
    aliases: list[str] = []
    weak: list[str] = []
    for name in element.iterfind("o:name", NS):
        is_primary = name.findtext("o:isPrimary", namespaces=NS) == "true"
        is_weak = name.findtext("o:isLowQuality", namespaces=NS) == "true"
        for translation in name.iterfind("o:translations/o:translation", NS):
            full = clean(translation.findtext("o:formattedFullName", namespaces=NS))
            if not full:
                continue
            full = " ".join(full.split())
            if is_primary:
                # The primary translation is the name; other scripts of it are aliases.
                if translation.findtext("o:isPrimary", namespaces=NS) == "true":
                    primary.insert(0, full)
                else:
                    primary.append(full)
            else:
                (weak if is_weak else aliases).append(full)
    return primary, aliases, weak


def _parse_addresses(entry: OfacEntry, element, references) -> None:
    if element is None:
        return
    for address in element.iterfind("o:address", NS):
        country_element = address.find("o:country", NS)
        country = clean(country_element.text) if country_element is not None else None
        code = _country_code(country_element, references)
        if code:
            entry.countries.append(code)
        for translation in address.iterfind("o:translations/o:translation", NS):
            parts: dict[str, str] = {}
            for part in translation.iterfind("o:addressParts/o:addressPart", NS):
                kind, value = part.findtext("o:type", namespaces=NS), clean(part.findtext("o:value", namespaces=NS))
                if kind and value:
                    parts[kind] = value
            line = address_line(
                [parts.get(p) for p in STREET_PARTS],
                parts.get("CITY"),
                parts.get("STATE/PROVINCE"),
                parts.get("POSTAL CODE"),
                parts.get("REGION"),
                country,
            )
            if line:
                entry.addresses.append(line)


def _parse_features(entry: OfacEntry, element, references) -> None:
    if element is None:
        return
    others: dict[str, list[str]] = {}
    for feature in element.iterfind("o:feature", NS):
        kind = clean(feature.findtext("o:type", namespaces=NS))
        value = clean(feature.findtext("o:value", namespaces=NS))
        if not kind or not value:
            continue
        value = " ".join(value.split())
        field = FEATURE_FIELDS.get(kind)
        if field == "dates_of_birth":
            entry.dates_of_birth.append(ofac_date(value))
        elif field:
            getattr(entry, field).append(value)
            if field in ("nationalities", "citizenships"):
                code = _reference_iso(feature.findtext("o:valueRefId", namespaces=NS), references) or country_code(
                    value
                )
                if code:
                    entry.countries.append(code)
        elif kind == "Gender":
            entry.extra["gender"] = value
        elif kind == "Title":
            entry.title = value
        elif is_identifier_type(kind):
            entry.ids.append(f"{kind} {value}")
        else:
            others.setdefault(kind, []).append(value)
    if others:
        entry.extra["features"] = others


def _parse_documents(entry: OfacEntry, element) -> None:
    """Identity documents, written as OFAC's legacy remarks write them: 'Passport A123 (Iran)'."""
    if element is None:
        return
    for document in element.iterfind("o:identityDocument", NS):
        kind = clean(document.findtext("o:type", namespaces=NS))
        number = clean(document.findtext("o:documentNumber", namespaces=NS))
        country = clean(document.findtext("o:issuingCountry", namespaces=NS))
        if not number:
            continue
        text = f"{kind} {number}" if kind else number
        entry.ids.append(f"{text} ({country})" if country else text)


def _country_code(element, references) -> str | None:
    if element is None:
        return None
    return _reference_iso(element.get("refId"), references) or country_code(element.text)


def _reference_iso(ref_id: str | None, references) -> str | None:
    reference = references.get(ref_id or "")
    return clean(reference.findtext("o:isoCode", namespaces=NS)) if reference is not None else None


def _texts(element, path: str) -> list[str]:
    if element is None:
        return []
    return unique(" ".join(e.text.split()) for e in element.iterfind(path, NS) if e.text and e.text.strip())
