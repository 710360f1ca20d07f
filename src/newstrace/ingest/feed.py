"""RSS and Atom feeds through feedparser: one document per entry.

An entry's body is its full content when the feed carries it
(``content:encoded``, Atom ``<content>``), else its summary. Feed bodies are
usually HTML fragments, so they become ``raw_kind="html"`` documents (wrapped
into a page for the extractor); a body without tags is plain text (entities
decoded). Title, link
and date come from the entry; the outlet from the entry's ``<source>``, else
the feed's title, else the link's domain. The page metadata extractor is not
run on entries: a fragment has no metadata, and htmldate would only guess a
date from the body text.

A document type declaration (``<!DOCTYPE rss PUBLIC ...>``, as RSS 0.91 feeds
carry, or one with an internal subset) is removed before parsing, so no
entity it declares is ever expanded or fetched (no XXE, no billion laughs):
a reference to one stays as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import feedparser

from newstrace.ingest.dates import iso_date
from newstrace.ingest.decode import NotText, decode_bytes
from newstrace.ingest.html import domain, html_document
from newstrace.ingest.text import clean_name, text_document
from newstrace.model import Document, Skipped

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?[^>]*>", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def read_feed(origin: str, data: bytes, broken: str | None = None) -> Iterator[Document | Skipped]:
    """Documents for the entries of the feed in ``data``.

    ``broken`` is why the input ended early (a truncated gzip stream): the
    last entry parsed may be cut, so it is dropped and the loss reported.
    """
    parsed = _parse(_DOCTYPE.sub(b"", data, count=1))
    if parsed is None:
        yield Skipped(origin, "malformed feed: undecodable text")
        return
    entries = list(parsed.entries)
    if broken and entries:
        entries.pop()
    if not entries:
        yield Skipped(origin, _no_entries_reason(parsed, broken))
        return
    outlet = clean_name(parsed.feed.get("title"))
    for number, entry in enumerate(entries, 1):
        yield _entry_document(origin, number, entry, outlet)
    if broken:
        yield Skipped(origin, f"{broken}; entries after the {len(entries)} read were lost")


def _parse(data: bytes):
    """feedparser's result; it can fail on mangled bytes, then the text decoded our way is tried."""
    try:
        return feedparser.parse(data)
    except UnicodeError:
        pass
    try:
        return feedparser.parse(decode_bytes(data))
    except (NotText, UnicodeError):
        return None


def _no_entries_reason(parsed, broken: str | None) -> str:
    if broken:
        return f"{broken}; no complete feed entry could be read"
    if parsed.get("bozo") and not parsed.feed:
        return f"malformed feed, no entries could be read ({parsed.get('bozo_exception')})"
    return "feed has no entries"


def _entry_document(origin: str, number: int, entry, outlet: str | None) -> Document | Skipped:
    entry_origin = f"{origin}#{entry.get('id') or entry.get('link') or number}"
    body, body_type = _body(entry)
    if not body.strip():
        return Skipped(entry_origin, "feed entry has neither content nor summary")
    link = entry.get("link") or None
    source_title = (
        entry.get("source", {}).get("title") if isinstance(entry.get("source"), dict) else None
    )
    fields = {
        "title": entry.get("title"),
        "url": link,
        "published": iso_date(entry.get("published") or entry.get("updated"))
        or iso_date(_parsed_date(entry)),
        "source": clean_name(source_title) or outlet or domain(link),
    }
    if _TAG.search(body):
        return html_document(entry_origin, body, read_metadata=False, **fields)
    return text_document(
        entry_origin, unescape(body) if body_type in _HTML_TYPES else body, **fields
    )


def _body(entry) -> tuple[str, str]:
    contents = entry.get("content") or []
    for content in sorted(contents, key=lambda c: c.get("type", "") not in _HTML_TYPES):
        if (content.get("value") or "").strip():
            return content["value"], content.get("type", "")
    summary = entry.get("summary_detail") or {}
    return entry.get("summary") or "", summary.get("type", "")


def _parsed_date(entry):
    return entry.get("published_parsed") or entry.get("updated_parsed")
