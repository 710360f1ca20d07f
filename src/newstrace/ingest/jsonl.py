"""JSON Lines (one article record per line) and JSON documents holding records.

A record has ``text`` or ``html`` and optionally ``title``, ``url``,
``published``, ``source`` and ``id``. The field names of common crawler and
API dumps are accepted too (news-please's ``maintext``/``date_publish``/
``source_domain``, ``body``, ``content``, ``headline``, ``link``, ``date``, a
NewsAPI-style ``source: {"name": ...}``, JSON Feed's ``items`` with
``content_html``/``content_text``/``date_published``). When a record has both, ``html``
wins: the clean stage extracts the body itself and the page's metadata fills
the fields the record leaves empty. A ``text`` that is a whole HTML page is
read as ``html``.

A record's ``origin`` is ``FILE#ID`` when it has an id, else ``FILE:LINE``
(``FILE[INDEX]`` in a JSON array). The file is streamed line by line; a broken
line or a record without a body is skipped with its line number and the other
records go on. When *no* record has a body the file is probably not an article
dump (labels, a config), and it is reported once instead of line by line.

Two records of one file with the same id (``7`` and ``"7"`` too) would share
an origin; the later ones become ``FILE:LINE#ID`` (``FILE[INDEX]#ID``), so
each record keeps an origin of its own, and a warning names them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from newstrace.ingest.html import html_document
from newstrace.ingest.source import Input
from newstrace.ingest.text import text_document
from newstrace.model import Document, Skipped

log = logging.getLogger(__name__)
"""Annotation: a record's file and position origin (``FILE:LINE``), while its file is summarised."""

