"""A local stand-in for the live sources: every live request goes to one server that plays them.

No test may reach a government site, yet the live path (candidate addresses, the
browser, the probe) must be run for real. With the setting `LIVE_MIRROR` (from
the environment variable CHOKEPOINT_LIVE_MIRROR) set to a base URL such as
http://127.0.0.1:8123, a request for https://host/path?query is sent to
http://127.0.0.1:8123/host/path?query, and the answer comes back under the live
URL, so spiders, redirects and the probe's judgement see the live addresses.
Unset, this middleware does nothing. Recorded files (file://) are never touched.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

ENVIRONMENT = "CHOKEPOINT_LIVE_MIRROR"


def configured() -> str | None:
    return os.environ.get(ENVIRONMENT) or None


def mirrored(url: str, mirror: str) -> str:
    """https://host/path?q -> <mirror>/host/path?q."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path or '/'}{query}"


class LiveMirror:
    """Downloader middleware: send live requests to the mirror, and give the answers back their live URL."""

    def __init__(self, mirror: str | None):
        self.mirror = mirror.rstrip("/") if mirror else None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("LIVE_MIRROR"))

    def process_request(self, request, spider=None):
        if not self.mirror or urlsplit(request.url).scheme not in ("http", "https"):
            return None
        if request.url.startswith(self.mirror + "/"):
            return None
        meta = {**request.meta, "live_url": request.url}
        return request.replace(url=mirrored(request.url, self.mirror), meta=meta, dont_filter=True)

    def process_response(self, request, response, spider=None):
        live = request.meta.get("live_url")
        if self.mirror and live and request.url == mirrored(live, self.mirror):
            return response.replace(url=live)
        return response
