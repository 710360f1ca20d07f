"""WARC (and ARC) web archives through warcio: one document per HTML page.

Only successful (2xx) ``response`` records and ``resource`` records holding
HTML are articles; a crawl also holds requests, metadata, redirects, images,
scripts and style sheets, and listing each of those as skipped would bury the
report, so they are counted and mentioned only when an archive has no HTML
page at all. A record's ``origin`` is ``FILE#TARGET-URI``; its ``url`` is the
``WARC-Target-URI`` (where the page really was), and ``WARC-Date`` (the crawl
time) is the publication date only when the page itself gives none.

warcio stops quietly at a truncated archive; here a record cut short (fewer
payload bytes than its ``Content-Length``), a cut record header, or a broken
gzip member is reported as skipped after the records read before the break.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newstrace.ingest.decode import NotText, decode_bytes
from newstrace.ingest.detect import NotArticle, detect_kind
from newstrace.ingest.html import html_document
from newstrace.ingest.source import Input
from newstrace.model import Document, Skipped

# warcio logs through the root's last-resort handler, i.e. raw lines on the
# user's stderr; what it warns about is reported here as skips instead.
logging.getLogger("warcio").addHandler(logging.NullHandler())

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_DRAIN = 1 << 16


class _QuietArchiveIterator(ArchiveIterator):
    """warcio writes a multi-line warning to stderr for a record with a wrong
    Content-Length; here it is only counted (``err_count``) and reported as a skip."""

    INC_RECORD = ""


def read_warc(inp: Input, max_record_bytes: int) -> Iterator[Document | Skipped]:
    """Documents for the HTML pages in a WARC input, streamed record by record."""
    archive = _QuietArchiveIterator(inp.stream, arc2warc=True)
    pages = other = 0
    records = iter(archive)
    while True:
        try:
            record = next(records, None)
        except Exception as exc:
            detail = (
                _one_line(exc) if isinstance(exc, ArchiveLoadFailed) else "unreadable record header"
            )
            yield Skipped(
                inp.origin,
                f"corrupt or truncated WARC after {_records(pages + other)} ({detail}); the rest was not read",
            )
            return
        if record is None:
            break
        if _is_page_record(record):
            pages += 1
            yield _page(inp.origin, record, max_record_bytes)
        else:
            other += 1
            if _cut_short(record):
                yield Skipped(
                    _record_origin(inp.origin, record),
                    f"truncated WARC record ({record.raw_stream.limit} bytes missing)",
                )
    if archive.err_count:
        yield Skipped(
            inp.origin,
            f"{_records(archive.err_count)} with a wrong Content-Length: pages next to them may be incomplete or lost",
        )
    if inp.error:
        yield Skipped(
            inp.origin,
            f"{inp.error} after {_records(pages + other)}; the rest of the archive was lost",
        )
    elif _ends_inside_a_record(archive):
        yield Skipped(
            inp.origin, f"truncated WARC: the record after byte {archive.offset} is cut off"
        )
    if pages == 0 and other:
        yield Skipped(inp.origin, f"no HTML page in the archive ({_records(other)} of other kinds)")
    elif pages == other == 0 and not inp.error:
        yield Skipped(inp.origin, "WARC file holds no records")


def _is_page_record(record) -> bool:
    if record.rec_type == "response":
        if record.http_headers is None:
            return False
        status = record.http_headers.get_statuscode() or ""
        return status.startswith("2") and _is_html_type(
            record.http_headers.get_header("Content-Type")
        )
    if record.rec_type == "resource":
        return _is_html_type(record.rec_headers.get_header("Content-Type"))
    return False


def _is_html_type(content_type: str | None) -> bool:
    return content_type is None or content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _page(file_origin: str, record, max_record_bytes: int) -> Document | Skipped:
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    origin = _record_origin(file_origin, record)
    if (record.length or 0) > max_record_bytes:
        return Skipped(
            origin,
            f"page of {record.length / 1e6:.1f} MB, over the {max_record_bytes // 1_000_000} MB limit",
        )
    payload = record.content_stream().read(max_record_bytes + 1)
    if _cut_short(record):
        return Skipped(origin, f"truncated WARC record ({record.raw_stream.limit} bytes missing)")
    if len(payload) > max_record_bytes:
        return Skipped(
            origin, f"page over the {max_record_bytes // 1_000_000} MB limit after decompression"
        )
    try:
        detect_kind(payload[:65536], uri)  # refuses binary data labelled as HTML
        html = decode_bytes(payload, _charset(record))
    except (NotArticle, NotText) as exc:
        return Skipped(origin, str(exc))
    crawled = record.rec_headers.get_header("WARC-Date")
    return html_document(origin, html, location=uri or None, fallback_date=crawled, url=uri or None)


def _record_origin(file_origin: str, record) -> str:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    return f"{file_origin}#{uri}" if uri else file_origin


def _cut_short(record) -> bool:
    raw = record.raw_stream
    while raw.read(_DRAIN):
        pass
    return getattr(raw, "limit", 0) > 0


def _ends_inside_a_record(archive: ArchiveIterator) -> bool:
    """warcio ends quietly when a record header is cut; bytes past the last record tell."""
    try:
        return archive.fh.tell() > archive.offset
    except (AttributeError, OSError, ValueError):
        return False


def _charset(record) -> str | None:
    headers = record.http_headers or record.rec_headers
    match = _CHARSET.search(headers.get_header("Content-Type") or "")
    return match.group(1).lower() if match else None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"
