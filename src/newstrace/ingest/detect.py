"""What an input is, decided from its first bytes; the file name only breaks ties.

Users rename files, save pages as ``.txt``, pipe archives into standard input
and keep feeds as ``.html``; the content says what a file is. The sniffer
looks at the (decompressed) head of the input:

- known binary signatures (PDF, images, archives, office files, executables)
  are not articles and are refused with their name;
- ``WARC/1.x`` (or an ARC ``filedesc://`` header) is a web archive;
- mail-style headers with ``MIME-Version`` and ``multipart/related`` are a
  page saved by a browser (MHTML);
- markup: the first element decides — ``<rss>``, ``<feed>``, ``<rdf:RDF>``
  are feeds, ``<!DOCTYPE html>``/``<html>`` or any HTML tag a page; other XML is
  refused;
- a JSON object on the first line is JSON Lines; a JSON array of objects, or
  one object spread over lines, is a JSON document of records;
- anything else is text, unless it carries enough HTML tags to be a page
  with some leading junk; when the tag count is in between, a ``.html``/``.htm``
  name tips it.

python-magic/filetype would only cover the binary signatures (and magic needs
libmagic); the article kinds need these content rules anyway, so the handful
of signatures is listed here.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from newstrace.ingest.decode import bom_encoding

WARC, FEED, HTML, JSONL, JSON, TEXT, MHTML = (
    "warc",
    "feed",
    "html",
    "jsonl",
    "json",
    "text",
    "mhtml",
)

_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or an office document)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data (decompress it first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"PAR1", "a Parquet file"),
)
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_HTML_ROOTS = {
    "html",
    "head",
    "body",
    "article",
    "main",
    "div",
    "p",
    "section",
    "header",
    "meta",
    "title",
    "link",
    "script",
    "style",
    "table",
    "h1",
    "h2",
    "h3",
    "span",
    "a",
    "ul",
    "ol",
    "br",
    "img",
    "nav",
    "figure",
    "blockquote",
    "font",
    "center",
    "b",
    "i",
    "em",
    "strong",
    "form",
    "iframe",
}
_PREAMBLE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!(?!doctype)[^>]*>)", re.S | re.I)
_DOCTYPE = re.compile(r"<!doctype\s+([a-z]+)", re.I)
_ROOT = re.compile(r"<([a-zA-Z][\w:.-]*)")
_PAGE_MARKERS = re.compile(r"<(?:html|body|head)[\s>]|<!doctype\s+html", re.I)
_TAGS = re.compile(
    r"</?(?:p|div|br|a|span|article|section|h[1-6]|li|ul|ol|table|td|tr|img|strong|em|b|i)\b[^>]*>",
    re.I,
)
_MIME_HEADER = re.compile(r"(?:[A-Za-z-]+:[^\n]*\r?\n)*?MIME-Version:", re.I)
_MULTIPART = re.compile(r"^Content-Type:\s*multipart/related", re.I | re.M)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
_CLEARLY_HTML_TAGS = 12
_MAYBE_HTML_TAGS = 3


class NotArticle(ValueError):
    """The input is clearly not something an article can be read from."""


def detect_kind(head: bytes, name: str = "") -> str:
    """The kind of input whose content starts with ``head`` (raises :class:`NotArticle`)."""
    if not head:
        raise NotArticle("empty file")
    binary = _binary_signature(head)
    if binary:
        raise NotArticle(f"not an article: {binary}")
    text = _sniff_text(head)
    stripped = text.lstrip()
    if not stripped:
        raise NotArticle("empty file (only whitespace)")
    if stripped.startswith(("WARC/", "filedesc://")):
        return WARC
    if _MIME_HEADER.match(stripped) and _MULTIPART.search(stripped[:4096]):
        return MHTML
    if stripped.startswith("<"):
        return _markup_kind(stripped, name)
    if stripped.startswith(("{", "[")):
        json_kind = _json_kind(stripped)
        if json_kind:
            return json_kind
    return _text_or_html(text, name)


def _binary_signature(head: bytes) -> str | None:
    if bom_encoding(head):
        return None
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    if head[8:12] in (b"WEBP", b"AVI ", b"WAVE") and head.startswith(b"RIFF"):
        return "a RIFF media file"
    if head.startswith(b"MZ") and b"\x00" in head[:64]:
        return "a Windows executable"
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    return None


def _sniff_text(head: bytes) -> str:
    encoding = bom_encoding(head)
    if encoding:
        return head.decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="replace")


def _markup_kind(text: str, name: str) -> str:
    rest = text
    while True:
        match = _PREAMBLE.match(rest)
        if not match or match.end() == 0:
            break
        rest = rest[match.end() :]
    rest = rest.lstrip()
    doctype = _DOCTYPE.match(rest)
    if doctype:
        name = doctype.group(1).lower()
        if name in _FEED_ROOTS:  # old feeds carry one (RSS 0.91); the feed reader drops it
            return FEED
        return HTML if name == "html" else _not_a_page(doctype.group(1))
    match = _ROOT.match(rest)
    root = match.group(1).lower() if match else ""
    if root in _FEED_ROOTS:
        return FEED
    if root in _HTML_ROOTS or _PAGE_MARKERS.search(text):
        return HTML
    if text.startswith("<?xml"):
        return _not_a_page(root)
    return _text_or_html(text, name)


def _not_a_page(root: str) -> str:
    raise NotArticle(
        f"not an article: XML document with root <{root or '?'}>, neither a feed nor a web page"
    )


def _json_kind(text: str) -> str | None:
    first_line = text.split("\n", 1)[0].strip()
    if first_line.startswith("{"):
        try:
            return JSONL if isinstance(json.loads(first_line), dict) else None
        except ValueError:
            if first_line == "{" or re.match(r'\{\s*"[^"]*"\s*:\s*[\[{]\s*$', first_line):
                return JSON  # one object spread over lines
            return (
                JSONL if re.match(r'\{\s*"', first_line) else None
            )  # a broken first record, or not JSON
    if re.match(r"\[\s*(\{|\])", text):
        return JSON
    return None


def _text_or_html(text: str, name: str) -> str:
    if _PAGE_MARKERS.search(text):
        return HTML
    tags = len(_TAGS.findall(text))
    if tags >= _CLEARLY_HTML_TAGS:
        return HTML
    if tags >= _MAYBE_HTML_TAGS and PurePath(name).suffix.lower() in _HTML_SUFFIXES:
        return HTML
    return TEXT
