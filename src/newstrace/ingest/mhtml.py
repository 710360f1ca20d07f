"""Web pages saved as one file by a browser (MHTML, ``.mhtml``/``.mht``).

"Save page as… single file" in Chrome and Edge writes a MIME message whose
first ``text/html`` part is the page, followed by its images and style sheets.
The standard library's ``email`` parser reads it (quoted-printable and base64
included); the page then goes through the same HTML reader as any other,
with the part's ``Content-Location`` (or the snapshot's) as its URL.
"""

from __future__ import annotations

import email
import email.policy

from newstrace.ingest.decode import NotText, decode_bytes
from newstrace.ingest.html import html_document
from newstrace.model import Document, Skipped


def mhtml_document(origin: str, data: bytes, max_page_bytes: int) -> Document | Skipped:
    """The page in a saved MHTML file."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True) or b""
            if not isinstance(payload, bytes):  # a multipart part decodes to its parts
                continue
            if len(payload) > max_page_bytes:
                return Skipped(
                    origin,
                    f"saved page over the {max_page_bytes // 1_000_000} MB limit for one document",
                )
            try:
                html = decode_bytes(payload, part.get_content_charset())
            except NotText as exc:
                return Skipped(origin, f"saved web page (MHTML): {exc}")
            location = part.get("Content-Location") or message.get("Snapshot-Content-Location")
            return html_document(origin, html, location=location, fallback_date=None)
    return Skipped(origin, "saved web page (MHTML) without an HTML part")
