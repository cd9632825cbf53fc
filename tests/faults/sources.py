"""Every spider's saved responses (`tests/files/<spider>/`) as a site the fault server serves, and the edits faults make.

A `Source` knows, for its spider: the files of a healthy site and the one `--url`
names; which file holds the records ("rows": CSV rows, XML entries, JSON results,
table rows, announcements, PDF table rows) and how to split and join it; how to
rename a required and an optional field; a body of another shape; where a name
sits, to put an invalid byte in; and, for XML sources, the XML the entity attacks
replace.

Lists whose saved response is small are scaled: each record is copied under a new
id (`scale` copies in all), so that losing a fifth of them is more than the gate's
25-entry floor and the guards are exercised, not just the small-list allowance. The
copies are variants of the saved real records, made at test time; nothing of them
is committed.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from spiders.meti import sample_pdf
from tests.kit.files import FILES

Site = dict[str, bytes]  # path on the server -> body


class NotApplicable(Exception):
    """This fault has no meaning for this source (the reason says why)."""


@dataclass
class Records:
    head: object
    items: list
    tail: object = None


class Source:
    spider: str
    kind: str  # "listings" or "documents"
    entry: str  # the path `--url` names
    list_file: str  # the file whose records the rows faults cut
    expect: str | None = "1:5000"  # --expect for crawls (None: the spider's own declared range)
    scale: int = 1
    name_sample: bytes = b""  # bytes inside a name or title of the list file (where an invalid byte goes)
    xml_file: str | None = None  # the XML file entity attacks replace (XML sources only)
    required_field: str = ""  # named in the failure when renamed (or `required_detail`, what the failure says)
    required_detail: str = ""
    optional_field: str = ""  # the stored field a renamed optional one would empty
    not_applicable: dict[str, str] = {}  # fault -> why it does not apply

    def saved(self) -> Site:
        raise NotImplementedError

    @cached_property
    def baseline(self) -> Site:
        """The healthy site the stored baseline was crawled from (saved files, records scaled)."""
        site = self.saved()
        records = self.split(site[self.list_file])
        items = [self.copy(item, k) for k in range(1, self.scale) for item in records.items]
        site[self.list_file] = self.join(Records(records.head, records.items + items, records.tail))
        return site

    # -- records --------------------------------------------------------------------------------

    def split(self, body: bytes) -> Records:
        raise NotImplementedError

    def join(self, records: Records) -> bytes:
        raise NotImplementedError

    def copy(self, item, k: int):
        """The k-th copy of a record under a new id."""
        raise NotImplementedError

    def with_records(self, keep) -> Site:
        """The baseline with the list file's records replaced by `keep(records)`."""
        site = dict(self.baseline)
        records = self.split(site[self.list_file])
        items = keep(records.items)
        if items == records.items:
            raise AssertionError(f"{self.spider}: the edit of {self.list_file} changed nothing")
        site[self.list_file] = self.join(Records(records.head, items, records.tail))
        return site

    # -- fields ---------------------------------------------------------------------------------

    def renamed_required(self) -> Site:
        raise NotApplicable("no named required field")

    def renamed_optional(self) -> Site:
        raise NotApplicable("no named optional field")

    def other_shape(self) -> bytes:
        """A well-formed body of another shape, served where the entry is."""
        raise NotImplementedError

    def edited(self, path: str, old: bytes, new: bytes, count: int = -1) -> Site:
        site = dict(self.baseline)
        assert old in site[path], f"{old!r} is not in {path}: the edit would find nothing"
        site[path] = site[path].replace(old, new, count)
        return site

    def with_invalid_byte(self) -> Site:
        """One byte that is not UTF-8 (Windows-1252's en dash) inside a name."""
        return self.edited(self.list_file, self.name_sample, self.name_sample[:3] + b"\x96" + self.name_sample[3:], 1)

    def changed(self) -> Site:
        """The baseline with one name changed: a crawl with something to tag."""
        return self.edited(self.list_file, self.name_sample, self.name_sample + b" CHANGED", 1)


# -- formats ------------------------------------------------------------------------------------------


