"""The data classes every stage shares, defined once.

A :class:`Document` is created by ``ingest``, gets its cleaned ``text`` and
``removed`` list from ``clean``, its ``story`` from ``stories``; ``reuse`` and
``facts`` add :class:`ReuseLink` and :class:`Fact` objects to the
:class:`Story` they belong to. ``report`` turns a :class:`Report` into the
``newstrace.report/1`` JSON contract (see ``PRODUCT.md``), so the field names
here follow that contract.

Spans are Python string offsets into the document's cleaned ``text``, end
exclusive, everywhere.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from newstrace.reuse.digest import ReuseDigest
    from newstrace.reuse.text import ReuseView

SCHEMA_ID = "newstrace.report/1"

Span = tuple[int, int]


class Verdict(StrEnum):
    """What the articles of a story say about one fact; the JSON value is the member's value.

    Members are listed from the most to the least severe: the order every
    report shows them in.
    """

    ALTERED = "altered"
    CONFLICT = "conflict"
    COMPATIBLE = "compatible"
    AGREE = "agree"
    SINGLE_SOURCE = "single_source"

    @property
    def severity(self) -> int:
        """Higher is worse: which verdict wins when a fact's statement pairs disagree."""
        return _SEVERITY[self]

    @property
    def flagged(self) -> bool:
        """A difference a reader must look at (``altered`` or ``conflict``)."""
        return self in (Verdict.ALTERED, Verdict.CONFLICT)

    @property
    def heading(self) -> str:
        """The heading reports put above the facts with this verdict."""
        return _HEADINGS[self]


_SEVERITY = {
    Verdict.ALTERED: 3,
    Verdict.CONFLICT: 2,
    Verdict.COMPATIBLE: 1,
    Verdict.AGREE: 0,
    Verdict.SINGLE_SOURCE: -1,
}
_HEADINGS = {
    Verdict.ALTERED: "Altered by a copy",
    Verdict.CONFLICT: "In conflict",
    Verdict.COMPATIBLE: "Compatible",
    Verdict.AGREE: "Agreed",
    Verdict.SINGLE_SOURCE: "Single source",
}


class ReuseKind(StrEnum):
    """How a derived article reuses its origin, from the closest copy to the loosest."""

    DUPLICATE = "duplicate"
    NEAR_COPY = "near_copy"
    REWRITE = "rewrite"
    SHARED_SOURCE = "shared_source"

    @property
    def label(self) -> str:
        """The words reports use for it."""
        return self.value.replace("_", " ")


@dataclass
class Removal:
    """A piece of the raw input the cleaner dropped, and why."""

    text: str
    reason: str


@dataclass
class Skipped:
    """An input that could not be read, with a one-line reason."""

    origin: str
    error: str


Entity = tuple[int, int, str]
"""A named entity: start and end in the document's ``text``, and its spaCy label."""


@dataclass(frozen=True, slots=True)
class Spilled:
    """Bytes a run wrote to its spill file (:mod:`newstrace.engine.spill`): where they are.

    A few ints and a path in place of a document's heavy annotation, so the
    main process does not hold it and a work item carries the handle, not
    the bytes; any process on this machine reads it back while the run lasts.
    """

    path: str
    offset: int
    length: int

    def read(self) -> bytes:
        """The bytes, read with one ``pread`` (the file stays open in this process)."""
        import os

        fd = _SPILL_FILES.get(self.path)
        if fd is None:
            if len(_SPILL_FILES) > 8:  # files of earlier runs in a long-lived worker
                for old in _SPILL_FILES.values():
                    os.close(old)
                _SPILL_FILES.clear()
            fd = _SPILL_FILES[self.path] = os.open(self.path, os.O_RDONLY)
        data = os.pread(fd, self.length, self.offset)
        if len(data) != self.length:
            raise OSError(f"spill file {self.path}: {len(data)} of {self.length} bytes read")
        return data


_SPILL_FILES: dict[str, int] = {}


def forget_spill_file(path: str) -> None:
    """Close this process's descriptor of ``path`` (so removing the file frees its space)."""
    import os

    fd = _SPILL_FILES.pop(path, None)
    if fd is not None:
        os.close(fd)


def kept_or_spilled(kept: Any, spilled: Spilled | None) -> Any:
    """``kept`` if there is one, else the bytes ``spilled`` stands for (None if neither)."""
    if kept is None and spilled is not None:
        return spilled.read()
    return kept


@dataclass(slots=True)
class Annotations:
    """What the stages leave on a document for one another: one typed slot per stage.

    Each slot names the module that writes it; the others only read it. None
    means "not computed yet". Slots, so a misspelt name fails instead of
    quietly holding state no stage reads. Nothing here is serialised into the
    report (the store saves the parse and the reuse view itself).
    """

    entities: list[Entity] | None = None  # nlp.pipeline.document_entities (or read off the parse)
    parse: list[tuple[int, Any]] | bytes | None = (
        None  # nlp.parse: [(line start, spaCy Doc)] or packed
    )
    reuse: ReuseView | None = None  # reuse.text.reuse_view
    # engine.spill: the packed parse and the reuse view written to the run's spill file,
    # ``parse`` and ``reuse`` then None (what the main process keeps of the view: its digest)
    spilled_parse: Spilled | None = None
    reuse_digest: ReuseDigest | None = None
    # stories.doubt.packed_profile: what the doubt pass reads of the entities, packed where
    # they were found (the entities then dropped), or its spill-file handle (engine.spill)
    story_profile: bytes | Spilled | None = None
    html_metadata: dict[str, Any] | None = None  # ingest.html: what the page said about itself
    record_position: tuple[str, str] | None = None  # ingest.jsonl, until duplicate ids are resolved


