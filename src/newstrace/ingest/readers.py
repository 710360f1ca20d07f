"""``read_inputs``: every input a user names, turned into documents or reasons.

Inputs are files, directories (walked recursively in sorted order, so ids are
the same on every run), or ``-`` for standard input. Each file is opened once
and streamed: gzip is undone by magic bytes, the kind is sniffed from the
content (:mod:`newstrace.ingest.detect`), and the reader for that kind yields
documents one at a time. Documents are numbered ``d1``, ``d2``, … in input
order.

Inside directories, hidden files and directories (names starting with ``.``,
such as ``.git`` or ``.DS_Store``) are ignored; a file named explicitly is
always read. A path named twice (or a file inside a directory also named) is
read once.

Limits: one document (a text file, a page, a JSON line, a WARC record) may be
at most :data:`MAX_DOCUMENT_BYTES` (20 MB, trafilatura's own limit, above
which it refuses to extract); larger ones are skipped without being read
into memory. Feeds and JSON documents, which are parsed whole, may be
:data:`MAX_PARSED_BYTES`; JSON Lines and WARC files are streamed and have no
overall limit.

Every problem with an input is a :class:`Skipped` with a one-line reason and
the run goes on; an unexpected library error on one input is logged and
reported the same way rather than ending the run.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from newstrace.ingest.decode import NotText, decode_bytes
from newstrace.ingest.detect import (
    FEED,
    HTML,
    JSON,
    JSONL,
    MHTML,
    TEXT,
    WARC,
    NotArticle,
    detect_kind,
)
from newstrace.ingest.feed import read_feed
from newstrace.ingest.html import html_document
from newstrace.ingest.jsonl import read_json, read_jsonl
from newstrace.ingest.mhtml import mhtml_document
from newstrace.ingest.names import made_safe
from newstrace.ingest.source import Input
from newstrace.ingest.text import text_document
from newstrace.ingest.warc import read_warc
from newstrace.model import Document, Skipped

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20_000_000
MAX_PARSED_BYTES = 200_000_000
STDIN = "-"
STDIN_ORIGIN = "<stdin>"


def read_inputs(inputs: Iterable[str | Path]) -> Iterator[Document | Skipped]:
    """Documents, or a :class:`Skipped` for each input (or record) that cannot be read.

    ``inputs`` is a list of paths; a single path (``"articles/"``) is taken as
    one input, not as a sequence of one-letter names. Origins are shown-safe
    (:func:`newstrace.ingest.names.shown_name`: bytes that are not UTF-8 and
    control characters escaped), metadata and text valid UTF-8.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    number = 0
    seen: set[Path] = set()
    for item in inputs:
        for target in expand_input(item, seen):
            if isinstance(target, Skipped):
                yield made_safe(target)
                continue
            for result in read_file(*target):
                if isinstance(result, Document):
                    number += 1
                    result.id = f"d{number}"
                yield made_safe(result)


def expand_input(item: str | Path, seen: set[Path]) -> Iterator[Skipped | tuple[str, Path | None]]:
    """(origin, path) for each file the input names (path None: standard input)."""
    name = str(item)
    if name == STDIN:
        yield STDIN_ORIGIN, None
        return
    if not name.strip():
        yield Skipped(repr(name), "empty path")
        return
    path = Path(item)
    if not path.exists():
        yield Skipped(name, _missing_reason(name))
        return
    if path.is_dir():
        yield from _walk(path, seen)
        return
    if _first_time(path, seen):
        yield name, path


def _missing_reason(name: str) -> str:
    if name.startswith(("http://", "https://")):
        return "URLs are not fetched: save the page and give the file"
    if os.path.islink(name):
        return "broken symbolic link"
    return "no such file or directory"


def _walk(top: Path, seen: set[Path]) -> Iterator[Skipped | tuple[str, Path]]:
    """Files under ``top`` in sorted path order, hidden ones left out."""
    files: list[Path] = []
    hidden = 0
    unreadable: list[OSError] = []
    for folder, dirnames, filenames in os.walk(top, onerror=unreadable.append):
        hidden += sum(name.startswith(".") for name in dirnames + filenames)
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        files.extend(Path(folder) / name for name in filenames if not name.startswith("."))
    for path in sorted(files, key=lambda p: p.relative_to(top).parts):
        if _first_time(path, seen):
            yield str(path), path
    for error in unreadable:
        yield Skipped(
            str(error.filename or top),
            f"cannot read directory: {(error.strerror or str(error)).lower()}",
        )
    if not files and not unreadable:
        note = f" ({hidden} hidden entries ignored)" if hidden else ""
        yield Skipped(str(top), f"directory has no files to read{note}")


