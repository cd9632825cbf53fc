"""The U.S. Consolidated Screening List (trade.gov): every export-screening list in one file.

The CSV download has 29 columns with multi-valued cells joined by "; ". The
JSON download, when served, has the same facts as nested lists. One entry can
appear on several lists (an SDN entry that is also on the CAPTA list), so a
listing's identity is list + entry.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.formats import clean, country_from_address, plausible_iso_date, read_csv, split_multi, unique
from spiders.kit.items import Listing

LIST_CODE = re.compile(r"\(([^)]+)\)")
CSV_REQUIRED = {"source", "name", "addresses", "alt_names"}
JSON_REQUIRED = {"source", "name"}
# CSV columns that become the item's own fields; everything else known goes to `extra`.
EXTRA_FIELDS = (
    "standard_order", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner",
)


class CslSpider(SourceSpider):
    name = "csl"
    publisher = "International Trade Administration (trade.gov)"
    jurisdiction = "US"
    kind = "listings"
    live_urls = ["https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"]
    expected_items = (5_000, 60_000)
    # The big lists, so a sub-list that vanishes for a day (ISN in 2019, SDN in 2024) is caught.
    expected_per_list = {
        "SDN": (5_000, 40_000),
        "EL": (1_000, 10_000),
        "DPL": (200, 1_500),
        "DTC": (200, 3_000),
        "SSI": (100, 1_500),
        "UVL": (50, 1_000),
    }

    def parse(self, response):
        self.require_body(response, looks_like=(b"_id", b"source", b'"_id"', b'"source"', b"{", b"["))
        if response.body.lstrip()[:1] in (b"{", b"["):
            yield from self.batched(self._parse_json(response))
        else:
            yield from self.batched(self._parse_csv(response))

    # -- CSV ----------------------------------------------------------------

    def _parse_csv(self, response):
        where = response.url.rsplit("/", 1)[-1]
        header, rows = read_csv(self.body_text(response), self.name, where, CSV_REQUIRED)
        known = set(_CSV_COLUMNS)
        for column in header:
            if column not in known:
                self.warn(f"{where}: new upstream column {column!r} is not used")
        for line, row in rows:
            if row.get("source") == "source" and row.get("name") == "name":
                self.warn(f"{where} line {line} repeats the header row; skipped")
                continue
            yield self._listing_from_csv(row, where, line)

    def _listing_from_csv(self, row: dict[str, str], where: str, line: int) -> Listing:
        source_name = row["source"].strip()
        addresses = split_multi(row.get("addresses"))
        nationalities = split_multi(row.get("nationalities"))
        citizenships = split_multi(row.get("citizenships"))
        return Listing(
            source=self.name,
            list_code=self._parse_list_code(source_name, where, line),
            list_name=source_name,
            entry_id=self._parse_entry_id(row),
            name=self._parse_name(row["name"]),
            entity_type=clean(row.get("type")),
            alt_names=split_multi(row.get("alt_names")),
            addresses=addresses,
            countries=unique([country_from_address(a) for a in addresses] + nationalities + citizenships),
            programs=split_multi(row.get("programs")),
            ids=split_multi(row.get("ids")),
            title=clean(row.get("title")),
            remarks=clean(row.get("remarks")),
            federal_register_notice=clean(row.get("federal_register_notice")),
            start_date=self._parse_date(row.get("start_date"), where, line),
            end_date=self._parse_date(row.get("end_date"), where, line),
            license_requirement=clean(row.get("license_requirement")),
            license_policy=clean(row.get("license_policy")),
            dates_of_birth=split_multi(row.get("dates_of_birth")),
            places_of_birth=split_multi(row.get("places_of_birth")),
            nationalities=nationalities,
            citizenships=citizenships,
            source_list_url=clean(row.get("source_list_url")),
            source_information_url=clean(row.get("source_information_url")),
            extra={key: row[key].strip() for key in EXTRA_FIELDS if clean(row.get(key))},
        )

    # -- JSON ---------------------------------------------------------------

    def _parse_json(self, response):
        where = response.url.rsplit("/", 1)[-1]
        try:
            data = json.loads(self.body_text(response))
        except json.JSONDecodeError as error:
            raise SourceShapeChanged(self.name, f"{where} is not valid JSON: {error}") from None
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise SourceShapeChanged(self.name, f"{where} has no 'results' list")
        for number, record in enumerate(data["results"], start=1):
            yield self._listing_from_json(dict(record), where, number)

    def _listing_from_json(self, record: dict[str, Any], where: str, number: int) -> Listing:
        context = f"{where} result {number}"
        self.require_fields(record, JSON_REQUIRED, context)
        source_name = record.pop("source").strip()
        raw_addresses = record.pop("addresses", None) or []
        addresses = [self._format_address(a) for a in raw_addresses]
        address_countries = [a.get("country") for a in raw_addresses if isinstance(a, dict)]
        nationalities = _as_list(record.pop("nationalities", None))
        citizenships = _as_list(record.pop("citizenships", None))
        identity = {"_id": str(record.pop("id", "") or ""), "entity_number": str(record.pop("entity_number", "") or ""),
                    "name": record["name"], "addresses": "; ".join(addresses)}
        extra = {key: str(record.pop(key)).strip() for key in EXTRA_FIELDS if key in record}
        listing = Listing(
            source=self.name,
            list_code=self._parse_list_code(source_name, where, number),
            list_name=source_name,
            entry_id=self._parse_entry_id(identity),
            name=self._parse_name(record.pop("name")),
            entity_type=clean(record.pop("type", None)),
            alt_names=_as_list(record.pop("alt_names", None)),
            addresses=addresses,
            countries=unique([country_from_address(a) for a in addresses] + address_countries + nationalities + citizenships),
            programs=_as_list(record.pop("programs", None)),
            ids=[_format_id(i) for i in record.pop("ids", None) or []],
            title=clean(record.pop("title", None)),
            remarks=clean(record.pop("remarks", None)),
            federal_register_notice=clean(record.pop("federal_register_notice", None)),
            start_date=self._parse_date(record.pop("start_date", None), where, number),
            end_date=self._parse_date(record.pop("end_date", None), where, number),
            license_requirement=clean(record.pop("license_requirement", None)),
            license_policy=clean(record.pop("license_policy", None)),
            dates_of_birth=_as_list(record.pop("dates_of_birth", None)),
            places_of_birth=_as_list(record.pop("places_of_birth", None)),
            nationalities=nationalities,
            citizenships=citizenships,
            source_list_url=clean(record.pop("source_list_url", None)),
            source_information_url=clean(record.pop("source_information_url", None)),
            extra={key: value for key, value in extra.items() if value and value != "None"},
        )
        self.audit_leftovers(record, where)
        return listing

    @staticmethod
    def _format_address(address: Any) -> str:
        """JSON addresses are objects; write them the way the CSV does ('street, city, ..., CC')."""
        if isinstance(address, str):
            return address.strip()
        parts = [address.get(key) for key in ("address", "city", "state", "postal_code", "country")]
        return ", ".join(str(part).strip() for part in parts if part and str(part).strip())

    # -- fields ---------------------------------------------------------------

    def _parse_list_code(self, source_name: str, where: str, line: int) -> str:
        match = LIST_CODE.search(source_name)
        if not match:
            raise SourceShapeChanged(self.name, f"{where} line {line}: cannot read a list code from source {source_name!r}")
        code = match.group(1).strip()
        return code.removesuffix(" List")  # "NS-MBS List" -> "NS-MBS"

    @staticmethod
    def _parse_entry_id(row: dict[str, str]) -> str:
        """trade.gov's `_id` (OFAC's entity number on OFAC rows); older files lack it, so hash the row's identity."""
        for key in ("_id", "entity_number"):
            value = (row.get(key) or "").strip()
            if value:
                return value
        basis = "|".join(" ".join(row.get(key, "").casefold().split()) for key in ("name", "addresses"))
        return "h" + hashlib.sha1(basis.encode()).hexdigest()[:16]

    @staticmethod
    def _parse_name(name: str) -> str:
        return " ".join(name.split())

    def _parse_date(self, value: str | None, where: str, line: int) -> str | None:
        value = clean(value)
        if value and not plausible_iso_date(value):
            self.warn(f"{where} line {line}: implausible date {value!r} kept as printed")
        return value


_CSV_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return split_multi(value)
    return [str(v).strip() for v in value if str(v).strip()]


def _format_id(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v).strip() for v in value.values() if v and str(v).strip())
    return str(value).strip()
