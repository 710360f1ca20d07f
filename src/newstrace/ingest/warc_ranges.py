"""Large WARC files cut at record boundaries, read range by range as ingest reads them whole.

The client finds record offsets with warcio (``get_record_offset``: in the
file as stored, so a ``.warc.gz`` written one gzip member per record, as
crawlers write them, is cut between members) and cuts about every
``partition_bytes``. A worker reads its range with ingest's own record
helpers and returns the pages plus its counts of pages and other records;
the client adds the counts and, after the file's last range, reports what
ingest reports once per archive (no HTML page at all, records with a wrong
Content-Length, a truncated end).

One difference from reading whole: after a corrupt record header in the
middle of an archive ingest stops reading the file, while the ranges after
it are still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newstrace.ingest import warc as _warc  # same package: the record helpers stay private
from newstrace.ingest.readers import MAX_DOCUMENT_BYTES
from newstrace.ingest.source import Input
from newstrace.model import Document, Skipped


@dataclass(frozen=True)
class WarcRange:
    """Records of a WARC file stored in bytes ``[start, end)``."""

    origin: str
    path: str
    start: int
    end: int
    last_of_file: bool

    @property
    def size(self) -> int:
        return self.end - self.start


@dataclass
class WarcCounts(Skipped):
    """Not a skip: a range's record counts, folded into the file's summary on the client."""

    pages: int = 0
    other: int = 0
    wrong_length: int = 0
    tail: Skipped | None = None  # the last range's truncation or stream error


def warc_ranges(origin: str, path: Path, partition_bytes: int) -> list[WarcRange] | None:
    """Record-aligned byte ranges, or None when the archive cannot be cut (one gzip stream, damage)."""
    offsets: list[int] = []
    try:
        with open(path, "rb") as raw:
            archive = _warc._QuietArchiveIterator(raw, arc2warc=True)
            for _ in archive:
                offsets.append(archive.get_record_offset())
    except Exception:
        return None
    if len(offsets) < 2 or len(set(offsets)) != len(offsets):
        return None
    size = path.stat().st_size
    cuts = [0]
    for offset in offsets[1:]:
        if offset - cuts[-1] >= partition_bytes:
            cuts.append(offset)
    bounds = list(zip(cuts, cuts[1:] + [size]))
    if len(bounds) < 2:
        return None
    return [
        WarcRange(origin, str(path), s, e, n == len(bounds) - 1) for n, (s, e) in enumerate(bounds)
    ]


def read_warc_range(entry: WarcRange, bounded) -> Iterator[Document | Skipped]:
    """Pages of the range, then one :class:`WarcCounts`."""
    with open(entry.path, "rb") as raw:
        raw.seek(entry.start)
        inp = Input(
            entry.origin, bounded(raw, entry.size), name=Path(entry.path).name, size=entry.size
        )
        archive = _warc._QuietArchiveIterator(inp.stream, arc2warc=True)
        counts = WarcCounts(entry.origin, "")
        records = iter(archive)
        while True:
            try:
                record = next(records, None)
            except Exception as exc:
                detail = (
                    _warc._one_line(exc)
                    if isinstance(exc, _warc.ArchiveLoadFailed)
                    else "unreadable record header"
                )
                yield Skipped(
                    entry.origin,
                    f"corrupt or truncated WARC after {_warc._records(counts.pages + counts.other)} "
                    f"({detail}); the rest was not read",
                )
                break
            if record is None:
                break
            if _warc._is_page_record(record):
                counts.pages += 1
                yield _warc._page(entry.origin, record, MAX_DOCUMENT_BYTES)
            else:
                counts.other += 1
                if _warc._cut_short(record):
                    yield Skipped(
                        _warc._record_origin(entry.origin, record),
                        f"truncated WARC record ({record.raw_stream.limit} bytes missing)",
                    )
        counts.wrong_length = archive.err_count
        if inp.error:
            counts.tail = Skipped(
                entry.origin, f"{inp.error} after {{records}}; the rest of the archive was lost"
            )
        elif entry.last_of_file and _warc._ends_inside_a_record(archive):
            counts.tail = Skipped(
                entry.origin,
                f"truncated WARC: the record after byte {entry.start + archive.offset} is cut off",
            )
        yield counts


def summarise_warc(origin: str, results: list[Document | Skipped]) -> list[Document | Skipped]:
    """The ranges' results with the per-archive messages ingest gives at the end."""
    out = [r for r in results if not isinstance(r, WarcCounts)]
    counts = [r for r in results if isinstance(r, WarcCounts)]
    pages, other = sum(c.pages for c in counts), sum(c.other for c in counts)
    wrong = sum(c.wrong_length for c in counts)
    if wrong:
        out.append(
            Skipped(
                origin,
                f"{_warc._records(wrong)} with a wrong Content-Length: "
                "pages next to them may be incomplete or lost",
            )
        )
    tail = next((c.tail for c in counts if c.tail is not None), None)
    if tail is not None:
        out.append(
            Skipped(tail.origin, tail.error.replace("{records}", _warc._records(pages + other)))
        )
    if pages == 0 and other:
        out.append(
            Skipped(origin, f"no HTML page in the archive ({_warc._records(other)} of other kinds)")
        )
    return out
