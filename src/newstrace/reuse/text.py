"""The per-document view the reuse stage works on: sentences, tokens, embeddings.

Reuse compares *content* sentences. Page furniture ("Leave a Reply", share
prompts, "[your website link]") and very short lines (bylines, section
labels) are kept in the document but left out of every ratio, so a copy
wrapped in furniture, or a cleaner that missed some, changes neither
candidates nor scores. Normalisation makes typographic quotes and dashes,
number formats ("1,200" / "1200") and case irrelevant.

Everything is computed once per document and cached in
``doc.annotations.reuse``; embeddings only when a document takes part in a
candidate pair.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

import numpy as np

from newstrace.model import Document, Span
from newstrace.nlp.words import latin_share, word_spans
from newstrace.nlp.words import words as _words

MIN_CONTENT_WORDS = 6
VIEW_VERSION = "parser-sm-3.8.0+rules-2/minilm-l6-int8-1.0.0-english"
"""What stored sentence spans and embeddings depend on (see ``restore_view``):
change it with the sentence splitter or the embedding model."""
LEAD_SENTENCES = 5

_FURNITURE = re.compile(
    r"leave a (reply|comment)|click to (comment|share)|share (this|on)|your email address|required fields"
    r"|all rights reserved|subscribe|sign up|newsletter|follow us|read more|related (articles|stories|posts)"
    r"|\[your [^\]]*\]|cookies?\b|advertisement|latest updates|written by|about (the )?author"
    r"|for (continuous|more|the latest) updates|leaving comments|share your thoughts|copyright",
    re.IGNORECASE,
)
_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "}
)
_NUMBER_COMMA = re.compile(r"(?<=\d),(?=\d{3}\b)")
_TERMINATOR = re.compile(r"(?<=[\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f\u0589\u1362])\s*")
"""Sentence ends of scripts the English sentence splitter does not know: Urdu full stop,
Arabic question mark, Devanagari danda, CJK full stop and marks, Armenian, Ethiopic."""
_ENGLISH = frozenset(
    ["the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it"]
    + ["as", "at", "by", "from", "his", "be", "have", "has", "are", "said"]
)
ENGLISH_SHARE = 0.12
"""A text is English (and gets MiniLM embeddings) when its letters are mostly Latin and this
share of its words are the commonest English function words (news prose: about 0.25-0.3;
German, French, Spanish or romanised Urdu: under 0.05)."""
_DETAIL = re.compile(r"\d[\w.,]*\w|\d|(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'-]+")


def normalise(text: str) -> str:
    """Lower case, plain quotes and dashes, "1,200" as "1200", single spaces."""
    text = _NUMBER_COMMA.sub("", text.translate(_QUOTES)).lower()
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The normalised words of ``text`` in any script (see :mod:`newstrace.nlp.words`)."""
    return _words(normalise(text))


def is_english(text: str) -> bool:
    """Whether ``text`` is English prose, the only language the MiniLM model knows."""
    if latin_share(text) < 0.8:
        return False
    found = _words(text[:5000])
    return bool(found) and sum(w in _ENGLISH for w in found) / len(found) >= ENGLISH_SHARE


def is_furniture(sentence: str) -> bool:
    """A sentence that is page furniture or too short to carry content."""
    return len(words(sentence)) < MIN_CONTENT_WORDS or bool(_FURNITURE.search(sentence))


def page_furniture(view: ReuseView) -> int:
    """How many sentences of the view are recognisable page furniture (not just short lines)."""
    return sum(bool(_FURNITURE.search(s)) for s in view.sentences)


def details(sentence: str) -> set[str]:
    """Numbers and capitalised names inside a sentence (not its first word), normalised.

    A title-cased headline capitalises every word, so it has no details.
    """
    tokens = sentence.split()
    if tokens and sum(t[:1].isupper() for t in tokens) > 0.6 * len(tokens):
        return set()
    return {
        normalise(m.group()).rstrip(".,") for m in _DETAIL.finditer(sentence.translate(_QUOTES))
    }


