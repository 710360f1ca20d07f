"""Reuse reads its English sentences off the document's one spaCy parse (issue 24).

No second sentence splitter runs: the view ``analyze`` builds while parsing
(before the parse is packed) and the view a stage called alone builds (it
parses first) are the same, and a line too long to be parsed is still split (by ``senter``).
"""

from __future__ import annotations

import numpy as np

from newstrace.engine.work import annotate
from newstrace.model import Document
from newstrace.nlp.parse import MAX_LINE, parsed_sentences
from newstrace.reuse.text import reuse_view

TEXT = (
    "Lindsay Lohan checked into the Betty Ford Center in California on Thursday. "
    "Her lawyer confirmed it to reporters outside the court.\n"
    "The actress was ordered to spend ninety days in a rehabilitation clinic. "
    "A judge in Los Angeles set the terms of the plea deal last month."
)


def test_view_sentences_are_the_parse_sentences():
    doc = Document(id="d1", origin="x", text=TEXT)
    view = reuse_view(doc)
    assert view.extra["english"]
    assert view.spans == parsed_sentences(doc)
    assert [TEXT[s:e] for s, e in view.spans][1] == (
        "Her lawyer confirmed it to reporters outside the court."
    )


def test_view_built_while_parsing_equals_the_view_built_alone():
    """``annotate`` (analyze, the pool, Dask) builds the view before the parse is
    packed; ``reuse_view`` on a fresh document parses first: same sentences, vectors."""
    during = Document(id="d1", origin="x", text=TEXT)
    annotate([during], reuse=True, facts=True, packed=True)
    assert isinstance(during.annotations.parse, bytes)
    alone = Document(id="d1", origin="x", text=TEXT)
    view = reuse_view(alone)
    assert view.spans == during.annotations.reuse.spans
    assert view.sentences == during.annotations.reuse.sentences
    from newstrace.reuse.text import ensure_embeddings

    ensure_embeddings([view])
    assert np.array_equal(view.vectors, during.annotations.reuse.vectors)


def test_reuse_without_facts_still_parses_once():
    doc = Document(id="d1", origin="x", text=TEXT)
    annotate([doc], reuse=True, facts=False)
    assert doc.annotations.parse is not None
    assert doc.annotations.reuse.spans == parsed_sentences(doc)


def test_a_line_too_long_to_parse_is_still_split():
    sentence = "The committee met again on Monday and discussed the budget at length. "
    long_line = sentence * (MAX_LINE // len(sentence) + 5)
    text = TEXT + "\n" + long_line.strip()
    doc = Document(id="d1", origin="x", text=text)
    view = reuse_view(doc)
    start = text.index(long_line.strip())
    inside = [(s, e) for s, e in view.spans if s >= start]
    assert len(inside) == MAX_LINE // len(sentence) + 5
    assert all(text[s:e] == sentence.strip() for s, e in inside)
    assert view.spans == sorted(view.spans)
