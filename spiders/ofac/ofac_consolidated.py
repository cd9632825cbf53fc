"""OFAC's Consolidated (non-SDN) lists: SSI, NS-PLC, CMIC, NS-MBS, FSE, CAPTA.

Live, the spider reads the Sanctions List Service's enhanced XML export
(CONS_ENHANCED.XML) at its candidate addresses in order, with a browser-like
User-Agent. Facts of SOURCES_LIVE.md relied on (§3 and Updates): the export
path `…/api/PublicationPreview/exports/CONS_ENHANCED.XML` and the file's shape:
seen (moov-io/watchman defaults and test data; the recorded 2025-01 file); the
documented `…/api/download/{filename}` path, tried first: reported (opensanctions
#5238), whether it offers this file not established; the WAF that passes only a
User-Agent starting `Mozilla/<digit>` of at least 40 characters: reported
(#5237). A 403, a challenge page or a body that is not XML or a zip is a block.

`--url` takes the enhanced XML or its .ZIP, the legacy cons_prim.csv
(cons_add.csv, cons_alt.csv and the optional cons_comments.csv are fetched from
the same directory, in the URL's letter case: CONS_PRIM.CSV -> CONS_ADD.CSV),
or that directory itself.

One listing per entry and list, keyed by OFAC's entry number: an entry on the
SSI and the menu-based list is two listings. The enhanced XML names each
entry's lists (`sanctionsLists`; "Consolidated List" is the umbrella every
entry is on, and SDN membership belongs to `ofac_sdn`, so it is only noted in
extra["also_on"]). The legacy CSV does not name lists, so the list follows
from the entry's programs, by the pairing the enhanced export shows
(PROGRAM_LISTS); an entry whose programs name no list is warned about and
listed under "CONS".
"""

from spiders.kit.formats import unique
from spiders.ofac.spider import SLS_DOWNLOAD, SLS_EXPORTS, UNSTATED_LIST, CsvFiles, OfacListSpider

# Program -> list, as paired in the enhanced export of 2025-01 (every program there pairs with one list).
PROGRAM_LISTS = {
    "UKRAINE-EO13662": "SSI",
    "NS-PLC": "NS-PLC",
    "CMIC-EO13959": "CMIC",
    "561-Related": "CAPTA",
    "CAATSA - RUSSIA": "NS-MBS",
    "BURMA-EO14014": "NS-MBS",
    "ILLICIT-DRUGS-EO14059": "NS-MBS",
}
# RUSSIA-EO14024 also marks SSI entries; alone, it means the menu-based list.
FALLBACK_PROGRAM_LISTS = {"RUSSIA-EO14024": "NS-MBS"}


class OfacConsolidatedSpider(OfacListSpider):
    name = "ofac_consolidated"
    live_urls = [SLS_DOWNLOAD + "CONS_ENHANCED.XML"]
    fallback_urls = {SLS_DOWNLOAD + "CONS_ENHANCED.XML": [SLS_EXPORTS + "CONS_ENHANCED.XML"]}
    # 443 entries (446 listings) in January 2025, 442 entries in December 2025.
    expected_items = (300, 1_500)
    expected_per_list = {"SSI": (150, 800), "NS-PLC": (30, 300), "CMIC": (20, 400)}
    csv_files = CsvFiles(
        primary="cons_prim.csv", addresses="cons_add.csv", aliases="cons_alt.csv", comments="cons_comments.csv"
    )
    export_list = "Consolidated List"
    source_information_url = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"

    def xml_memberships(self, entry, memberships):
        return [(code, published) for code, published in memberships if code != "SDN"]

    def csv_memberships(self, entry):
        codes = unique(self._program_list(program) for program in entry.programs)
        if not codes:
            codes = unique(FALLBACK_PROGRAM_LISTS.get(program) for program in entry.programs)
        if not codes:
            self.warn(
                f"entry {entry.ent_num}: programs {', '.join(entry.programs) or '(none)'} name no known list; "
                f"listed under {UNSTATED_LIST!r}"
            )
            codes = [UNSTATED_LIST]
        return [(code, None) for code in codes]

    @staticmethod
    def _program_list(program: str) -> str | None:
        if program.startswith("FSE-"):  # FSE-IR, FSE-SY, ...: Foreign Sanctions Evaders
            return "FSE"
        return PROGRAM_LISTS.get(program)