@dataclass
class ReuseView:
    """One document as the reuse stage sees it."""

    doc_id: str
    spans: list[Span]
    sentences: list[str]
    content: np.ndarray  # bool per sentence: not furniture
    normalised: list[str]
    embeddings: np.ndarray | None = None
    signature: np.ndarray | None = None  # content word 3-gram hashes, see ensure_signatures
    extra: dict = field(default_factory=dict)

    @property
    def vectors(self) -> np.ndarray:
        """The sentence embeddings; only views that ``ensure_embeddings`` gave them are aligned."""
        if self.embeddings is None:
            raise ValueError(f"{self.doc_id}: sentence embeddings were not computed")
        return self.embeddings

    @property
    def content_chars(self) -> int:
        return int(sum(len(s) for s, keep in zip(self.sentences, self.content) if keep))

    def lead(self, n: int = LEAD_SENTENCES) -> list[int]:
        """Indices of the first ``n`` content sentences."""
        return [i for i in range(len(self.sentences)) if self.content[i]][:n]

    def content_text(self) -> str:
        return " ".join(s for s, keep in zip(self.normalised, self.content) if keep)

    def content_words(self) -> tuple[list[str], np.ndarray]:
        """Words of the content sentences and each word's character span in the document
        (an array of [start, end] rows).

        Cached for the whole batch, so kept compact (docs/engine.md, "Growth"):
        the words interned (one string per distinct word, not per occurrence),
        the spans one array, not a tuple of two ints per word.
        """
        cached = self.extra.get("words")
        if cached is None:
            found, spans = [], []
            tokens = self.extra.get("sentence_words") or [word_spans(s) for s in self.sentences]
            for (start, _), sentence_words, keep in zip(self.spans, tokens, self.content):
                if keep:
                    for s, e, word in sentence_words:
                        found.append(sys.intern(word))
                        spans.append((start + s, start + e))
            array = np.array(spans, dtype=np.int64).reshape(-1, 2)
            cached = self.extra["words"] = (found, array)
            self.extra.pop("sentence_words", None)  # read only to build this
        return cached

    @property
    def english(self) -> bool:
        if "english" not in self.extra:
            self.extra["english"] = is_english(" ".join(self.sentences))
        return self.extra["english"]


def reuse_view(doc: Document) -> ReuseView:
    """The cached :class:`ReuseView` of ``doc`` (sentences split on first use; a spilled
    view, see :mod:`newstrace.reuse.digest`, read back and kept)."""
    view = doc.annotations.reuse
    digest = doc.annotations.reuse_digest
    if view is None and digest is not None:  # the view is in the run's spill file
        from newstrace.reuse.digest import stored_view

        view = doc.annotations.reuse = stored_view(digest)
    if view is None or view.doc_id != doc.id:
        view = _build_view(doc)
        doc.annotations.reuse = view
    return view


def restore_view(doc: Document, spans: list[Span], embeddings: np.ndarray) -> ReuseView:
    """Cache on ``doc`` a view from its stored sentence spans and embeddings (the costly parts).

    They must come from this ``VIEW_VERSION``; everything else is derived from
    the text again, so a change of the furniture rules needs no new version.
    """
    view = _view_from_spans(doc, spans)
    view.embeddings = embeddings
    doc.annotations.reuse = view
    return view


def _build_view(doc: Document) -> ReuseView:
    if not doc.text.strip():
        return _view_from_spans(doc, [])
    if not is_english(doc.text):  # spaCy's English splitter: slow and wrong on other languages
        view = _view_from_spans(doc, rule_sentences(doc.text))
        view.extra["english"] = False
        return view
    spans = english_sentences(doc)
    view = _view_from_spans(
        doc, [part for span in spans for part in _split_at_terminators(doc.text, span)]
    )
    view.extra["english"] = True
    return view


