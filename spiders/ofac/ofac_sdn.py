"""OFAC's Specially Designated Nationals and Blocked Persons List (SDN).

Live, the spider reads the Sanctions List Service's enhanced XML export
(SDN_ENHANCED.XML), with a browser-like User-Agent because the service's WAF
turns others away. `--url` takes any of OFAC's formats, told apart by content:

- the enhanced XML, or the same zipped (SDN_ENHANCED.ZIP);
- the legacy sdn.csv: add.csv, alt.csv and sdn_comments.csv are then fetched
  from the same directory (in the same letter case as the URL: SDN.CSV ->
  ADD.CSV). sdn_comments.csv is optional: without it, remarks OFAC cut at
  1,000 characters stay cut, and the crawl warns;
- a directory holding those files (a URL ending in '/' or without a file
  extension), e.g. file:///data/ofac/2021-07/.

One listing per SDN entry, keyed by OFAC's entry number (the legacy `ent_num`,
the enhanced `entity@id`), so both formats give the same ids. Other OFAC lists
an entry is also on (an SSI entry, say) are noted in extra["also_on"].
"""

from spiders.ofac.spider import SLS_EXPORTS, CsvFiles, OfacListSpider


class OfacSdnSpider(OfacListSpider):
    name = "ofac_sdn"
    live_urls = [SLS_EXPORTS + "SDN_ENHANCED.XML"]
    # 8,976 entries in July 2021, about 17,000-18,000 in 2025-26: a broken download falls far below.
    expected_items = (7_000, 30_000)
    csv_files = CsvFiles(primary="sdn.csv", addresses="add.csv", aliases="alt.csv", comments="sdn_comments.csv")
    export_list = "SDN List"
    source_information_url = "https://sanctionslist.ofac.treas.gov/Home/SdnList"

    def xml_memberships(self, entry, memberships):
        return [(code, published) for code, published in memberships if code == "SDN"]

    def csv_memberships(self, entry):
        return [("SDN", None)]
