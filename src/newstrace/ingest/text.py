"""Plain text and Markdown articles.

Scraped articles usually start with the headline on a line of its own; many
dumps start with the lede sentence instead. A first line becomes the
``title`` only when it looks like a headline — short, not ending like a
sentence (a period, comma, colon) — because a lede taken for a headline would
later be treated as a repeated headline and cleaned away. Markdown ``# Title``
and setext headings count; a leading YAML-style front matter block
(``---`` … ``---`` with ``title:``, ``date:``, ``source:``, ``url:``) gives
metadata and is not part of the article. ``raw`` keeps the whole text
(headline included); cleaning happens later.
"""

from __future__ import annotations

import re

from newstrace.ingest.dates import iso_date
from newstrace.model import Document, Skipped

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 25
_MAX_QUESTION_TITLE_WORDS = 20
_MIN_TITLE_WORDS = 3
_MIN_BODY_WORDS = 30
_MIN_SENTENCE_WORDS = 12
_TITLE_SCAN_LINES = 12
_WORD = re.compile(r"[a-z]+|\d+")
_READER = {"you", "You", "your", "Your", "us", "we", "We"}  # case-sensitive: "US" is a country
_DATE_WORDS = {
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "mon",
    "monday",
    "tue",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "am",
    "pm",
    "st",
    "nd",
    "rd",
    "th",
    "gmt",
    "utc",
    "est",
    "edt",
    "pst",
    "pdt",
    "cet",
    "bst",
    "et",
    "updated",
    "published",
    "posted",
    "last",
    "on",
    "at",
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", re.M)
_SETEXT_UNDERLINE = re.compile(r"^(=+|-+)\s*$")
_FRONT_KEYS = {
    "title": "title",
    "headline": "title",
    "date": "published",
    "published": "published",
    "pubdate": "published",
    "source": "source",
    "site": "source",
    "publisher": "source",
    "outlet": "source",
    "url": "url",
    "link": "url",
    "canonical_url": "url",
}


def text_document(origin: str, text: str, **fields: str | None) -> Document | Skipped:
    """A document from article text; ``fields`` (title, url, source, published) win over what the text says."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, text = _front_matter(text)
    if not text.strip():
        return Skipped(origin, "no article text (empty or only whitespace)")
    if not any(ch.isalpha() for ch in text):
        return Skipped(origin, "no article text (no words, only symbols or numbers)")
    title = fields.get("title") or meta.get("title") or headline(text)
    return Document(
        id="",
        origin=origin,
        title=clean_name(title),
        url=fields.get("url") or meta.get("url"),
        source=clean_name(fields.get("source") or meta.get("source")),
        published=iso_date(fields.get("published")) or iso_date(meta.get("published")),
        raw=text,
        raw_kind="text",
    )


def headline(text: str) -> str | None:
    """The headline of scraped text, if a line before the first paragraph reads like one.

    Scraped pages often start with page furniture ("Connect with us", a
    section name, a byline) before the headline, so every line before the
    first body paragraph is a candidate: the first headline-shaped line (short,
    not ending like a sentence, three words or more) that is neither a
    dateline nor a prompt addressing the reader wins. A line repeated verbatim
    at the top is the headline even when it ends with a period (scrapers often
    catch it twice).
    A Markdown ``# heading`` on the first line is the title outright.
    """
    lines = [
        line.strip()
        for line in text.strip().split("\n", _TITLE_SCAN_LINES * 3)[: _TITLE_SCAN_LINES * 3]
    ]
    lines = [line for line in lines if line and not _SETEXT_UNDERLINE.match(line)][
        :_TITLE_SCAN_LINES
    ]
    if len(lines) < 2:
        return None
    if re.match(r"#{1,2}\s", lines[0]):
        return _strip_markdown(lines[0]) or None
    repeated = [
        line
        for line in lines[:3]
        if lines.count(line) > 1 and _MIN_TITLE_WORDS <= len(line.split()) <= 40
    ]
    if repeated:
        return _strip_markdown(repeated[0])
    body_at = next((i for i, line in enumerate(lines) if _is_body(line)), None)
    region = lines[:body_at] if body_at is not None else lines[:1]
    for line in map(_strip_markdown, region):
        if _is_headline(line) and len(line.split()) >= _MIN_TITLE_WORDS and not _is_furniture(line):
            return line
    return None


def _is_furniture(line: str) -> bool:
    """A dateline ("Updated: July 7, 2012, 10:04 PM ET") or a prompt to the reader ("Connect with us")."""
    if _READER.intersection(re.findall(r"[A-Za-z]+", line)):
        return True
    words = _WORD.findall(line.lower())
    return len([word for word in words if word not in _DATE_WORDS and not word.isdigit()]) < 2


def _is_body(line: str) -> bool:
    """A paragraph of article prose, as opposed to a headline or page furniture."""
    words = len(line.split())
    return words >= _MIN_BODY_WORDS or (
        words >= _MIN_SENTENCE_WORDS and line.endswith((".", "!", "?", '"', "”"))
    )


def clean_name(value: object) -> str | None:
    """A title or outlet name with whitespace collapsed and stray separators trimmed."""
    if not isinstance(value, str):
        return None
    name = " ".join(value.split()).strip(" |-–—:·•")
    return name or None


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for key, value in _FRONT_FIELD.findall(match.group(1)):
        target = _FRONT_KEYS.get(key.lower())
        if target and value and target not in meta:
            meta[target] = value.strip("\"'")
    if not meta:
        return {}, text
    return meta, text[match.end() :]


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"\s+#+\s*$", "", line)
    return re.sub(r"^(\*\*|__)(.+)\1$", r"\2", line).strip()


def _is_headline(line: str) -> bool:
    words = line.split()
    if not 3 <= len(line) <= _MAX_TITLE_CHARS or not words or len(words) > _MAX_TITLE_WORDS:
        return False
    if line.endswith(("...", "…")):
        return True
    if line.endswith((".", ",", ";", ":")):
        return False
    if line.endswith(("?", "!")):
        return len(words) <= _MAX_QUESTION_TITLE_WORDS
    return any(ch.isalpha() for ch in line)
