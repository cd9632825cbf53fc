"""Named reasons a crawl fails. Each names the source, so the error is one clear line."""


class SourceError(Exception):
    """A source could not be crawled completely; nothing from this crawl may be stored."""

    reason = "failed"

    def __init__(self, source: str, detail: str):
        super().__init__(f"{source}: {self.reason}: {detail}")
        self.source = source
        self.detail = detail


class SourceUnavailable(SourceError):
    reason = "source unavailable"


class SourceBlocked(SourceError):
    """A firewall answered instead of the source (HTTP 403, a challenge page, a page where a file was due).

    Not a shape change and not an empty list: the source may be whole behind it.
    """

    reason = "source blocked"


class SourceEmpty(SourceError):
    reason = "source returned nothing"


class SourceTruncated(SourceError):
    reason = "source truncated"


class SourceShapeChanged(SourceError):
    reason = "source changed shape"


class CountOutOfRange(SourceError):
    reason = "item count out of range"


class SourceShrank(SourceError):
    reason = "source shrank"


class SourceUndecodable(SourceError):
    reason = "undecodable bytes"


class SourceRefused(SourceError):
    """The source sent something we refuse to read (an XML entity declaration, a non-http link on a live crawl)."""

    reason = "refused"


class SourceRewrote(SourceError):
    """The crawl would rewrite or drop values already stored on too many rows at once."""

    reason = "source rewrote stored values"
