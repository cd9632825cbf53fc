"""The U.S. Consolidated Screening List (trade.gov): every export-screening list in one file.

The CSV download has 29 columns with multi-valued cells joined by "; ". The
JSON download, when served, has the same facts as nested lists. One entry can
appear on several lists (an SDN entry that is also on the CAPTA list), so a
listing's identity is list + entry.

Live, the CSV is asked first and the JSON second (`fallback_urls`, spiders/kit/fetch.py):
the JSON is read only when the CSV fails before its body is read (an HTTP error,
no connection, a block, a download cut short of its Content-Length). A body that
arrives cut short without the server saying so (the May–June 2026 outage cut
downloads at byte 1,998,433) fails the crawl: a ragged last row or an open quote
is `SourceTruncated`, a cut at a line end falls below the per-list ranges.

Facts of SOURCES_LIVE.md relied on (§2 and Updates):
- the CSV URL and its 29 columns: seen (moov-io/watchman default; recorded files);
  still served without a key in 2026: reported;
- the legacy JSON `api.trade.gov/static/consolidated_screening_list/consolidated.json`
  still served and still read by OpenSanctions: reported (2026); its top-level
  `results` list: seen (OpenSanctions crawler); that a JSON result's `id` equals
  the CSV's `_id`: not established, so a crawl that falls back to the JSON after
  one read from the CSV may re-key the rows that are not OFAC's;
- the 2026-05-28..06-03 truncation at byte 1,998,433 and the 2024 day without the
  SDN part: reported (ITA notices quoted in opensanctions #4310, developerportal #146).
"""

from __future__ import annotations

import re
from typing import Any

from spiders.kit import licences
from spiders.kit.base import SourceSpider
from spiders.kit.errors import SourceShapeChanged
from spiders.kit.formats import (
    clean,
    country_from_address,
    decode_json,
    hashed_id,
    plausible_iso_date,
    read_csv,
    split_multi,
    unique,
)
from spiders.kit.items import Listing

CSV_DOWNLOAD = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
JSON_DOWNLOAD = "https://api.trade.gov/static/consolidated_screening_list/consolidated.json"
LIST_CODE = re.compile(r"\(([^)]+)\)")
CSV_REQUIRED = {"source", "name", "addresses", "alt_names"}
JSON_REQUIRED = {"source", "name"}
# CSV columns that become the item's own fields; everything else known goes to `extra`.
EXTRA_FIELDS = (
    "standard_order",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
)


