"""OFAC's Specially Designated Nationals and Blocked Persons List (SDN).

Live, the spider reads the Sanctions List Service's enhanced XML export
(SDN_ENHANCED.XML) at its candidate addresses in order (spiders/ofac/spider.py):
the documented download path, then the path the old treasury.gov URLs redirect
to. Facts of SOURCES_LIVE.md relied on (§3 and Updates):
- the export path `…/api/PublicationPreview/exports/<FILE>`: seen (moov-io/watchman
  defaults); that the old URLs redirect there: reported (opensanctions #5238);
- the documented `GET …/api/download/{filename}`: reported (#5238); whether it
  offers SDN_ENHANCED.XML: not established, hence the fallback;
- the AWS WAF since 2026-07-30 that passes only a User-Agent starting
  `Mozilla/<digit>` and at least 40 characters long: reported (#5237); a 403, a
  challenge page or any body that is not XML or a zip is a block (`SourceBlocked`);
- that SDN_ENHANCED uses the elements of the recorded CONS_ENHANCED: likely, not
  established (no SDN_ENHANCED file is recorded).

`--url` takes any of OFAC's formats, told apart by content:

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

from spiders.ofac.spider import SLS_DOWNLOAD, SLS_EXPORTS, CsvFiles, OfacListSpider


class OfacSdnSpider(OfacListSpider):
    name = "ofac_sdn"
    live_urls = [SLS_DOWNLOAD + "SDN_ENHANCED.XML"]
    fallback_urls = {SLS_DOWNLOAD + "SDN_ENHANCED.XML": [SLS_EXPORTS + "SDN_ENHANCED.XML"]}
    # 8,976 entries in July 2021, about 17,000-18,000 in 2025-26: a broken download falls far below.
    expected_items = (7_000, 30_000)
    csv_files = CsvFiles(primary="sdn.csv", addresses="add.csv", aliases="alt.csv", comments="sdn_comments.csv")
    export_list = "SDN List"
    source_information_url = "https://sanctionslist.ofac.treas.gov/Home/SdnList"

    def xml_memberships(self, entry, memberships):
        return [(code, published) for code, published in memberships if code == "SDN"]

    def csv_memberships(self, entry):
        return [("SDN", None)]
