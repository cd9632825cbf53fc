"""Datasette plugin: the site's CSV downloads open safely in a spreadsheet.

Every command's CSV goes through `pipeline.csvout`; the site's CSV (a table's or a
query's `.csv`, `?_format=csv`, streamed with `_stream=on` or not) is Datasette's own.
A listed name the sources publish could start with `=`, `+`, `-` or `@`, and a
spreadsheet would run it as a formula, so this wrapper rewrites each CSV response
as it streams: a cell that would start a formula gets a leading apostrophe
(`csvout.safe_text`), everything else stays byte for byte as Datasette wrote it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from datasette import hookimpl

from pipeline.csvout import safe_text

QUOTE_OR_LINE_END = re.compile(r'["\n]')


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def csv_cells_made_safe(scope, receive, send):
            if scope["type"] != "http" or not _asks_for_csv(scope):
                await app(scope, receive, send)
                return
            rewriter = None

            async def rewrite(message):
                nonlocal rewriter
                if message["type"] == "http.response.start":
                    headers = message.get("headers", [])
                    if _is_csv(headers):
                        rewriter = CsvRewriter()
                        message = {**message, "headers": [(k, v) for k, v in headers if k.lower() != b"content-length"]}
                elif message["type"] == "http.response.body" and rewriter is not None:
                    body = rewriter.feed(message.get("body", b""))
                    if not message.get("more_body"):
                        body += rewriter.finish()
                    message = {**message, "body": body}
                await send(message)

            await app(scope, receive, rewrite)

        return csv_cells_made_safe

    return wrap


def _asks_for_csv(scope) -> bool:
    return scope["path"].endswith(".csv") or b"_format=csv" in scope.get("query_string", b"")


def _is_csv(headers) -> bool:
    """Datasette's CSV: text/csv when downloaded, text/plain when shown (its `_trace` page is HTML)."""
    content_type = next((value for key, value in headers if key.lower() == b"content-type"), b"")
    return content_type.startswith((b"text/csv", b"text/plain"))


class CsvRewriter:
    """CSV bytes in, the same CSV out with formula-starting cells neutralised; records may span chunks
    (and, in quotes, lines), so only complete records are rewritten and the rest waits for more."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self._pending = ""  # text after the last complete record
        self._scanned = 0  # how far into _pending quotes have been counted
        self._in_quotes = False

    def feed(self, chunk: bytes) -> bytes:
        self._pending += self._decoder.decode(chunk)
        end = self._last_record_end()
        if end == 0:
            return b""
        complete, self._pending = self._pending[:end], self._pending[end:]
        self._scanned -= end
        return _rewritten(complete)

    def finish(self) -> bytes:
        rest, self._pending = self._pending + self._decoder.decode(b"", final=True), ""
        return _rewritten(rest) if rest else b""

    def _last_record_end(self) -> int:
        """Where the last record that is complete so far ends (after its line end), or 0."""
        end = 0
        for found in QUOTE_OR_LINE_END.finditer(self._pending, self._scanned):
            if found.group() == '"':
                self._in_quotes = not self._in_quotes  # a doubled quote inside quotes flips twice
            elif not self._in_quotes:
                end = found.end()
        self._scanned = len(self._pending)
        return end


def _rewritten(text: str) -> bytes:
    rows = csv.reader(io.StringIO(text, newline=""))
    out = io.StringIO()
    writer = csv.writer(out)  # Datasette's own writer: same dialect, so untouched rows come out the same
    for row in rows:
        writer.writerow([safe_text(cell) for cell in row])
    rewritten = out.getvalue()
    if not text.endswith("\n"):
        rewritten = rewritten.removesuffix("\r\n")  # a last line Datasette left open (an error message)
    return rewritten.encode("utf-8", errors="surrogateescape")
