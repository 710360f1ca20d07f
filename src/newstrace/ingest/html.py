"""Web pages: the HTML kept as ``raw``, metadata read once here.

Title, site name, canonical URL (``og:url``/``<link rel=canonical>``/JSON-LD)
and publication date come from ``trafilatura.extract_metadata``, which runs
htmldate for the date (original publication date, not the last update). The
page is parsed once by lxml (through trafilatura's ``load_html``, which repairs
what it can) and that tree serves the text check and the metadata; the body
itself is extracted later by the clean stage from ``raw``, so trafilatura's
full extraction never runs twice. The metadata found is also left in
``annotations["html_metadata"]`` for later stages.

A bare fragment (an HTML ``text`` in a feed or a JSON record) is wrapped in
``<html><body>`` so that the extractor accepts it.
"""

from __future__ import annotations

import logging
import re
from html import escape
from urllib.parse import urlsplit

from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from newstrace.ingest.dates import iso_date
from newstrace.ingest.text import clean_name
from newstrace.model import Document, Skipped

log = logging.getLogger(__name__)

_FULL_PAGE = re.compile(r"<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_KEPT_METADATA = ("title", "author", "url", "hostname", "description", "sitename", "date", "categories", "tags")


def html_document(
    origin: str,
    html: str,
    *,
    location: str | None = None,
    fallback_date: str | None = None,
    read_metadata: bool = True,
    **fields: str | None,
) -> Document | Skipped:
    """A document from a page; ``fields`` (title, url, source, published) win over the page's metadata.

    ``location`` is where the page came from (a hint for relative links and
    the last resort for ``Document.url``); ``fallback_date`` is used when the page
    has no date of its own.
    """
    if not _FULL_PAGE.search(html[:65536]):
        html = _wrap_fragment(html, fields.get("title"))
    tree = load_html(html)
    if tree is None:
        return Skipped(origin, "malformed HTML: nothing could be parsed")
    if not _has_text(tree):
        return Skipped(origin, "HTML page has no text")
    meta = _metadata(tree, location, origin) if read_metadata else {}
    page_url = fields.get("url") or meta.get("url") or location
    return Document(
        id="",
        origin=origin,
        title=clean_name(fields.get("title") or meta.get("title")),
        url=page_url,
        source=clean_name(fields.get("source") or meta.get("sitename")) or domain(page_url),
        published=iso_date(fields.get("published")) or iso_date(meta.get("date")) or iso_date(fallback_date),
        raw=html,
        raw_kind="html",
        annotations={"html_metadata": meta} if meta else {},
    )


def domain(url: str | None) -> str | None:
    """The host of ``url`` without ``www.``, as an outlet name of last resort."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    host = host.removeprefix("www.")
    return host or None


def _wrap_fragment(fragment: str, title: str | None) -> str:
    head = f"<head><title>{escape(title)}</title></head>" if title else ""
    return f"<html>{head}<body><article>{fragment}</article></body></html>"


def _has_text(tree) -> bool:
    for text in tree.itertext():
        if text.strip():
            return True
    return False


def _metadata(tree, url: str | None, origin: str) -> dict:
    try:
        found = extract_metadata(tree, default_url=url).as_dict()
    except Exception as exc:  # a library bug on one odd page must not stop the run
        log.warning("%s: metadata extraction failed: %s", origin, exc)
        return {}
    return {key: found[key] for key in _KEPT_METADATA if found.get(key)}
