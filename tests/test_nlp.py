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
    assert doc.annotations.entities is first


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


def test_one_parse_serves_entities_and_facts(monkeypatch):
    """analyze parses each document once: stories take their entities from that
    parse (the same entities the NER pass alone finds) and facts read the same
    parse; a parse restored from bytes (the store, the Dask engine) gives them too."""
    from newstrace.facts.extract import extract
    from newstrace.nlp import parse as parse_module

    text = TEXT + "\nA second paragraph names Paris."
    alone = document_entities([Document(id="d0", origin="x", text=text)])[0]
    doc = Document(id="d1", origin="x", text=text)
    parse_module.parse([doc])
    monkeypatch.setattr("newstrace.nlp.pipeline.spacy_nlp", None)  # no NER pass of its own
    found = document_entities([doc])[0]
    assert found == alone
    assert any(doc.text[s:e] == "Paris" for s, e, _ in found)

    def no_second_pass(documents):
        assert not documents, "facts parsed a document that already had a parse"
        return iter(())

    monkeypatch.setattr("newstrace.facts.extract.pipe", no_second_pass)
    assert extract([doc])[0].sentences

    again = Document(id="d2", origin="x", text=text)
    parse_module.restore_parse(again, parse_module.pack_parse(doc))
    assert document_entities([again])[0] == alone
