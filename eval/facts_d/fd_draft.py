"""An article as paragraphs of sentences, with the quotations each sentence holds.

Written for facts_d alone (no code shared with newstrace or the other
generators): a regex sentence splitter, a quotation finder that reads each
double quote as opening or closing from the characters around it, and the
layout that turns paragraphs back into one text with every sentence's span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A sentence ends at . ! or ? (perhaps followed by a closing quote) before a space and
# a capital, a digit or an opening quote; these words before a full stop do not end one.
_BOUNDARY = re.compile(r"(?<=[.!?])([\"']?)\s+(?=[\"'(]?[A-Z0-9£$])")
_NOT_AN_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Prof|Gen|Col|Capt|Lt|Sgt|Rev|Sen|Rep|Gov|Jr|Sr|No|Co|Inc|Ltd|vs|v|etc|approx)"
    r"|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z])\.$"
)


@dataclass
class Sentence:
    """One sentence of a draft; ``origin`` is its index in the origin (None if added)."""

    text: str
    origin: int | None = None
    changes: list[int] = field(default_factory=list)
    touched: bool = False  # a harmless edit rewrote it (so no second edit rewrites it again)


@dataclass
class Draft:
    """Paragraphs of sentences: the origin as read, then the copy as edited."""

    paragraphs: list[list[Sentence]]

    def sentences(self) -> list[tuple[int, int, Sentence]]:
        """Every sentence with its paragraph and position, in reading order."""
        return [(p, i, s) for p, para in enumerate(self.paragraphs) for i, s in enumerate(para)]

    def copy(self) -> Draft:
        return Draft([[Sentence(s.text, s.origin) for s in para] for para in self.paragraphs])


def split_sentences(paragraph: str) -> list[str]:
    """Cut one paragraph into sentences (the closing quote stays with its sentence)."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.start() + len(match.group(1))
        candidate = paragraph[start:end]
        if _NOT_AN_END.search(paragraph[start : match.start()]):
            continue
        pieces.append(candidate.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]


def read_draft(body: str) -> Draft:
    """Paragraphs split on blank lines, sentences numbered in reading order."""
    paragraphs: list[list[Sentence]] = []
    n = 0
    for block in re.split(r"\n\s*\n", body.strip()):
        block = " ".join(block.split())
        if not block:
            continue
        para = []
        for text in split_sentences(block):
            para.append(Sentence(text, n))
            n += 1
        paragraphs.append(para)
    return Draft(paragraphs)


def layout(draft: Draft) -> tuple[str, dict[int, tuple[int, int]]]:
    """The draft as one text (sentences joined by a space, paragraphs by a blank line).

    Returns the text and each sentence's span, keyed by ``id(sentence)``.
    """
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    offset = 0
    for p, para in enumerate(draft.paragraphs):
        if p:
            parts.append("\n\n")
            offset += 2
        for i, sentence in enumerate(para):
            if i:
                parts.append(" ")
                offset += 1
            spans[id(sentence)] = (offset, offset + len(sentence.text))
            parts.append(sentence.text)
            offset += len(sentence.text)
    return "".join(parts), spans


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Where quotations are in ``text`` (one paragraph): spans from opening to closing mark.

    A mark after a space (or at the start) and before a non-space opens; any
    other closes. A quotation left open runs to the next opening mark or the
    end of the paragraph (the BBC texts lose the closing mark before a new
    paragraph of the same quotation).
    """
    ranges: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in re.finditer('"', text):
        at = match.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        opening = (before.isspace() or before in "([—-") and not after.isspace()
        if opening:
            if open_at is not None:
                ranges.append((open_at, at))
            open_at = at
        elif open_at is not None:
            ranges.append((open_at, at + 1))
            open_at = None
    if open_at is not None:
        ranges.append((open_at, len(text)))
    return ranges


def sentence_quotes(draft: Draft, p: int, i: int) -> list[tuple[int, int]]:
    """The quoted stretches of sentence ``i`` of paragraph ``p``, in the sentence's offsets."""
    para = draft.paragraphs[p]
    start = sum(len(s.text) + 1 for s in para[:i])
    end = start + len(para[i].text)
    joined = " ".join(s.text for s in para)
    out = []
    for a, b in quoted_ranges(joined):
        if a < end and b > start:
            out.append((max(a, start) - start, min(b, end) - start))
    return out


def inside(ranges: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether the stretch a..b touches one of ``ranges``."""
    return any(a < y and b > x for x, y in ranges)


def has_quote(draft: Draft, p: int, i: int) -> bool:
    """A quotation (or part of one) lies in the sentence."""
    return bool(sentence_quotes(draft, p, i))


def whole_quotes(draft: Draft, p: int, i: int) -> list[tuple[int, int]]:
    """Quotations that open and close inside the sentence (both marks in it)."""
    text = draft.paragraphs[p][i].text
    return [
        (a, b)
        for a, b in sentence_quotes(draft, p, i)
        if text[a] == '"' and b - 1 > a and text[b - 1] == '"'
    ]