class CsvSource(Source):
    delimiter = ","
    header = True

    def split(self, body: bytes) -> Records:
        text = body.decode("utf-8")
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=self.delimiter))
        rows = [row for row in rows if row]
        if self.header:
            return Records((bom, rows[0]), rows[1:])
        return Records((bom, None), rows)

    def join(self, records: Records) -> bytes:
        bom, header = records.head
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator="\r\n")
        if header is not None:
            writer.writerow(header)
        writer.writerows(records.items)
        return (bom + out.getvalue()).encode("utf-8")

    def renamed_column(self, old: str, new: str) -> Site:
        site = dict(self.baseline)
        records = self.split(site[self.list_file])
        bom, header = records.head
        assert old in header
        site[self.list_file] = self.join(Records((bom, [new if c == old else c for c in header]), records.items))
        return site


class XmlSource(Source):
    record_path: str  # XPath to the records (namespaces as NS)
    namespaces: dict[str, str] = {}

    def split(self, body: bytes) -> Records:
        tree = etree.fromstring(body)
        items = tree.xpath(self.record_path, namespaces=self.namespaces)
        return Records(tree, [(item.getparent(), item) for item in items])

    def join(self, records: Records) -> bytes:
        tree = copy.deepcopy(records.head)
        parents = {}
        for parent in tree.xpath(self.record_path + "/..", namespaces=self.namespaces):
            for child in parent.xpath(self.record_path.rsplit("/", 1)[-1], namespaces=self.namespaces):
                parent.remove(child)
            parents[parent.tag] = parent
        for parent, item in records.items:
            parents[parent.tag].append(copy.deepcopy(item))
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    def renamed_element(self, old: str, new: str) -> Site:
        return renamed_tag(self.baseline, self.list_file, old, new)


class JsonResultsSource(Source):
    """A Federal Register answer: {"count", ..., "results": [...]}."""

    def split(self, body: bytes) -> Records:
        page = json.loads(body)
        return Records(page, page["results"])

    def join(self, records: Records) -> bytes:
        return json.dumps({**records.head, "results": records.items}).encode()

    def copy(self, item, k: int):
        raise AssertionError("documents are not scaled")

    def renamed_key(self, old: str, new: str) -> Site:
        site = dict(self.baseline)
        records = self.split(site[self.list_file])
        renamed = [{(new if key == old else key): value for key, value in item.items()} for item in records.items]
        site[self.list_file] = self.join(Records(records.head, renamed))
        return site

    def other_shape(self) -> bytes:
        return b'{"errors": {"request": "rate limit exceeded"}}'


class HtmlRowsSource(Source):
    """Records are repeated elements of a page, cut out as text (the rest of the page stays byte for byte)."""

    record: re.Pattern

    def split(self, body: bytes) -> Records:
        text = body.decode("utf-8")
        matches = list(self.record.finditer(text))
        return Records(text[: matches[0].start()], [m.group(0) for m in matches], text[matches[-1].end() :])

    def join(self, records: Records) -> bytes:
        return (records.head + "\n".join(records.items) + records.tail).encode("utf-8")

    def other_shape(self) -> bytes:
        return (
            b"<!DOCTYPE html>\n<html><head><title>Page moved</title></head>"
            b"<body><div class='page-body'><p>This page has moved.</p></div></body></html>\n"
        )


# -- the sources --------------------------------------------------------------------------------------


def renamed_tag(site: Site, path: str, old: str, new: str) -> Site:
    """Every <old> element of `path` renamed <new> (start and end tags)."""
    body = site[path]
    assert f"<{old}>".encode() in body, f"no <{old}> in {path}"
    body = body.replace(f"<{old}>".encode(), f"<{new}>".encode()).replace(f"</{old}>".encode(), f"</{new}>".encode())
    return {**site, path: body}


def _read(*parts: str) -> bytes:
    return FILES.joinpath(*parts).read_bytes()