def _first_time(path: Path, seen: set[Path]) -> bool:
    try:
        key = path.resolve()
    except OSError:
        return True
    if key in seen:
        return False
    seen.add(key)
    return True


def read_file(origin: str, path: Path | None) -> Iterator[Document | Skipped]:
    try:
        raw, size = _open(path)
    except OSError as exc:
        yield Skipped(origin, f"cannot open: {(exc.strerror or str(exc)).lower()}")
        return
    try:
        inp = Input(origin, raw, name=path.name if path else "", size=size)
        yield from _read_input(inp)
    except Exception as exc:  # one odd input must not end the run; the reason is kept
        log.debug("unexpected error reading %s", origin, exc_info=True)
        yield Skipped(
            origin, f"could not be read ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
        )
    finally:
        if path is not None:
            raw.close()


def _open(path: Path | None) -> tuple[BinaryIO, int | None]:
    if path is None:
        return sys.stdin.buffer, None
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller after streaming
    stat = os.fstat(raw.fileno())
    return raw, stat.st_size if path.is_file() else None


def _read_input(inp: Input) -> Iterator[Document | Skipped]:
    if inp.error and not inp.head:
        yield Skipped(inp.origin, inp.error)
        return
    try:
        kind = detect_kind(inp.head, inp.name)
    except NotArticle as exc:
        yield Skipped(inp.origin, str(exc))
        return
    if kind == WARC:
        yield from read_warc(inp, MAX_DOCUMENT_BYTES)
    elif kind == JSONL:
        yield from read_jsonl(inp, MAX_DOCUMENT_BYTES)
    elif kind in (FEED, JSON):
        yield from _read_parsed_whole(inp, kind)
    else:
        yield _read_page(inp, kind)


def _read_parsed_whole(inp: Input, kind: str) -> Iterator[Document | Skipped]:
    data = None if (inp.size or 0) > MAX_PARSED_BYTES else inp.read_all(MAX_PARSED_BYTES)
    if data is None:
        yield Skipped(
            inp.origin, f"{kind} file {_size(inp)}over the {MAX_PARSED_BYTES // 1_000_000} MB limit"
        )
    elif kind == FEED:
        yield from read_feed(inp.origin, data, broken=inp.error)
    elif inp.error:
        yield Skipped(inp.origin, inp.error)
    else:
        yield from read_json(inp.origin, data)


def _read_page(inp: Input, kind: str) -> Document | Skipped:
    """One text or HTML document, refused unread when it is over the size limit.

    A saved MHTML page carries its images too, so it may be as large as a
    feed; the HTML inside it is then held to the one-document limit.
    """
    limit = MAX_PARSED_BYTES if kind == MHTML else MAX_DOCUMENT_BYTES
    if inp.size is not None and inp.size > limit:
        return Skipped(inp.origin, _too_large(inp, kind, limit))
    data = inp.read_all(limit)
    if data is None:
        return Skipped(inp.origin, _too_large(inp, kind, limit))
    if inp.error:
        return Skipped(inp.origin, inp.error)
    if kind == MHTML:
        return mhtml_document(inp.origin, data, MAX_DOCUMENT_BYTES)
    try:
        content = decode_bytes(data)
    except NotText as exc:
        return Skipped(inp.origin, str(exc))
    if kind == HTML:
        return html_document(inp.origin, content)
    assert kind == TEXT, kind
    return text_document(inp.origin, content)


def _too_large(inp: Input, kind: str, limit: int) -> str:
    what = {HTML: "page", MHTML: "saved page"}.get(kind, "text")
    return f"{what} {_size(inp)}over the {limit // 1_000_000} MB limit for one document" + (
        " (after decompression)" if inp.compressed else ""
    )


def _size(inp: Input) -> str:
    return "" if inp.size is None else f"of {inp.size / 1e6:.1f} MB is "
