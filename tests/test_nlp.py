"""The shared nlp layer: entities index into the text and are computed once."""

from newstrace.model import Document
from newstrace.nlp import document_entities, entities, sentence_spans

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
    assert TEXT[spans[1][0]:spans[1][1]] == "Her lawyer confirmed it."