class Csl(CsvSource):
    spider, kind, entry, list_file = "csl", "listings", "/consolidated.csv", "/consolidated.csv"
    scale = 3
    name_sample = b"HUAWEI TECHNOLOGIES"
    required_field, optional_field = "name", "programs"

    def saved(self) -> Site:
        return {"/consolidated.csv": _read("csl", "consolidated.csv")}

    def copy(self, row, k):
        row = list(row)
        row[0] = f"{row[0]}-{k}"  # _id
        return row

    def renamed_required(self) -> Site:
        return self.renamed_column("name", "entity_name")

    def renamed_optional(self) -> Site:
        return self.renamed_column("programs", "program_list")

    def other_shape(self) -> bytes:
        return b"id,title,published\r\n1,Consolidated Screening List moved,2026-11-28\r\n"


class BisDenied(CsvSource):
    spider, kind, entry, list_file = "bis_denied", "listings", "/dpl_page.html", "/dpl_export.csv"
    scale = 60
    name_sample = b"GIE KERMAN AVIATION"
    required_field, optional_field = "name_and_address", "federal_register_notice"

    def saved(self) -> Site:
        return {
            "/dpl_page.html": _read("bis_denied", "dpl_page.html"),
            "/dpl_export.csv": _read("bis_denied", "dpl_export.csv"),
        }

    def copy(self, row, k):
        name, _, address = row[0].partition(",")
        return [f"{name} {k},{address}", *row[1:]]

    def renamed_required(self) -> Site:
        return self.renamed_column("Name and Address", "Name & Address")

    def renamed_optional(self) -> Site:
        return self.renamed_column("Appropriate Federal Register Citations", "FR Citations")

    def other_shape(self) -> bytes:
        return self.baseline["/dpl_page.html"].replace(b"Export as CSV", b"Export as Excel")


