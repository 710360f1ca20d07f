"""Inputs cut into partitions that workers can read on their own, in input order.

A partition is a list of entries, each one of:

- a whole file (read exactly as :func:`newstrace.ingest.read_inputs` reads it);
- a byte range of a large uncompressed JSON Lines file, cut at line ends, with
  the number of its first line, so every record keeps its ``FILE:LINE`` origin;
  for a gzip-compressed one (a single gzip stream cannot be entered in the
  middle) the client decompresses and ships the lines themselves, chunk by chunk;
- a byte range of a large WARC file, cut between records
  (:mod:`newstrace.ingest.warc_ranges`);
- documents already read on the client (standard input cannot travel);
- a :class:`Skipped` found while expanding the inputs (a missing path).

Small files share a partition up to a byte budget; a JSON Lines file larger
than the budget is cut into several ranges, so a 1 GB dump is many
partitions, not one. The plan depends only on the inputs and the budget, and
reading the partitions one after the other yields the same documents and
skips, in the same order, as reading the inputs whole: a record's origin, its
line number and the per-file summary of body-less records
(:func:`summarise_split_file`) come out the same.

The expansion of directories, the reading of one file and the record parser
are ingest's own functions, imported rather than copied, so the two engines
cannot drift apart.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.ingest.detect import JSONL, WARC, NotArticle, detect_kind
from newstrace.ingest.jsonl import line_result, numbered_lines, summarise_records
from newstrace.ingest.readers import MAX_DOCUMENT_BYTES, STDIN_ORIGIN, expand_input, read_file
from newstrace.ingest.source import Input
from newstrace.ingest.warc_ranges import WarcRange, read_warc_range, warc_ranges
from newstrace.model import Document, Skipped

DEFAULT_PARTITION_BYTES = 4_000_000
MIN_PARTITION_BYTES = 64_000
_SCAN_CHUNK = 1 << 20
MAX_CHUNK_DOCUMENTS = 64


@dataclass(frozen=True)
class WholeFile:
    origin: str
    path: str
    size: int


@dataclass(frozen=True)
class RecordRange:
    """Lines ``first_line``… of a JSON Lines file: bytes ``[start, end)``, or the lines in ``data``
    (decompressed on the client; ``error`` says why the stream ended early, on the last chunk)."""

    origin: str
    path: str
    start: int
    end: int
    first_line: int
    last_of_file: bool
    data: bytes | None = None
    error: str | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.end - self.start


@dataclass(frozen=True)
class ReadOnClient:
    """Documents (or skips) already read on the client: standard input."""

    items: tuple
    size: int


@dataclass(frozen=True)
class SkippedInput:
    skipped: Skipped
    size: int = 0


Entry = WholeFile | RecordRange | WarcRange | ReadOnClient | SkippedInput


@dataclass
class Partition:
    number: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.entries)


def plan_partitions(
    inputs: Iterable[str | Path], partition_bytes: int = DEFAULT_PARTITION_BYTES
) -> list[Partition]:
    """The inputs as partitions of about ``partition_bytes`` each, in input order."""
    return list(iter_partitions(inputs, partition_bytes))


def iter_partitions(
    inputs: Iterable[str | Path], partition_bytes: int = DEFAULT_PARTITION_BYTES
) -> Iterator[Partition]:
    """:func:`plan_partitions`, lazily: decompressed chunks are made only as they are taken."""
    current = Partition(0)
    for entry in _entries(inputs, partition_bytes):
        if current.entries and current.size + entry.size > partition_bytes:
            yield current
            current = Partition(current.number + 1)
        current.entries.append(entry)
    if current.entries:
        yield current


def partition_budget(inputs: Iterable[str | Path], workers: int) -> int:
    """A budget giving each worker about four partitions, within sensible bounds."""
    total = 0
    for item in _as_list(inputs):
        path = Path(item)
        if str(item) == "-" or not path.exists():
            continue
        files = (
            [path] if path.is_file() else [Path(d) / f for d, _, fs in os.walk(path) for f in fs]
        )
        total += sum(_size(f) for f in files)
    budget = total // max(4 * workers, 1)
    return max(MIN_PARTITION_BYTES, min(DEFAULT_PARTITION_BYTES, budget))


def document_chunks(
    documents: list[Document], workers: int
) -> Iterator[tuple[int, list[Document]]]:
    """Documents already read, in contiguous chunks for ``workers`` processes, in input order.

    Each chunk is ``(position of its first document, its documents)``. As with
    :func:`partition_budget`, about four chunks per worker by text length (a
    worker that drew long articles is not left running alone at the end), each
    of at most :data:`MAX_CHUNK_DOCUMENTS`, so progress moves and a crash loses little.
    """
    total = sum(len(doc.text) for doc in documents)
    budget = max(1, total // max(4 * workers, 1))
    first, size = 0, 0
    for n, doc in enumerate(documents):
        if n > first and (size + len(doc.text) > budget or n - first >= MAX_CHUNK_DOCUMENTS):
            yield first, documents[first:n]
            first, size = n, 0
        size += len(doc.text)
    if first < len(documents):
        yield first, documents[first:]


def _as_list(inputs: Iterable[str | Path]) -> list[str | Path]:
    return [inputs] if isinstance(inputs, (str, Path)) else list(inputs)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _entries(inputs: Iterable[str | Path], partition_bytes: int) -> Iterator[Entry]:
    seen: set[Path] = set()
    for item in _as_list(inputs):
        for target in expand_input(item, seen):
            if isinstance(target, Skipped):
                yield SkippedInput(target)
                continue
            origin, path = target
            if path is None:
                items = tuple(read_file(origin, None))
                yield ReadOnClient(items, sum(len(getattr(i, "raw", "") or "") for i in items))
                continue
            size = _size(path)
            ranges = (
                _ranges(origin, path, size, partition_bytes) if size > partition_bytes else None
            )
            if ranges:
                yield from ranges
            else:
                yield WholeFile(origin, str(path), size)


def _ranges(
    origin: str, path: Path, size: int, partition_bytes: int
) -> Iterable[RecordRange | WarcRange] | None:
    """Record-aligned ranges of a JSON Lines or WARC file; None for anything else."""
    try:
        with open(path, "rb") as raw:
            inp = Input(origin, raw, name=path.name, size=size)
            kind = detect_kind(inp.head, inp.name)
            if kind == JSONL and not inp.compressed:
                return _cut_at_lines(origin, path, raw, size, partition_bytes)
    except (OSError, NotArticle):
        return None  # read whole, where the reader reports the problem as usual
    if kind == JSONL:
        return _decompressed_chunks(origin, path, partition_bytes)
    return warc_ranges(origin, path, partition_bytes) if kind == WARC else None


def _decompressed_chunks(origin: str, path: Path, partition_bytes: int) -> Iterator[RecordRange]:
    """Whole lines of a compressed JSON Lines file, about ``partition_bytes`` at a time."""
    with open(path, "rb") as raw:
        inp = Input(origin, raw, name=path.name)
        pending = bytearray()
        line = 1
        while True:
            block = inp.stream.read(_SCAN_CHUNK)
            pending += block
            while len(pending) > partition_bytes:
                cut = pending.find(b"\n", partition_bytes - 1) + 1
                if cut == 0:
                    break  # one line longer than the budget: read on to its end
                chunk = bytes(pending[:cut])
                del pending[:cut]
                yield RecordRange(origin, str(path), 0, 0, line, False, chunk)
                line += chunk.count(b"\n")
            if not block:
                yield RecordRange(origin, str(path), 0, 0, line, True, bytes(pending), inp.error)
                return


def _cut_at_lines(
    origin: str, path: Path, raw, size: int, partition_bytes: int
) -> list[RecordRange]:
    ranges: list[RecordRange] = []
    start, line, lines_before = 0, 1, 0
    raw.seek(0)
    position = 0
    while True:
        chunk = raw.read(_SCAN_CHUNK)
        if not chunk:
            break
        target = start + partition_bytes
        offset = 0
        while position + len(chunk) > target:
            cut = chunk.find(b"\n", max(target - position, offset))
            if cut < 0:
                break
            end = position + cut + 1
            lines_before += chunk.count(b"\n", offset, cut + 1)
            ranges.append(RecordRange(origin, str(path), start, end, line, False))
            start, line, offset = end, lines_before + 1, cut + 1
            target = start + partition_bytes
        lines_before += chunk.count(b"\n", offset)
        position += len(chunk)
    if start < size or not ranges:
        ranges.append(RecordRange(origin, str(path), start, size, line, True))
    else:
        last = ranges[-1]
        ranges[-1] = RecordRange(
            last.origin, last.path, last.start, last.end, last.first_line, True
        )
    return ranges


def read_entry(entry: Entry) -> list[Document | Skipped]:
    """What reading this entry yields (origins shown-safe); a record range keeps body-less records as such."""
    from newstrace.ingest.names import made_safe

    return [made_safe(item) for item in _read_entry(entry)]


def _read_entry(entry: Entry) -> list[Document | Skipped]:
    if isinstance(entry, SkippedInput):
        return [entry.skipped]
    if isinstance(entry, ReadOnClient):
        return list(entry.items)
    if isinstance(entry, WholeFile):
        return list(read_file(entry.origin, Path(entry.path)))
    if isinstance(entry, WarcRange):
        return list(read_warc_range(entry, _Bounded))
    return list(_read_range(entry))


def _read_range(entry: RecordRange) -> Iterator[Document | Skipped]:
    if entry.data is not None:
        yield from _read_lines(entry)
        return
    with open(entry.path, "rb") as raw:
        raw.seek(entry.start)
        inp = Input(
            entry.origin, _Bounded(raw, entry.size), name=Path(entry.path).name, size=entry.size
        )
        for number, line in numbered_lines(inp, MAX_DOCUMENT_BYTES):
            if line is None or line.strip():
                yield line_result(
                    entry.origin, entry.first_line + number - 1, line, MAX_DOCUMENT_BYTES
                )


def _read_lines(entry: RecordRange) -> Iterator[Document | Skipped]:
    data = entry.data or b""
    inp = Input(entry.origin, io.BytesIO(data), name=Path(entry.path).name, size=len(data))
    for number, line in numbered_lines(inp, MAX_DOCUMENT_BYTES):
        if entry.error and line is not None and not line.endswith(b"\n"):
            break  # the last line was cut by the broken stream: it is part of what was lost
        if line is None or line.strip():
            yield line_result(entry.origin, entry.first_line + number - 1, line, MAX_DOCUMENT_BYTES)
    if entry.error:
        yield _StreamLost(
            entry.origin, f"{entry.error}; records after the last complete line were lost"
        )


class _StreamLost(Skipped):
    """The compressed stream broke: reported after the file's other skips, as ingest does."""


def summarise_split_file(
    file_origin: str, results: list[Document | Skipped]
) -> list[Document | Skipped]:
    """The results of a file read in ranges, as ingest reports the file read whole.

    Body-less records are held until the first record with a body and then
    listed; when no record has a body the file is reported once instead.
    """
    lost = [r for r in results if isinstance(r, _StreamLost)]
    kept = (r for r in results if not isinstance(r, _StreamLost))
    return [*summarise_records(file_origin, kept), *(Skipped(r.origin, r.error) for r in lost)]


class _Bounded(io.RawIOBase):
    """At most ``size`` bytes of ``raw`` from its current position."""

    def __init__(self, raw, size: int):
        self._raw = raw
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        n = self._raw.readinto(view) or 0
        self._left -= n
        return n


__all__ = [
    "STDIN_ORIGIN",
    "Partition",
    "document_chunks",
    "partition_budget",
    "plan_partitions",
    "read_entry",
    "summarise_split_file",
]
