"""Web pages: the HTML kept as ``raw``, metadata read once here.

Title, site name, canonical URL (``og:url``/``<link rel=canonical>``/JSON-LD)
and publication date come from trafilatura's metadata functions and htmldate
(original publication date, not the last update). ``extract_metadata`` as a
whole also hunts for author, categories, tags and licence, which we do not
use: on 60 pages it took 6.7 s against 2.7 s for the steps kept here, with
identical title, URL, date and site name — so ``_page_metadata`` calls the
same trafilatura steps in the same order, minus those. The page is parsed
once by lxml (trafilatura's ``load_html``, which repairs what it can) and
that tree serves the text check and the metadata; the body is extracted later
by the clean stage from ``raw``, so trafilatura's extraction never runs
twice. The metadata found is left in ``annotations.html_metadata``.

A bare fragment (an HTML ``text`` in a feed or a JSON record) is wrapped in
``<html><body>`` so that the extractor accepts it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from htmldate import find_date
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import load_html

from newstrace.ingest.dates import iso_date
from newstrace.ingest.text import clean_name
from newstrace.model import Annotations, Document, Skipped

log = logging.getLogger(__name__)

_FULL_PAGE = re.compile(r"<html[\s>]|<body[\s>]|<head[\s>]", re.I)
_NOT_TEXT = {"script", "style", "noscript", "template", "head", "title"}
_KEPT_METADATA = ("title", "author", "url", "description", "sitename", "date")
# htmldate's extensive search (dates in the page text) costs about 1 s per MB;
# beyond this size only the page's markup is searched.
_EXTENSIVE_DATE_SEARCH_CHARS = 1_000_000


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
        return Skipped(origin, "malformed or empty HTML: no text could be extracted")
    meta = _metadata(tree, location, origin, len(html)) if read_metadata else {}
    page_url = fields.get("url") or meta.get("url") or location
    source = clean_name(fields.get("source") or meta.get("sitename")) or domain(page_url)
    return Document(
        id="",
        origin=origin,
        title=_without_site_name(clean_name(fields.get("title") or meta.get("title")), source),
        url=page_url,
        source=source,
        published=iso_date(fields.get("published"))
        or iso_date(meta.get("date"))
        or iso_date(fallback_date),
        raw=html,
        raw_kind="html",
        annotations=Annotations(html_metadata=meta or None),
    )


def _without_site_name(title: str | None, source: str | None) -> str | None:
    """ "Headline | The Courier" → "Headline" when the page's title carries the outlet's name."""
    if not title or not source:
        return title
    match = re.match(rf"(.+?)\s+[|\-–—:·•]\s+{re.escape(source)}$", title, re.I)
    return match.group(1) if match else title


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
    """Whether any words are on the page, outside scripts, styles and comments."""
    for element in tree.iter():
        if (
            isinstance(element.tag, str)
            and element.tag not in _NOT_TEXT
            and _has_words(element.text)
        ):
            return True
        if _has_words(element.tail):
            return True
    return False


def _has_words(text: str | None) -> bool:
    return bool(text) and any(ch.isalpha() for ch in text or "")


def _metadata(tree, location: str | None, origin: str, page_chars: int) -> dict:
    try:
        return _page_metadata(
            tree, location, extensive_date=page_chars <= _EXTENSIVE_DATE_SEARCH_CHARS
        )
    except Exception as exc:  # a library bug on one odd page must not stop the run
        log.warning("%s: metadata extraction failed: %s", origin, exc)
        return {}


_TIMESTAMP_XPATHS = (
    '//meta[@property="article:published_time" or @name="article:published_time"'
    ' or @itemprop="datePublished" or @name="pubdate" or @name="publishdate"]/@content',
    "//time[@pubdate or @itemprop='datePublished']/@datetime",
    "//article//time/@datetime",
)


def _with_time_of_day(tree, day: str | None) -> str | None:
    """The page's own timestamp when it falls on htmldate's day, else the day.

    htmldate keeps only the day; the time of day is what orders two copies
    published on the same day, so it is taken from the page's publication
    metadata when that agrees with htmldate's choice of day.
    """
    if not day:
        return day
    for xpath in _TIMESTAMP_XPATHS:
        for value in tree.xpath(xpath):
            stamp = iso_date(str(value).strip())
            if stamp and len(stamp) > 10 and stamp.startswith(day[:10]):
                return stamp
    return day


def _page_metadata(tree, location: str | None, extensive_date: bool) -> dict:
    """trafilatura's ``extract_metadata`` without the parts we do not use.

    Same steps and order for title, URL, date and site name (meta tags, then
    JSON-LD, then the page), minus author, categories, tags and licence,
    whose XPath searches cost more than the rest together.
    """
    found = examine_meta(tree)
    found = extract_meta_json(tree, found)
    if not found.title:
        found.title = extract_title(tree)
    if not found.url:
        found.url = extract_url(tree, location)
    found.date = find_date(
        tree,
        extensive_search=extensive_date,
        original_date=True,
        url=found.url,
        max_date=datetime.now().astimezone().strftime("%Y-%m-%d"),
    )
    found.date = _with_time_of_day(tree, found.date)
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
    found.clean_and_trim()
    return {key: getattr(found, key) for key in _KEPT_METADATA if getattr(found, key, None)}
