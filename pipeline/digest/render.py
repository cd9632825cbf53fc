"""A digest as an email: a plain-text part and an HTML part (Jinja2, autoescaped; CSS inlined by css-inline).

Scraped text is hostile: every value reaches the HTML through autoescape, and only http(s) URLs
become links. The same digest renders to the same bytes (Message-ID and MIME boundary are derived
from what it covers, not drawn at random).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.digest.compose import Digest
from pipeline.links import safe_url

_environment = Environment(
    loader=PackageLoader("pipeline.digest", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _moment(value: str | None) -> str:
    """'2026-11-28T12:00:00Z' -> '2026-11-28 12:00 UTC'."""
    if not value:
        return "never"
    return value.replace("T", " ")[:16] + " UTC" if "T" in value else value


_environment.filters["moment"] = _moment
_environment.filters["safe_url"] = safe_url


def subject(digest: Digest) -> str:
    counts = digest.counts
    listed = sum(counts[kind] for kind in ("added", "removed", "restored", "modified"))
    parts = [
        f"{n:,} {word}{'s' * (n != 1)}"
        for n, word in (
            (counts["surges"], "surge"),
            (counts["alerts"], "alert"),
            (listed, "listing change"),
            (counts["documents"], "document"),
        )
        if n
    ]
    problems = len(digest.problems)
    warning = f"{problems} source{'s' * (problems != 1)} NOT CHECKED; " if problems else ""
    news = ", ".join(parts) if parts else "nothing new"
    return f"chokepoint digest {digest.generated[:10]}: {warning}{news}"


def render(digest: Digest) -> tuple[str, str]:
    """The text and the HTML (with its CSS inlined) of a digest."""
    context = {"digest": digest, "subject": subject(digest)}
    text = _environment.get_template("digest.txt").render(context)
    html = css_inline.inline(_environment.get_template("digest.html").render(context))
    return text, html


def message(digest: Digest, sender: str) -> EmailMessage:
    """The multipart/alternative email of a digest, addressed to its subscriber."""
    text, html = render(digest)
    window = digest.window
    covered = f"{digest.subscription.id}/{window.since}/{window.after_id}/{window.upto_id}/{digest.upto_alert_id}"
    tag = hashlib.sha1(f"{covered}\n{text}\n{html}".encode()).hexdigest()
    email = EmailMessage()
    email["From"] = sender
    email["To"] = digest.subscription.email
    email["Subject"] = subject(digest)
    email["Date"] = format_datetime(datetime.fromisoformat(digest.generated.replace("Z", "+00:00")))
    email["Message-ID"] = f"<digest-{digest.subscription.id}-{tag[:20]}@{sender.rpartition('@')[2] or 'chokepoint'}>"
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a digest
    # Quoted-printable keeps the message 7-bit: any SMTP server takes it, and the log stores it as text.
    email.set_content(text, cte="quoted-printable")
    email.add_alternative(html, subtype="html", cte="quoted-printable")
    email.set_boundary(f"==chokepoint-{tag}")
    return email
