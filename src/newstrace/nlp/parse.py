"""The one spaCy pass of a document: every component, one paragraph at a time.

Each cleaned body keeps one paragraph per line, so lines are parsed on their
own (``nlp.pipe`` over all lines of all documents, batched): sentence
boundaries never cross a paragraph and every token offset maps back into
``doc.text`` by adding the line's start.

The parse is kept on the document (``doc.annotations.parse``) and every stage
reads it: stories take their entities from it (:func:`parsed_entities`), reuse
its English sentences (:func:`parsed_sentences`), facts its syntax. A stage
called alone parses what has no parse yet. A caller that keeps articles (the
store) or sends them between processes keeps the parse as bytes:
``pack_parse``/``restore_parse`` use spaCy's own ``DocBin``, unpacked when read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import spacy
import srsly  # type: ignore[import-untyped]
from spacy.tokens import Doc, DocBin

from newstrace.model import Document
from newstrace.nlp.pipeline import MAX_ENTITY_CHARS, Entity, Span, spacy_nlp
from newstrace.progress import report

BATCH_SIZE = 64
# A kept parse (``doc.annotations.parse``) is ``[(line start, spaCy Doc)]``, or
# those packed as bytes (``parse(..., packed=True)`` or ``restore_parse``),
# unpacked only when read.
_LINE = re.compile(r"[^\n]+")
MAX_LINE = 20_000
"""Longer lines (no paragraph of prose) are not parsed."""


def text_lines(text: str) -> Iterator[tuple[str, int]]:
    """(line, start) of each paragraph of ``text`` that is parsed."""
    for match in _LINE.finditer(text):
        if match.group().strip() and len(match.group()) <= MAX_LINE:
            yield match.group(), match.start()


def parse(
    documents: list[Document],
    packed: bool = False,
    then: Callable[[Document], object] | None = None,
) -> None:
    """Parse the documents that have no parse yet and keep it on each (``doc.annotations``).

    Each document's entities are cached from its parse as it is made
    (``annotations.entities``, unless it has them already: they are the
    ones :func:`newstrace.nlp.document_entities` gives). ``then`` is called
    on each document as soon as its parse is complete, while the parse is
    still live spaCy objects (the reuse view reads its sentences there, so
    nothing is unpacked again). ``packed``: every
    parse of ``documents`` is kept as the bytes of ``pack_parse`` (7 KB for a
    2,000-character article instead of some 290 KB of spaCy objects; small and
    safe to send between processes), each as soon as it is complete.
    """
    todo = [doc for doc in documents if doc.annotations.parse is None]

    def finish(k: int, lines: list[tuple[int, Doc]]) -> None:
        doc = todo[k]
        doc.annotations.parse = lines
        if doc.annotations.entities is None:
            doc.annotations.entities = parsed_entities(doc, MAX_ENTITY_CHARS)
        if then is not None:
            then(doc)
        if packed:
            doc.annotations.parse = pack_parse(doc)
        report("parse", k + 1, len(todo))

    report("parse", 0, len(todo))
    current = 0
    lines: list[tuple[int, Doc]] = []
    for parsed, (k, start) in pipe(todo):
        # the tok2vec output is most of a Doc's memory, and no stage reads it
        parsed.tensor = parsed.tensor[:0]
        while current < k:  # documents before k are complete (or have no line to parse)
            finish(current, lines)
            current, lines = current + 1, []
        lines.append((start, parsed))
    while current < len(todo):
        finish(current, lines)
        current, lines = current + 1, []
    if packed:
        for doc in documents:
            doc.annotations.parse = pack_parse(doc)


def pipe(documents: list[Document]) -> Iterator[tuple[Doc, tuple[int, int]]]:
    """(spaCy doc of a line, (document index, line start)) for every line of ``documents``."""
    items = (
        (text, (k, start))
        for k, doc in enumerate(documents)
        for text, start in text_lines(doc.text)
    )
    return spacy_nlp(parser=True).pipe(items, as_tuples=True, batch_size=BATCH_SIZE)


def parsed_lines(doc: Document) -> list[tuple[int, Any]]:
    """The kept parse of ``doc`` as ``[(line start, spaCy Doc)]`` (parsed now if it has none)."""
    if doc.annotations.parse is None:
        parse([doc])
    kept = doc.annotations.parse
    if kept is None:
        raise AssertionError(f"{doc.id}: parse() left no parse")
    return unpack(kept) if isinstance(kept, bytes) else kept


def parsed_entities(doc: Document, limit: int) -> list[Entity]:
    """Named entities of ``doc`` from its parse, spans into ``doc.text``, ending by ``limit``."""
    return line_entities(parsed_lines(doc), limit)


def line_entities(lines, limit: int) -> list[Entity]:
    """Entities of ``[(line start, spaCy Doc)]`` as spans into the whole text, ending by ``limit``."""
    return [
        (start + ent.start_char, start + ent.end_char, ent.label_)
        for start, parsed in lines
        if start < limit
        for ent in parsed.ents
        if start + ent.end_char <= limit
    ]


def parsed_sentences(doc: Document) -> list[Span]:
    """Sentence spans of ``doc`` from its parse (stripped of surrounding white space)."""
    spans: list[Span] = []
    for start, parsed in parsed_lines(doc):
        for sent in parsed.sents:
            chunk = sent.text.strip()
            if chunk:
                offset = start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                spans.append((offset, offset + len(chunk)))
    return spans


def parse_version() -> str:
    """What a stored parse depends on: the spaCy version and the model's name and version."""
    meta = spacy_nlp(parser=True).meta
    return f"spacy-{spacy.__version__}/{meta['name']}-{meta['version']}"


def pack_parse(doc: Document) -> bytes:
    """The parse kept on ``doc`` (see ``parse``) as bytes: spaCy's own ``DocBin`` and the line starts."""
    lines = doc.annotations.parse
    if isinstance(lines, bytes):
        return lines
    if lines is None:
        raise ValueError(f"{doc.id}: no parse to pack")
    docs = DocBin(store_user_data=False)
    for _, parsed in lines:
        docs.add(parsed)
    return srsly.msgpack_dumps({"starts": [start for start, _ in lines], "docs": docs.to_bytes()})


def restore_parse(doc: Document, data: bytes) -> None:
    """Keep on ``doc`` a parse packed by ``pack_parse`` under this ``parse_version`` (unpacked when read)."""
    doc.annotations.parse = data


def unpack(data: bytes) -> list[tuple[int, Any]]:
    packed = srsly.msgpack_loads(data)
    parsed = DocBin().from_bytes(packed["docs"]).get_docs(spacy_nlp(parser=True).vocab)
    return list(zip(packed["starts"], parsed))
