"""OFAC's list exports, shared by the `ofac_sdn` and `ofac_consolidated` spiders.

Both lists come in the same two formats: the Sanctions List Service's enhanced
XML (optionally zipped) and the legacy headerless CSV files (primary, addresses,
aliases, comments). `enhanced_xml` and `legacy_csv` turn either into the same
`OfacEntry`; `spider.OfacListSpider` fetches, detects the format by content and
turns entries into one listing per list the entry is on.
"""
