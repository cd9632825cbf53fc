"""Decoding a body into text: in the charset the source declares, or in the one its format requires. Never guessed.

Scrapy, when a body does not decode in the charset it guessed first, silently tries
others: one stray byte in a 6 MB UTF-8 list made it read the whole list as Mac
Central European, and every accented name became a "modification". Here the
charset comes from the response's Content-Type header, a byte-order mark, the
XML declaration or the HTML meta tag, else UTF-8 (what CSV downloads, JSON and
XML default to); a byte that is not valid in it fails the crawl by name. A source
known to carry stray bytes (`SourceSpider.undecodable_bytes = "replace"`) gets the
few it has replaced by U+FFFD, each one warned about; more than a few means the
body is in another encoding, and fails like any other.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from spiders.kit.errors import SourceUndecodable

DEFAULT_CHARSET = "utf-8"
# Bodies that are not text whatever the server says: PDF, zip (and XLSX), gzip, OLE (XLS).
BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\xd0\xcf\x11\xe0")
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Labels that name a smaller character set than the one publishers really write in (as browsers read them).
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# A source known to carry stray bytes may have this many replaced; more is a body in another encoding.
MAX_REPLACED = 10


def is_binary(body: bytes) -> bool:
    return body.startswith(BINARY_MAGIC)


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset a response declares: header, byte-order mark, XML declaration or HTML meta tag (in that order)."""
    match = HEADER_CHARSET.search(content_type or "")
    if match:
        return match.group(1)
    for bom, charset in BOMS:
        if body.startswith(bom):
            return charset
    head = body[:4096]
    match = XML_DECLARATION.match(head) or META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def decode_body(
    body: bytes,
    content_type: str | None,
    source: str,
    where: str,
    *,
    replace: bool = False,
    warn: Callable[[str], None] | None = None,
) -> str:
    """The body as text in its declared charset (UTF-8 when none), or SourceUndecodable naming the first bad byte.

    With `replace`, up to MAX_REPLACED bad bytes become U+FFFD, each reported through `warn`.
    """
    try:
        charset = charset_of(body, content_type)
    except LookupError:
        label = declared_charset(body, content_type)
        raise SourceUndecodable(source, f"{where} declares charset {label!r}, which we cannot read") from None
    try:
        return _without_bom(body.decode(charset))
    except UnicodeDecodeError as error:
        bad = _bad_bytes(body, charset)
        if not replace or len(bad) > MAX_REPLACED:
            first = error.start
            count = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            raise SourceUndecodable(
                source,
                f"{where} line {_line(body, first)}: byte 0x{body[first]:02x} is not valid {charset}{count}",
            ) from None
    for position in bad:
        if warn is not None:
            warn(
                f"{where} line {_line(body, position)}: byte 0x{body[position]:02x} is not valid {charset}; "
                "replaced by U+FFFD"
            )
    return _without_bom(body.decode(charset, "replace"))


def charset_of(body: bytes, content_type: str | None = None) -> str:
    """The codec a body is decoded with: its declared charset (a superset for the labels in SUPERSETS), else UTF-8.

    LookupError when the declared charset is unknown.
    """
    label = declared_charset(body, content_type) or DEFAULT_CHARSET
    return codecs.lookup(SUPERSETS.get(label.lower(), label)).name


def _bad_bytes(body: bytes, charset: str) -> list[int]:
    """Offsets of the bytes that do not decode (stops counting past MAX_REPLACED)."""
    bad: list[int] = []
    decoder = codecs.getincrementaldecoder(charset)()
    position = 0
    while position < len(body) and len(bad) <= MAX_REPLACED:
        try:
            decoder.decode(body[position:], final=True)
            break
        except UnicodeDecodeError as error:
            bad.append(position + error.start)
            position += error.end
            decoder.reset()
    return bad


def _line(body: bytes, offset: int) -> int:
    return body.count(b"\n", 0, offset) + 1


def _without_bom(text: str) -> str:
    return text.removeprefix("\ufeff")