_FIELDS = {
    "text": ("text", "maintext", "body", "content", "article", "article_text", "content_text"),
    "html": ("html", "raw_html", "content_html", "body_html"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url", "uri"),
    "published": (
        "published",
        "date",
        "published_at",
        "publishedAt",
        "date_publish",
        "datePublished",
        "pubDate",
        "date_published",
    ),
    "source": ("source", "site", "outlet", "publisher", "source_domain", "sitename"),
    "id": ("id", "_id", "guid", "uuid", "doc_id"),
}
_PAGE = re.compile(r"\s*(<!doctype html|<html[\s>])", re.I)
_CONTAINER_KEYS = ("articles", "documents", "records", "items", "data", "results")


def read_jsonl(inp: Input, max_record_bytes: int) -> Iterator[Document | Skipped]:
    """Documents for the records of a JSON Lines input, streamed."""
    results = (
        line_result(inp.origin, number, line, max_record_bytes)
        for number, line in numbered_lines(inp, max_record_bytes)
        if line is None or line.strip()
    )
    yield from summarise_records(inp.origin, results)
    if inp.error:
        yield Skipped(inp.origin, f"{inp.error}; records after the last complete line were lost")


def read_json(origin: str, data: bytes) -> Iterator[Document | Skipped]:
    """Documents for a JSON document: an array of records, one record, or ``{"articles": [...]}``."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield Skipped(origin, "invalid JSON: not UTF-8 text")
        return
    except json.JSONDecodeError as exc:
        yield Skipped(origin, f"invalid JSON: {_where(exc)}, line {exc.lineno}")
        return
    records = _records_in(value)
    if records is None:
        yield Skipped(
            origin, "JSON holds no article records (expected an object or a list of objects)"
        )
        return
    results = (
        record_document(origin, f"{origin}[{index}]", record)
        for index, record in enumerate(records)
    )
    yield from summarise_records(origin, results)


def record_document(file_origin: str, position_origin: str, record: Any) -> Document | Skipped:
    """A document from one record: ``FILE#ID`` if it has an id, else ``position_origin``."""
    if not isinstance(record, dict):
        return Skipped(
            position_origin, f"invalid record: expected a JSON object, got {type(record).__name__}"
        )
    fields = {name: _first(record, keys) for name, keys in _FIELDS.items()}
    record_id = fields.pop("id")
    has_id = (
        isinstance(record_id, (str, int))
        and not isinstance(record_id, bool)
        and str(record_id).strip()
    )
    origin = f"{file_origin}#{record_id}" if has_id else position_origin
    text, html = fields.pop("text"), fields.pop("html")
    fields["source"] = _source_name(fields["source"])
    published = fields["published"]
    fields = {name: value if isinstance(value, str) else None for name, value in fields.items()}
    if isinstance(published, (int, float)) and not isinstance(published, bool):
        fields["published"] = published  # an epoch date; iso_date reads numbers
    if not (isinstance(html, str) and html.strip()) and isinstance(text, str) and _PAGE.match(text):
        html = text  # dumps that put the whole page under "text"
    if isinstance(html, str) and html.strip():
        doc = html_document(origin, html, location=fields.get("url"), **fields)
    elif isinstance(text, str) and text.strip():
        doc = text_document(origin, text, **fields)
    else:
        return _BodylessSkip(origin, "record has neither 'text' nor 'html'")
    if has_id and isinstance(doc, Document):
        doc.annotations.record_position = (file_origin, position_origin)
    return doc


class _BodylessSkip(Skipped):
    """A record without a body: reported per line only if other records have one."""


def line_result(
    file_origin: str, number: int, line: bytes | None, max_record_bytes: int
) -> Document | Skipped:
    """Line ``number`` of a JSON Lines file (None: over the size limit) as a document or a reason.

    Body-less records come back as such for :func:`summarise_records`; the
    Dask engine calls this on files it reads in byte ranges.
    """
    origin = f"{file_origin}:{number}"
    if line is None:
        return Skipped(origin, f"record longer than the {max_record_bytes // 1_000_000} MB limit")
    try:
        record = json.loads(line.rstrip(b"\r\n").decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError:
        return Skipped(origin, "invalid JSON: not UTF-8 text")
    except json.JSONDecodeError as exc:
        return Skipped(origin, f"invalid JSON: {_where(exc)}")
    return record_document(file_origin, origin, record)


def numbered_lines(inp: Input, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines; None for a line over ``limit`` bytes, which is read past, not kept."""
    number = 0
    while True:
        line = inp.stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := inp.stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        if not line.endswith(b"\n") and inp.error:
            return  # the last line was cut by the broken stream: it is part of what was lost
        yield number, line


def summarise_records(
    origin: str, results: Iterable[Document | Skipped]
) -> Iterator[Document | Skipped]:
    """A file's record results as reported: body-less records listed only if some record has a body.

    They are held until the first record with a body; when no record has one
    the file is reported once instead (probably not an article dump).
    """
    held: list[Skipped] = []
    found_body = False
    first_at: dict[str, str] = {}
    any_result = False
    for result in results:
        any_result = True
        if isinstance(result, Document):
            _distinct_origin(result, first_at)
        if isinstance(result, _BodylessSkip) and not found_body:
            held.append(result)
            continue
        if isinstance(result, Document) and not found_body:
            found_body = True
            yield from (Skipped(s.origin, s.error) for s in held)
            held.clear()
        yield Skipped(result.origin, result.error) if isinstance(result, Skipped) else result
    if held:
        yield Skipped(origin, f"no record has a 'text' or 'html' field ({len(held)} records)")
    elif not any_result:  # an empty list: the file must still be accounted for
        yield Skipped(origin, "no records (an empty list)")


def _distinct_origin(doc: Document, first_at: dict[str, str]) -> None:
    """Give a record whose id an earlier record of the file had its position as well."""
    if doc.annotations.record_position is None:
        return
    file_origin, position = doc.annotations.record_position
    doc.annotations.record_position = None
    earlier = first_at.setdefault(doc.origin, position)
    if earlier == position:
        return
    record_id = doc.origin[len(file_origin) + 1 :]
    renamed = f"{position}#{record_id}"
    log.warning(
        "%s: duplicate record id %r (first at %s); this record is kept as %s",
        position,
        record_id,
        earlier,
        renamed,
    )
    doc.origin = renamed


def _records_in(value: Any) -> list | None:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in _CONTAINER_KEYS:
            if isinstance(value.get(key), list):
                return value[key]
        return [value]
    return None


def _first(record: dict, keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _source_name(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("name") or value.get("title") or value.get("id")
    return value


def _where(exc: json.JSONDecodeError) -> str:
    """``Expecting value at column 12``; json's own messages end in "at" or not."""
    return f"{exc.msg}{'' if exc.msg.endswith(' at') else ' at'} column {exc.colno}"
