"""The shared nlp layer: entities index into the text and are computed once;
an embedding does not depend on what else was embedded with it."""

import numpy as np
import pytest
from conftest import SEEDS

from newstrace.model import Document
from newstrace.nlp import document_entities, embed, entities, sentence_spans

pytestmark = pytest.mark.shared

TEXT = "Lindsay Lohan checked into the Betty Ford Center in California on May 2, 2013. Her lawyer confirmed it."


def test_entity_spans_index_into_the_text():
    found = next(entities([TEXT]))
    surfaces = {(TEXT[s:e], label) for s, e, label in found}
    assert ("Lindsay Lohan", "PERSON") in surfaces
    assert any(label == "GPE" and TEXT[s:e] == "California" for s, e, label in found)


def test_document_entities_are_cached_on_the_document():
    doc = Document(id="d1", origin="x", text=TEXT)
    first = document_entities([doc])[0]
    doc.text = "changed"
    assert document_entities([doc])[0] is first
    assert doc.annotations["entities"] is first


def test_sentence_spans_split_sentences():
    spans = sentence_spans(TEXT)
    assert len(spans) == 2
    assert TEXT[spans[1][0] : spans[1][1]] == "Her lawyer confirmed it."


def test_a_text_embeds_the_same_alone_as_among_others_of_other_lengths():
    """A store embeds each new article's sentences on their own, a batch run
    embeds them among the whole corpus's: both must give the same vectors."""
    text = (SEEDS / "000_2130faebd36fcda5.txt").read_text(encoding="utf-8")
    sentences = [text[start:end] for start, end in sentence_spans(text)][:40]
    assert len({len(s) for s in sentences}) > 10
    together = embed(sentences)
    alone = np.vstack([embed([sentence]) for sentence in sentences])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
