"""Article bodies from HTML pages: trafilatura, then the text-level cleaner.

trafilatura is the best-scoring open extractor for article bodies; we run it
with comments excluded (the setting that scores best on hand-checked article
bodies: comment threads are never part of the article) and its own fallbacks
(readability, jusText) on. When it still finds nothing, its ``baseline``
(the text of the article/paragraph elements) is better than an empty body.
What survives of page furniture inside the extracted body (share prompts,
teaser lists, byline boxes) then goes through :mod:`newstrace.clean.text`.
"""

from __future__ import annotations

import html as html_lib
import re

import trafilatura

from newstrace.clean.text import CleanedText, clean_text

_OG_TITLE = re.compile(
    r"<meta\b[^>]*?(?:property|name)\s*=\s*[\"'](?:og:title|twitter:title)[\"'][^>]*?content\s*=\s*[\"']([^\"']{3,300})",
    re.I,
)
_OG_TITLE_REVERSED = re.compile(
    r"<meta\b[^>]*?content\s*=\s*[\"']([^\"']{3,300})[\"'][^>]*?(?:property|name)\s*=\s*[\"'](?:og:title|twitter:title)",
    re.I,
)
_TITLE = re.compile(r"<title\b[^>]*>([^<]{3,300})</title>", re.I)
_HEAD_LIMIT = 200_000


def page_title(html: str) -> str | None:
    """The page's headline from its metadata (og:title, else <title>), cheaply, without parsing."""
    head = html[:_HEAD_LIMIT]
    for pattern in (_OG_TITLE, _OG_TITLE_REVERSED, _TITLE):
        match = pattern.search(head)
        if match:
            return " ".join(html_lib.unescape(match.group(1)).split()) or None
    return None


def extract_body(html: str, url: str | None = None) -> str:
    """trafilatura's article body (one paragraph per line), or its baseline when it finds nothing."""
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True)
    if not text:
        try:
            _, text, _ = trafilatura.baseline(html)
        except Exception:  # trafilatura raises assorted errors on pages it cannot parse at all
            text = ""
    return text or ""


def clean_page(html: str, url: str | None = None, title: str | None = None) -> CleanedText:
    """The body of one page with the text cleaner's removals."""
    return clean_text(extract_body(html, url), title or page_title(html))


def clean_html(html: str, url: str | None = None) -> str:
    """The cleaned article body of one HTML page, one paragraph per line."""
    return clean_page(html, url).text