class OfacSdn(CsvSource):
    spider, kind, entry, list_file = "ofac_sdn", "listings", "/sdn.csv", "/sdn.csv"
    header = False
    scale = 25
    name_sample = b"BANCO NACIONAL DE CUBA"
    xml_file = "/SDN_ENHANCED.XML"
    linked = ("/add.csv", "/alt.csv", "/sdn_comments.csv")
    not_applicable = {
        "renamed_required": "OFAC's legacy CSV files have no header: fields are read by position "
        "(a dropped column is `other_shape`'s and test_ofac_sdn's case)",
        "renamed_optional": "OFAC's legacy CSV files have no header: fields are read by position",
    }

    def saved(self) -> Site:
        site = {f"/{name}": _read("ofac_sdn", name) for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")}
        site[self.xml_file] = _read("ofac_consolidated", "cons_enhanced.xml")  # the attacks' carrier: same format
        return site

    @cached_property
    def baseline(self) -> Site:
        site = super().baseline
        for path in self.linked:  # the linked files' rows follow their entries' copies
            records = self.split(site[path])
            copies = [self.copy(item, k) for k in range(1, self.scale) for item in records.items]
            site[path] = self.join(Records(records.head, records.items + copies))
        return site

    def split(self, body: bytes) -> Records:
        return super().split(body.rstrip(b"\x1a\r\n"))  # OFAC ends its files with a Ctrl-Z

    def join(self, records: Records) -> bytes:
        return super().join(records) + b"\x1a"

    def copy(self, row, k):
        return [str(int(row[0]) + 100_000 * k), *row[1:]]

    def linked_file_cut(self, path: str, share: float) -> Site:
        """One linked file (aliases, addresses) with only its first `share` of rows."""
        site = dict(self.baseline)
        records = self.split(site[path])
        site[path] = self.join(Records(records.head, records.items[: int(len(records.items) * share)]))
        return site

    def other_shape(self) -> bytes:
        return b'<?xml version="1.0" encoding="utf-8"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd"/>\n'


class OfacConsolidated(XmlSource):
    spider, kind, entry, list_file = "ofac_consolidated", "listings", "/CONS_ENHANCED.XML", "/CONS_ENHANCED.XML"
    xml_file = "/CONS_ENHANCED.XML"
    scale = 20
    namespaces = {"o": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"}
    record_path = "/o:sanctionsData/o:entities/o:entity"
    name_sample = b"<formattedFullName>HANIYA, Ismail Abdul Salah"  # a primary name: tagging reads it
    required_field, optional_field = "names", "addresses"

    def saved(self) -> Site:
        return {self.entry: _read("ofac_consolidated", "cons_enhanced.xml")}

    def copy(self, item, k):
        parent, entity = item
        entity = copy.deepcopy(entity)
        entity.set("id", str(int(entity.get("id")) + 1_000_000 * k))
        return parent, entity

    def renamed_required(self) -> Site:
        return self.renamed_element("names", "nameList")

    def renamed_optional(self) -> Site:
        return self.renamed_element("addresses", "addressList")

    def other_shape(self) -> bytes:
        return b'<?xml version="1.0" encoding="utf-8"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd"/>\n'


class UnConsolidated(XmlSource):
    spider, kind, entry, list_file = "un_consolidated", "listings", "/consolidated.xml", "/consolidated.xml"
    xml_file = "/consolidated.xml"
    scale = 15
    record_path = "/CONSOLIDATED_LIST/*/INDIVIDUAL | /CONSOLIDATED_LIST/*/ENTITY"
    name_sample = b"BADEGE"
    required_field, optional_field = "DATAID", "remarks"

    def saved(self) -> Site:
        return {self.entry: _read("un_consolidated", "consolidated.xml")}

    def join(self, records: Records) -> bytes:
        tree = copy.deepcopy(records.head)
        sections = {section.tag: section for section in tree}
        for section in sections.values():
            for child in list(section):
                section.remove(child)
        for parent, item in records.items:
            sections[parent.tag].append(copy.deepcopy(item))
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    def copy(self, item, k):
        parent, record = item
        record = copy.deepcopy(record)
        data_id = record.find("DATAID")
        data_id.text = str(int(data_id.text) + 1_000_000 * k)
        return parent, record

    def renamed_required(self) -> Site:
        return self.renamed_element("DATAID", "DATA_ID")

    def renamed_optional(self) -> Site:
        return self.renamed_element("COMMENTS1", "COMMENTS")

    def other_shape(self) -> bytes:
        return b'<?xml version="1.0" encoding="UTF-8"?>\n<sanctionsData><entities/></sanctionsData>\n'


class FccCovered(HtmlRowsSource):
    spider, kind, entry, list_file = "fcc_covered", "listings", "/coveredlist.html", "/coveredlist.html"
    expect = None  # twice the saved table is 16 listings: inside the declared 11..40, which stops deep cuts
    scale = 2
    record = re.compile(r"<tr>\s*<td>.*?</tr>", re.DOTALL)
    name_sample = b"ZTE Corporation"
    required_field = "Covered Equipment or Services"
    not_applicable = {"renamed_optional": "the Covered List table has two columns, both required"}

    def saved(self) -> Site:
        return {self.entry: _read("fcc_covered", "coveredlist.html")}

    def copy(self, row, k):
        if "<strong>" in row:
            return row.replace("</strong>", f" {k}</strong>")
        return row.replace("<td>", f"<td>(copy {k}) ", 1)

    def renamed_required(self) -> Site:
        return self.edited(self.entry, b"Covered Equipment or Services", b"Covered Items", 1)


class MetiEndUser(Source):
    spider, kind, entry, list_file = (
        "meti_end_user",
        "listings",
        "/trade_control_index.html",
        "/policy/anpo/20250929_3.pdf",
    )
    scale = 15  # 30 entries: a PDF costs pdfplumber time per page, so the list is kept to two pages
    required_field = "Company or Organization"
    required_detail = "is neither the End User List table nor a numbered export-ban list"
    not_applicable = {
        "renamed_optional": "the two real entries print no alias and no conventional-weapons mark, "
        "so the optional columns hold nothing a rename could lose",
    }

    def saved(self) -> Site:
        header, *rows = sample_pdf.PAGES[0]
        rows = [list(row[1:]) for row in rows]
        rows[-1][1] = f"{rows[-1][1]} {sample_pdf.PAGES[1][0][2]}"  # the entry the sample cuts over a page break
        return {
            "/trade_control_index.html": _read("meti_end_user", "trade_control_index.html"),
            "/review_end_user_list.html": _read("meti_end_user", "review_end_user_list.html"),
            self.list_file: self.join(Records(header, rows)),
        }

    def split(self, body: bytes) -> Records:
        return self._built[body]  # a PDF is not read back here: each one this source built remembers its rows

    def join(self, records: Records) -> bytes:
        rows = [[str(number), *row] for number, row in enumerate(records.items, start=1)]
        pages = [[records.head, *rows[start : start + 15]] for start in range(0, len(rows), 15)]
        with tempfile.TemporaryDirectory() as folder:
            body = sample_pdf.build(Path(folder) / "list.pdf", pages).read_bytes()
        self._built[body] = records
        return body

    @cached_property
    def _built(self) -> dict[bytes, Records]:
        return {}

    def copy(self, row, k):
        return [row[0], f"{row[1]} {k}", *row[2:]]

    def with_invalid_byte(self) -> Site:
        # A PDF's bytes are not text (pdfplumber decodes its fonts): the page that links it carries the byte.
        return self.edited(self.entry, b"Review of the End User List", b"Review of the End\x96User List", 1)

    def changed(self) -> Site:
        return self.with_records(lambda items: [[items[0][0], items[0][1] + " CHANGED", *items[0][2:]], *items[1:]])

    def renamed_required(self) -> Site:
        site = dict(self.baseline)
        records = self.split(site[self.list_file])
        header = [cell.replace("Company or Organization", "Organization name") for cell in records.head]
        site[self.list_file] = self.join(Records(header, records.items))
        return site

    def other_shape(self) -> bytes:
        return (
            b"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>Security Export Control Policy</title>"
            b"</head><body><p>This page has moved.</p></body></html>\n"
        )


class Mofcom(Source):
    spider, kind, entry, list_file = "mofcom", "listings", "/list.json", "/list.json"
    expect = "1:100"
    name_sample = "洛克希德".encode()
    required_field = "data.html"
    not_applicable = {
        "renamed_optional": "announcements are free text: the list answer has no optional named field",
        "every_5th_dropped": "the saved list holds 4 announcements: there is no 5th to drop",
    }

    def saved(self) -> Site:
        site = {"/list.json": _read("mofcom", "list.json")}
        for path in FILES.joinpath("mofcom", "zwgk").rglob("*.html"):
            site["/" + str(path.relative_to(FILES / "mofcom"))] = path.read_bytes()
        return site

    def split(self, body: bytes) -> Records:
        answer = json.loads(body)
        html = answer["data"]["html"]
        items = re.findall(r"<li>.*?</li>", html)
        start, end = html.index(items[0]), html.rindex(items[-1]) + len(items[-1])
        return Records((answer, html[:start]), items, html[end:])

    def join(self, records: Records) -> bytes:
        answer, head = records.head
        return json.dumps(
            {**answer, "data": {"html": head + "".join(records.items) + records.tail}}, ensure_ascii=False
        ).encode()

    def renamed_required(self) -> Site:
        return self.edited(self.entry, b'"html":', b'"body":', 1)

    def other_shape(self) -> bytes:
        return '{"success": false, "message": "系统繁忙"}'.encode()

    def changed(self) -> Site:
        path = "/zwgk/zcfb/art/2023/art_00000000000000000000000000000001.html"
        return self.edited(
            path,
            "洛克希德·马丁公司（Lockheed Martin Corporation）".encode(),
            "洛克希德·马丁公司（Lockheed Martin Corp.）".encode(),
            1,
        )


class FederalRegister(JsonResultsSource):
    spider, kind = "federal_register", "documents"
    entry = list_file = "/documents_2024-01.json"
    expect = None
    name_sample = b"Notice of OFAC Sanctions Actions"
    required_field, optional_field = "document_number", "abstract"

    def saved(self) -> Site:
        return {self.entry: _read("federal_register", "documents_2024-01.json")}

    def renamed_required(self) -> Site:
        return self.renamed_key("document_number", "doc_number")

    def renamed_optional(self) -> Site:
        return self.renamed_key("abstract", "summary")


class PublicInspection(JsonResultsSource):
    spider, kind = "federal_register_public_inspection", "documents"
    entry = list_file = "/current.json"
    expect = None
    required_field, optional_field = "filing_type", "pdf_url"

    def saved(self) -> Site:
        return {self.entry: _read("federal_register_public_inspection", "current.json")}

    name_sample = b"Agency Information Collection Activities"  # a BIS filing: one of ours

    def renamed_required(self) -> Site:
        return self.renamed_key("filing_type", "filing_kind")

    def renamed_optional(self) -> Site:
        return self.renamed_key("pdf_url", "pdf_link")


class ChipsNist(JsonResultsSource):
    spider, kind = "chips_nist", "documents"
    entry = list_file = "/documents.json"
    expect = None
    required_field, optional_field = "document_number", "action"  # the CHIPS rule has no abstract
    not_applicable = {"every_5th_dropped": "the saved answer holds 2 results: there is no 5th to drop"}

    def saved(self) -> Site:
        return {self.entry: _read("chips_nist", "documents.json")}

    @cached_property
    def name_sample(self) -> bytes:
        results = json.loads(self.saved()[self.entry])["results"]
        return next(r["title"] for r in results if "CHIPS" in r["title"])[:20].encode()

    def renamed_required(self) -> Site:
        return self.renamed_key("document_number", "doc_number")

    def renamed_optional(self) -> Site:
        return self.renamed_key("action", "action_type")


class EuTradeDefence(HtmlRowsSource):
    spider, kind = "eu_trade_defence", "documents"
    entry = list_file = xml_file = "/oj_l.xml"
    expect = "0:10"
    record = re.compile(r"<item>.*?</item>", re.DOTALL)
    name_sample = b"Commission Implementing Regulation (EU) 2024/2754"
    required_field, optional_field = "title", "publication_date"  # the feed's items have no description
    not_applicable = {"every_5th_dropped": "the saved feed holds 3 items: there is no 5th to drop"}

    def saved(self) -> Site:
        return {self.entry: _read("eu_trade_defence", "oj_l.xml")}

    def renamed_required(self) -> Site:
        return renamed_tag(self.baseline, self.entry, "title", "heading")

    def renamed_optional(self) -> Site:
        return renamed_tag(self.baseline, self.entry, "pubDate", "published")

    def other_shape(self) -> bytes:
        return b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>EUR-Lex</title></channel></rss>\n'


class EuFsr(HtmlRowsSource):
    spider, kind = "eu_fsr", "documents"
    entry = list_file = "/latest-news.html"
    expect = None
    record = re.compile(r'<article class="ecl-content-item">.*?</article>', re.DOTALL)
    name_sample = b"Commission opens two in-depth investigations"
    required_field, optional_field = "date", "abstract"
    not_applicable = {"every_5th_dropped": "the saved page holds 3 news cards: there is no 5th to drop"}

    def saved(self) -> Site:
        # Served live, the pager's "Next" would be followed to "?page=1": the saved page is the whole listing here.
        page = _read("eu_fsr", "latest-news.html")
        pager = re.search(rb'<li class="ecl-pagination__item ecl-pagination__item--next">.*?</li>', page)
        return {self.entry: page.replace(pager.group(0), b"")}

    def renamed_required(self) -> Site:
        site = self.edited(self.entry, b"ecl-content-block__primary-meta-item", b"ecl-content-block__meta-entry")
        return {**site, self.entry: site[self.entry].replace(b"<time datetime=", b"<time data-when=")}

    def renamed_optional(self) -> Site:
        return self.edited(self.entry, b"ecl-content-block__description", b"ecl-content-block__summary")


SOURCES: dict[str, Source] = {
    source.spider: source
    for source in (
        Csl(),
        BisDenied(),
        OfacSdn(),
        OfacConsolidated(),
        UnConsolidated(),
        FccCovered(),
        MetiEndUser(),
        Mofcom(),
        FederalRegister(),
        PublicInspection(),
        ChipsNist(),
        EuTradeDefence(),
        EuFsr(),
    )
}
