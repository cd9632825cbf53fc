"""Scrapy settings for every chokepoint crawl. Keep only settings we mean."""

from spiders.kit import mirror

BOT_NAME = "chokepoint"
# Every package under spiders/ is walked: a new family folder needs no entry here.
SPIDER_MODULES = ["spiders"]

# Government sources: be polite, identify ourselves, never hammer.
USER_AGENT = "chokepoint/0.1 (+https://github.com/chokepoint-tracker/chokepoint)"
ROBOTSTXT_OBEY = False  # the APIs and files we fetch are published for download
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
# A source that answers 4xx/5xx is a failed crawl, not an empty one: let errors reach the spider's errback.
HTTPERROR_ALLOW_ALL = False

# Full lists are large (the CSL CSV is ~6 MB, OFAC XML more); warn late, cap generously.
DOWNLOAD_WARNSIZE = 200 * 1024 * 1024
DOWNLOAD_MAXSIZE = 1024 * 1024 * 1024

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# Every text body is decoded as declared, never guessed, a page or PDF cut short fails, and a live
# crawl follows only http(s) links (spiders/kit/middleware.py). Low numbers: the checks see the final, decompressed response.
DOWNLOADER_MIDDLEWARES = {
    "spiders.kit.middleware.LiveLinksOnly": 50,
    "spiders.kit.middleware.DecodeStrictly": 60,
    "spiders.kit.middleware.WholeBodies": 70,
}

# Every middleware and extension below touches each yielded object and does
# nothing for us (no link-following depth limits, no feed exports; the crawl
# gate keeps its own counts). No remote-control HTTP server either.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
EXTENSIONS = {
    "scrapy.extensions.corestats.CoreStats": None,
    "scrapy.extensions.logstats.LogStats": None,
    "scrapy.extensions.memusage.MemoryUsage": None,
    "scrapy.extensions.feedexport.FeedExporter": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}

# Live requests go to a local server that plays the sources when CHOKEPOINT_LIVE_MIRROR is set (tests, the
# probe's tests: spiders/kit/mirror.py); a source declared `fetch_mode = "browser"` is fetched through
# headless Chromium (spiders/kit/browser.py). Both do nothing for other requests.
# Near the downloader (high numbers), so their answers pass the checks above like any download.
LIVE_MIRROR = mirror.configured()
DOWNLOADER_MIDDLEWARES |= {"spiders.kit.mirror.LiveMirror": 900, "spiders.kit.browser.BrowserFetch": 950}