def english_sentences(doc: Document) -> list[Span]:
    """Sentence spans of an English ``doc``, read off its one spaCy parse (parsed now if it has none).

    The parse's sentences come from the dependency parser, which ``analyze``
    runs anyway (facts read its syntax, stories its entities): a separate
    ``senter`` pass cost about a tenth of the per-document NLP. A line too
    long to be parsed (no paragraph of prose, see
    :data:`newstrace.nlp.parse.MAX_LINE`) is split by ``senter`` as before
    (a line over spaCy's own limit still fails the document, as before).
    """
    from newstrace.nlp import sentence_spans
    from newstrace.nlp.parse import MAX_LINE, parsed_sentences

    spans = parsed_sentences(doc)
    long_lines = [m for m in _LINE.finditer(doc.text) if len(m.group()) > MAX_LINE]
    if not long_lines:
        return spans
    for line in long_lines:
        spans.extend((line.start() + s, line.start() + e) for s, e in sentence_spans(line.group()))
    return sorted(spans)


_LINE = re.compile(r"[^\n]+")
_RULE_END = re.compile(r"(?<=[.!?\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f\u0589\u1362])\s+")


def rule_sentences(text: str) -> list[Span]:
    """Sentence spans by rule, for languages the English splitter does not know: a line
    break, or a sentence end of any script (. ! ? Urdu and Arabic marks, danda, 。) and space."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for stop in _RULE_END.finditer(text, line.start(), line.end()):
            spans.append((start, stop.start()))
            start = stop.end()
        spans.append((start, line.end()))
    out = []
    for start, end in spans:
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + len(chunk.rstrip())))
    return [part for span in out for part in _split_at_terminators(text, span)]


def _split_at_terminators(text: str, span: Span) -> list[Span]:
    """``span`` cut after every sentence end of a script spaCy's English splitter does not know."""
    start, end = span
    parts: list[Span] = []
    for match in _TERMINATOR.finditer(text, start, end):
        if match.end() < end and text[start : match.start()].strip():
            parts.append((start, match.start()))
            start = match.end()
    parts.append((start, end))
    return parts


def _view_from_spans(doc: Document, spans: list[Span]) -> ReuseView:
    sentences = [doc.text[s:e] for s, e in spans]
    tokens = [word_spans(s) for s in sentences]  # read once: furniture test and content words
    content = np.array(
        [
            len(t) >= MIN_CONTENT_WORDS and not _FURNITURE.search(s)
            for s, t in zip(sentences, tokens)
        ],
        dtype=bool,
    )
    view = ReuseView(doc.id, spans, sentences, content, [normalise(s) for s in sentences])
    view.extra["sentence_words"] = tokens
    return view


def ensure_signatures(views: list[ReuseView]) -> None:
    """Hash every view's distinct content word 3-grams, once (they depend on the text alone)."""
    from newstrace.reuse.candidates import shingle_hashes

    for v in views:
        if v.signature is None:
            v.signature = shingle_hashes(v.content_words()[0])


def ensure_embeddings(views: list[ReuseView]) -> None:
    """Embed the content sentences of the views that have no embeddings yet, in one batch.

    Only content sentences are ever compared (alignment, merged pairs and lead
    vectors all mask the rest), so furniture and short lines keep a zero row;
    a sentence that occurs more than once (copies share many) is embedded
    once: a text's vector does not depend on what it is embedded with.
    """
    from newstrace.nlp import embed

    todo = [v for v in views if v.embeddings is None]
    for v in todo:
        v.embeddings = np.zeros((len(v.sentences), 384), dtype=np.float32)
    # the model knows English only: elsewhere no semantic evidence (zero rows)
    english = [v for v in todo if v.english]
    row: dict[str, int] = {}
    for v in english:
        for sentence, keep in zip(v.sentences, v.content):
            if keep:
                row.setdefault(sentence, len(row))
    if not row:
        return
    vectors = embed(list(row))
    for v in english:
        assert v.embeddings is not None
        for k, (sentence, keep) in enumerate(zip(v.sentences, v.content)):
            if keep:
                v.embeddings[k] = vectors[row[sentence]]
