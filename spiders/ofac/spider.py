"""What the two OFAC spiders share: fetching, format detection, one listing per list.

The format is told by the body, never by the URL: `<?xml` is the enhanced
export, `PK` its zip, and a body starting with an entry number is a legacy
primary CSV, whose address, alias and comment files are then fetched from the
same directory, one after the other, carrying the entries in `cb_kwargs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

import scrapy

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceBlocked, SourceError, SourceShapeChanged
from spiders.kit.items import Listing
from spiders.kit.useragent import BROWSER_USER_AGENT
from spiders.ofac import enhanced_xml, legacy_csv
from spiders.ofac.entry import OfacEntry

# The download path of OFAC's Sanctions List Service API documentation (reported: opensanctions issue #5238,
# 2026-07-31; whether it offers the *_ENHANCED.XML files is not established), then the path the old
# treasury.gov URLs redirect to (seen: moov-io/watchman defaults; reported: #5238), asked in that order.
SLS_DOWNLOAD = "https://sanctionslistservice.ofac.treas.gov/api/download/"
SLS_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
# What a live OFAC file starts with: the enhanced XML, or its zip. Anything else is a firewall's answer.
LIVE_FORMAT = (b"<?xml", b"<sanctionsData", b"PK")
DIGITS = tuple(str(digit).encode() for digit in range(10))
UMBRELLA_LIST = "Consolidated List"  # every non-SDN entry is on it besides its own list
# OFAC's list names (enhanced XML `sanctionsList`, ENTITY LISTING TYPE reference values) -> our short codes.
LIST_CODES = {
    "SDN List": "SDN",
    "Sectoral Sanctions Identifications List": "SSI",
    "Non-SDN Palestinian Legislative Council List": "NS-PLC",
    "Non-SDN CMIC List": "CMIC",
    "Non-SDN Menu-Based Sanctions List": "NS-MBS",
    "FSE List": "FSE",
    "CAPTA List": "CAPTA",
}
LIST_NAMES = {code: name for name, code in LIST_CODES.items()}
LIST_NAMES["SDN"] = "Specially Designated Nationals and Blocked Persons List (SDN)"
UNSTATED_LIST = "CONS"  # a legacy consolidated entry whose programs name no list
LIST_NAMES[UNSTATED_LIST] = "Consolidated List (non-SDN), list not stated"


@dataclass(frozen=True)
class CsvFiles:
    """The legacy file names of one list, as OFAC spells them in lower case."""

    primary: str
    addresses: str
    aliases: str
    comments: str

    def urls(self, primary_url: str) -> dict[str, str]:
        """Sibling URLs in the primary file's directory, in the primary's letter case (CONS_PRIM.CSV -> CONS_ADD.CSV)."""
        directory, _, file_name = primary_url.rpartition("/")
        upper = file_name.isupper()
        return {
            kind: f"{directory}/{name.upper() if upper else name}"
            for kind, name in (("addresses", self.addresses), ("aliases", self.aliases), ("comments", self.comments))
        }


def is_directory_url(url: str) -> bool:
    """A URL naming a directory: ends in '/', or its last segment has no file extension."""
    path = urlsplit(url).path
    return path.endswith("/") or "." not in path.rsplit("/", 1)[-1]


class OfacListSpider(SourceSpider):
    publisher = "U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)"
    jurisdiction = "US"
    license = licences.US_GOVERNMENT_WORK
    kind = "listings"
    # The SLS host sits behind an AWS WAF that passes a User-Agent starting "Mozilla/<digit>",
    # at least 40 characters long (SOURCES_LIVE §3 and Updates; reported: opensanctions issue #5237).
    custom_settings = {"USER_AGENT": BROWSER_USER_AGENT}
    live_format = LIVE_FORMAT
    foreign_body = SourceBlocked  # a live body that is not XML or a zip is a firewall's, not a new format
    # SLS answers with a redirect to a short-lived signed S3 URL (reported): not a move.
    redirect_hosts = ("*.amazonaws.com",)
    probe_bytes = 64 * 1024  # the exports run to tens of MB: the probe reads their start

    def probe_head(self, response) -> None:
        """The start of the live export: XML whose root is sanctionsData, or a zip."""
        super().probe_head(response)
        body = response.body.lstrip(b"\xef\xbb\xbf \t\r\n")
        if body.startswith(b"<") and b"<sanctionsData" not in body[:4096]:
            raise SourceShapeChanged(self.name, f"{response.url} is XML but not an enhanced export (no sanctionsData)")

    csv_files: ClassVar[CsvFiles]
    export_list: ClassVar[str]  # the list the spider's enhanced export says it covers
    source_information_url: ClassVar[str]

    async def start(self):
        for url in self.start_urls:
            if is_directory_url(url):
                url = f"{url.rstrip('/')}/{self.csv_files.primary}"
            yield self.request(url, self.parse)

    def parse(self, response):
        """An enhanced export (XML or its zip), or a legacy primary CSV whose sibling files are fetched next."""
        self.require_body(response, looks_like=(b"<?xml", b"<sanctionsData", b"PK", *DIGITS))
        where = _file_name(response.url)
        body = response.body.lstrip(b"\xef\xbb\xbf \t\r\n")
        if body.startswith(b"PK"):
            body = enhanced_xml.unzip(body, self, where)
        if body.startswith(b"<"):
            yield from self.batched(self._read_xml(body, where))
            return
        entries = legacy_csv.read_primary(self.body_text(response), self, where)
        urls = self.csv_files.urls(response.url)
        yield scrapy.Request(
            urls["addresses"],
            callback=self.parse_addresses,
            errback=self.on_download_error,
            cb_kwargs={"entries": entries, "urls": urls},
        )

    # -- legacy CSV: one file after another -------------------------------------

    def parse_addresses(self, response, entries: dict[str, OfacEntry], urls: dict[str, str]):
        self.require_body(response, looks_like=DIGITS)
        legacy_csv.add_addresses(entries, self.body_text(response), self, _file_name(response.url))
        yield scrapy.Request(
            urls["aliases"],
            callback=self.parse_aliases,
            errback=self.on_download_error,
            cb_kwargs={"entries": entries, "urls": urls},
        )

    def parse_aliases(self, response, entries: dict[str, OfacEntry], urls: dict[str, str]):
        self.require_body(response, looks_like=DIGITS)
        legacy_csv.add_aliases(entries, self.body_text(response), self, _file_name(response.url))
        yield scrapy.Request(
            urls["comments"],
            callback=self.parse_comments,
            errback=self.comments_unavailable,
            cb_kwargs={"entries": entries, "urls": urls},
        )

    def parse_comments(self, response, entries: dict[str, OfacEntry], urls: dict[str, str]):
        if response.body.strip(b"\x1a\r\n "):
            self.require_body(response, looks_like=DIGITS)
            legacy_csv.add_comments(entries, self.body_text(response), self, _file_name(response.url))
        yield from self.batched(self._read_csv(entries))

    def comments_unavailable(self, failure):
        """The comments file only completes long remarks: without it the list is still whole (but not a bad one)."""
        if isinstance(failure.value, SourceError):  # fetched, but undecodable or refused
            self.on_download_error(failure)
        request = failure.request
        self.warn(
            f"{_file_name(request.url)} could not be fetched ({failure.getErrorMessage()}); "
            "remarks longer than 1,000 characters stay cut"
        )
        yield from self.batched(self._read_csv(request.cb_kwargs["entries"]))

    def _read_csv(self, entries: dict[str, OfacEntry]):
        for entry in legacy_csv.finish(entries, self, self.csv_files.primary):
            for code, published in self.csv_memberships(entry):
                yield self._build_item(entry, code, published)

    # -- enhanced XML ---------------------------------------------------------------

    def _read_xml(self, body: bytes, where: str):
        info = enhanced_xml.PublicationInfo()
        for number, entry in enumerate(enhanced_xml.read_entities(body, self, where, info)):
            if number == 0 and info.lists and self.export_list not in info.lists:
                # Only a warning: the SDN export's header is not recorded anywhere; a wrong file fails the count range.
                self.warn(
                    f"{where} is the {', '.join(info.lists)} export, not the {self.export_list} this spider expects"
                )
            memberships = []
            for list_name, published in (entry.lists or {}).items():
                if list_name == UMBRELLA_LIST:
                    continue
                code = LIST_CODES.get(list_name) or self._new_list_code(list_name, where)
                memberships.append((code, published))
            chosen = self.xml_memberships(entry, memberships)
            if not chosen:
                self.warn(
                    f"{where}: entity {entry.ent_num} is on none of this spider's lists ({', '.join(entry.lists)}); skipped"
                )
            others = sorted(code for code, _ in memberships if code not in {c for c, _ in chosen})
            if others:
                entry.extra["also_on"] = others
            for code, published in chosen:
                yield self._build_item(entry, code, published)

    def _new_list_code(self, list_name: str, where: str) -> str:
        code = list_name.removesuffix(" List").upper().replace(" ", "-")
        self.warn(f"{where}: new OFAC list {list_name!r} listed under code {code!r}")
        return code

    # -- what each spider decides ------------------------------------------------------

    def xml_memberships(
        self, entry: OfacEntry, memberships: list[tuple[str, str | None]]
    ) -> list[tuple[str, str | None]]:
        """(list code, date published) pairs this spider lists the entry under."""
        raise NotImplementedError

    def csv_memberships(self, entry: OfacEntry) -> list[tuple[str, str | None]]:
        raise NotImplementedError

    # -- building listings ----------------------------------------------------------------

    def _build_item(self, entry: OfacEntry, code: str, published: str | None) -> Listing:
        """One listing of an entry on one list (either format reads into the same `OfacEntry`)."""
        return Listing(
            source=self.name,
            list_code=code,
            list_name=LIST_NAMES.get(code, code),
            entry_id=entry.ent_num,
            name=entry.name,
            entity_type=entry.entity_type,
            alt_names=entry.alt_names,
            addresses=entry.addresses,
            countries=entry.countries,
            programs=entry.programs,
            ids=entry.ids,
            title=entry.title,
            remarks=entry.remarks,
            start_date=published,
            dates_of_birth=entry.dates_of_birth,
            places_of_birth=entry.places_of_birth,
            nationalities=entry.nationalities,
            citizenships=entry.citizenships,
            source_information_url=self.source_information_url,
            extra=self._parse_extra(entry),
        )

    @staticmethod
    def _parse_extra(entry: OfacEntry) -> dict:
        extra = dict(entry.extra)
        if entry.weak_aliases:
            extra["weak_aliases"] = entry.weak_aliases
        return extra


def _file_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or url