@dataclass
class Document:
    """One article as it moves through the pipeline.

    ``raw`` holds the input before cleaning (HTML or plain text, see
    ``raw_kind``) and is not part of the report. ``annotations`` holds what
    the stages compute for one another (:class:`Annotations`); it is not serialised.
    """

    id: str
    origin: str
    text: str = ""
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    removed: list[Removal] = field(default_factory=list)
    story: str | None = None
    story_doubt: str | None = None
    """Why this member may report a separate, similar event (``stories.doubt``), or None."""
    raw: str | None = None
    raw_kind: str = "text"  # "text" or "html"
    annotations: Annotations = field(default_factory=Annotations, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "text": self.text,
            "removed": [asdict(r) for r in self.removed],
            "story": self.story,
            "story_doubt": self.story_doubt,
        }


@dataclass
class Passage:
    """Two aligned stretches of text, one in each linked document."""

    derived: Span
    origin: Span
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "derived": list(self.derived),
            "origin": list(self.origin),
            "similarity": round(float(self.similarity), 4),
        }


@dataclass
class ReuseLink:
    """``derived`` reuses text of ``origin``.

    ``directed`` is false when the direction is unknown or both derive from a
    shared source outside the corpus (``kind == "shared_source"``). ``score``
    is the share of the derived text that comes from the origin.
    """

    derived: str
    origin: str
    directed: bool
    kind: str  # a ReuseKind (a str): duplicate | near_copy | rewrite | shared_source
    score: float
    passages: list[Passage] = field(default_factory=list)
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "derived": self.derived,
            "origin": self.origin,
            "directed": self.directed,
            "kind": self.kind,
            "score": round(float(self.score), 4),
            "passages": [p.to_dict() for p in self.passages],
            "why": self.why,
        }


@dataclass
class Statement:
    """Where one document states a fact, and the value it gives."""

    doc: str
    span: Span
    text: str
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "span": list(self.span), "text": self.text, "value": self.value}


@dataclass
class Fact:
    """One fact lined up across the documents of a story, with a verdict."""

    id: str
    kind: str  # quantity | quote | date | place | ...
    subject: str
    verdict: str  # a Verdict (a str): agree | compatible | conflict | altered | single_source
    statements: list[Statement] = field(default_factory=list)
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "verdict": self.verdict,
            "statements": [s.to_dict() for s in self.statements],
            "explanation": self.explanation,
        }


@dataclass
class Story:
    """Articles about one real-world event."""

    id: str
    title: str
    documents: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    reuse: list[ReuseLink] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "documents": list(self.documents),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "reuse": [link.to_dict() for link in self.reuse],
            "facts": [fact.to_dict() for fact in self.facts],
        }


@dataclass
class Report:
    """Everything one run found: the ``newstrace.report/1`` contract."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "documents": [d.to_dict() for d in self.documents],
            "skipped": [asdict(s) for s in self.skipped],
            "stories": [s.to_dict() for s in self.stories],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as one JSON string: ``json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)``."""
        out = io.StringIO()
        self.write_json(out, indent)
        return out.getvalue()

    def write_json(self, out: TextIO, indent: int | None = 2) -> None:
        """Write the report to ``out`` document by document and story by story.

        The text is exactly :meth:`to_json`'s, but neither the whole report as
        dicts nor as one string is ever held: the two took six times the
        file's size (75 MB of heap for a 12 MB report of 1k articles; 2 MB
        this way; docs/engine.md, "Growth").
        """
        write_json_object(
            out,
            [
                ("schema", SCHEMA_ID),
                ("documents", (doc.to_dict() for doc in self.documents)),
                ("skipped", (asdict(skip) for skip in self.skipped)),
                ("stories", (story.to_dict() for story in self.stories)),
            ],
            indent,
        )

    def document(self, doc_id: str) -> Document:
        """The document with this id (KeyError if there is none)."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)


def write_json_object(
    out: TextIO, members: Iterable[tuple[str, Any]], indent: int | None = 2
) -> None:
    """Write a JSON object whose values may be iterators, each written as an array item by item.

    The text is ``json.dumps(obj, ensure_ascii=False, indent=indent)`` of the
    object with every iterator made a list: each member and each array item is
    encoded alone and indented to its depth. Re-indenting by replacing line
    breaks is safe because the encoder escapes a line break inside a string
    (``\\n``), so every raw line break it writes is one of its own.
    """
    item_separator = "," if indent is not None else ", "
    first_level, second_level = _line_breaks(indent, 1), _line_breaks(indent, 2)

    def encoded(value: Any, depth_break: str) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=indent)
        return text.replace("\n", depth_break) if indent is not None else text

    out.write("{")
    for n, (key, value) in enumerate(members):
        out.write(
            f"{item_separator if n else ''}{first_level}{json.dumps(key, ensure_ascii=False)}: "
        )
        if not isinstance(value, Iterator):
            out.write(encoded(value, first_level))
            continue
        opened = False
        for item in value:
            out.write(f"{item_separator if opened else '['}{second_level}")
            out.write(encoded(item, second_level))
            opened = True
        out.write(f"{first_level}]" if opened else "[]")
    out.write(_line_breaks(indent, 0) + "}")


def _line_breaks(indent: int | None, depth: int) -> str:
    """What the encoder writes before an item at ``depth``: nothing on one line."""
    return "" if indent is None else "\n" + " " * (indent * depth)