class CslSpider(SourceSpider):
    name = "csl"
    publisher = "International Trade Administration (trade.gov)"
    jurisdiction = "US"
    license = licences.US_GOVERNMENT_WORK
    kind = "listings"
    live_urls = [CSV_DOWNLOAD]
    fallback_urls = {CSV_DOWNLOAD: [JSON_DOWNLOAD]}
    live_format = (b"_id", b"source", b'"_id"', b'"source"', b"{", b"[")
    probe_bytes = 64 * 1024  # the CSV is about 6 MB: the probe reads its header and first rows
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
        self.require_body(response, looks_like=self.live_format)
        if response.body.lstrip()[:1] in (b"{", b"["):
            yield from self.batched(self._read_json(response))
        else:
            yield from self.batched(self._read_csv(response))

    def probe_head(self, response) -> None:
        """The live file's first bytes: the CSV's header names the required columns (the JSON starts like JSON)."""
        super().probe_head(response)
        if response.body.lstrip()[:1] not in (b"{", b"["):
            first_line = self.body_text(response).split("\n", 1)[0]
            missing = CSV_REQUIRED - {column.strip('"\r ') for column in first_line.split(",")}
            if missing:
                raise SourceShapeChanged(
                    self.name, f"{response.url} header lacks column(s): {', '.join(sorted(missing))}"
                )

    def _build_item(self, record: dict[str, Any], where: str, line: int) -> Listing:
        """One listing from one row of either download, read into the same fields (`_csv_fields`, `_json_fields`)."""
        addresses = record["addresses"]
        countries = [country_from_address(a) for a in addresses] + record["address_countries"]
        return Listing(
            source=self.name,
            list_code=self._parse_list_code(record["source"], where, line),
            list_name=record["source"],
            entry_id=self._parse_entry_id(record["identity"]),
            name=self._parse_name(record["name"]),
            entity_type=clean(record["type"]),
            alt_names=record["alt_names"],
            addresses=addresses,
            countries=unique(countries + record["nationalities"] + record["citizenships"]),
            programs=record["programs"],
            ids=record["ids"],
            title=clean(record["title"]),
            remarks=clean(record["remarks"]),
            federal_register_notice=clean(record["federal_register_notice"]),
            start_date=self._parse_date(record["start_date"], where, line),
            end_date=self._parse_date(record["end_date"], where, line),
            license_requirement=clean(record["license_requirement"]),
            license_policy=clean(record["license_policy"]),
            dates_of_birth=record["dates_of_birth"],
            places_of_birth=record["places_of_birth"],
            nationalities=record["nationalities"],
            citizenships=record["citizenships"],
            source_list_url=clean(record["source_list_url"]),
            source_information_url=clean(record["source_information_url"]),
            extra=record["extra"],
        )

    # -- CSV ----------------------------------------------------------------

    def _read_csv(self, response):
        where = response.url.rsplit("/", 1)[-1]
        header, rows = read_csv(self.body_text(response), self.name, where, CSV_REQUIRED)
        self.audit_columns(header, _CSV_COLUMNS, where)
        for line, row in rows:
            if row.get("source") == "source" and row.get("name") == "name":
                self.warn(f"{where} line {line} repeats the header row; skipped")
                continue
            yield self._build_item(self._csv_fields(row), where, line)

    @staticmethod
    def _csv_fields(row: dict[str, str]) -> dict[str, Any]:
        """A CSV row's cells, multi-valued ones split."""
        single = {key: row.get(key) for key in _SINGLE_VALUED}
        multi = {key: split_multi(row.get(key)) for key in _MULTI_VALUED}
        return {
            **single,
            **multi,
            "source": row["source"].strip(),
            "name": row["name"],
            "identity": row,
            "address_countries": [],
            "extra": {key: row[key].strip() for key in EXTRA_FIELDS if clean(row.get(key))},
        }

    # -- JSON ---------------------------------------------------------------

    def _read_json(self, response):
        where = response.url.rsplit("/", 1)[-1]
        data = decode_json(self.body_text(response), self.name, where)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise SourceShapeChanged(self.name, f"{where} has no 'results' list")
        for number, result in enumerate(data["results"], start=1):
            record = dict(result)
            self.require_fields(record, JSON_REQUIRED, f"{where} result {number}")
            listing = self._build_item(self._json_fields(record), where, number)
            self.audit_leftovers(record, where)
            yield listing

    def _json_fields(self, record: dict[str, Any]) -> dict[str, Any]:
        """A JSON result's fields (popped, so what is left is new upstream); addresses written as the CSV writes them."""
        raw_addresses = record.pop("addresses", None) or []
        addresses = [self._format_address(a) for a in raw_addresses]
        identity = {
            "_id": str(record.pop("id", "") or ""),
            "entity_number": str(record.pop("entity_number", "") or ""),
            "name": record["name"],
            "addresses": "; ".join(addresses),
        }
        extra = {key: str(record.pop(key)).strip() for key in EXTRA_FIELDS if key in record}
        single = {key: record.pop(key, None) for key in _SINGLE_VALUED}
        multi = {key: _as_list(record.pop(key, None)) for key in _MULTI_VALUED if key not in ("ids", "addresses")}
        return {
            **single,
            **multi,
            "source": record.pop("source").strip(),
            "name": record.pop("name"),
            "identity": identity,
            "addresses": addresses,
            "address_countries": [a.get("country") for a in raw_addresses if isinstance(a, dict)],
            "ids": [_format_id(i) for i in record.pop("ids", None) or []],
            "extra": {key: value for key, value in extra.items() if value and value != "None"},
        }

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
            raise SourceShapeChanged(
                self.name, f"{where} line {line}: cannot read a list code from source {source_name!r}"
            )
        code = match.group(1).strip()
        return code.removesuffix(" List")  # "NS-MBS List" -> "NS-MBS"

    @staticmethod
    def _parse_entry_id(row: dict[str, str]) -> str:
        """trade.gov's `_id` (OFAC's entity number on OFAC rows); older files lack it, so hash the row's identity."""
        for key in ("_id", "entity_number"):
            value = (row.get(key) or "").strip()
            if value:
                return value
        return hashed_id(row.get("name", ""), row.get("addresses", ""))

    @staticmethod
    def _parse_name(name: str) -> str:
        return " ".join(name.split())

    def _parse_date(self, value: str | None, where: str, line: int) -> str | None:
        value = clean(value)
        if value and not plausible_iso_date(value):
            self.warn(f"{where} line {line}: implausible date {value!r} kept as printed")
        return value


# Cells that are one value each, and cells that hold several ("; "-separated in the CSV, lists in the JSON).
_SINGLE_VALUED = (
    "type",
    "title",
    "remarks",
    "federal_register_notice",
    "start_date",
    "end_date",
    "license_requirement",
    "license_policy",
    "source_list_url",
    "source_information_url",
)
_MULTI_VALUED = (
    "alt_names",
    "addresses",
    "nationalities",
    "citizenships",
    "programs",
    "ids",
    "dates_of_birth",
    "places_of_birth",
)
_CSV_COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
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
