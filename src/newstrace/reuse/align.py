"""Sentence alignment between two documents, one-to-one and many-to-one.

A copy keeps the order of its source, so the alignment is a monotone dynamic
programme (Gale–Church style) over sentence pairs with five moves: skip a
sentence on either side, match one to one, match one sentence of ``a`` to two
adjacent ones of ``b`` (merged) or two of ``a`` to one of ``b`` (split). A
match gains ``similarity - GAIN_FLOOR``, so weak resemblances never pay.

Similarity of two sentences is the larger of a lexical score (rapidfuzz's
normalised Indel ratio on normalised text: near copies, changed numbers) and
the cosine of their MiniLM embeddings (paraphrases). A merged pair embeds as
the renormalised sum of its two sentence vectors, which for a mean-pooled
model is close to embedding the concatenation and costs nothing. Furniture
sentences (see :mod:`newstrace.reuse.text`) never align.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from newstrace.reuse.text import ReuseView

GAIN_FLOOR = 0.70
MERGE_PROBE = 0.55  # only try a merge when one part already resembles the other side

_Range = tuple[int, int]  # sentence indices, end exclusive


@dataclass
class AlignedPair:
    """Sentences ``a[0]:a[1]`` of one document match ``b[0]:b[1]`` of the other."""

    a: _Range
    b: _Range
    similarity: float
    lexical: float


@dataclass
class Alignment:
    """The aligned sentences of two documents and how much of each they cover."""

    pairs: list[AlignedPair]
    coverage_a: float  # share of a's content characters that are aligned
    coverage_b: float
    lexical: float  # character-weighted lexical similarity of the aligned passages
    aligned_sentences: int
    evidence: float = 0.0  # sum over aligned pairs of similarity - GAIN_FLOOR

    def swapped(self) -> Alignment:
        pairs = [AlignedPair(p.b, p.a, p.similarity, p.lexical) for p in self.pairs]
        return Alignment(
            pairs,
            self.coverage_b,
            self.coverage_a,
            self.lexical,
            self.aligned_sentences,
            self.evidence,
        )


def align(a: ReuseView, b: ReuseView) -> Alignment:
    """Align the sentences of ``a`` and ``b`` (both need embeddings)."""
    if not a.sentences or not b.sentences:
        return Alignment([], 0.0, 0.0, 0.0, 0)
    lexical = _lexical_matrix(a, b)
    semantic = np.clip(a.vectors @ b.vectors.T, 0.0, 1.0)
    mask = np.outer(a.content, b.content)
    sim = np.where(mask, np.maximum(lexical, semantic), 0.0)
    pairs = _best_path(a, b, sim, lexical)
    return _summarise(a, b, pairs)


def _lexical_matrix(a: ReuseView, b: ReuseView) -> np.ndarray:
    return cdist(a.normalised, b.normalised, scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0


def _merged_similarity(one: ReuseView, i: int, two: ReuseView, j: int) -> tuple[float, float]:
    """Sentence ``i`` of ``one`` against sentences ``j, j+1`` of ``two`` together."""
    if not (two.content[j] and two.content[j + 1] and one.content[i]):
        return 0.0, 0.0
    vector = two.vectors[j] + two.vectors[j + 1]
    vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
    semantic = float(np.clip(one.vectors[i] @ vector, 0.0, 1.0))
    lexical = fuzz.ratio(one.normalised[i], two.normalised[j] + " " + two.normalised[j + 1]) / 100.0
    return max(semantic, lexical), lexical


def _best_path(
    a: ReuseView, b: ReuseView, sim: np.ndarray, lexical: np.ndarray
) -> list[AlignedPair]:
    n, m = sim.shape
    gain = np.zeros((n + 1, m + 1))
    move: dict[tuple[int, int], tuple[int, int, float, float]] = {}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best, choice = gain[i - 1, j], (1, 0, 0.0, 0.0)
            if gain[i, j - 1] > best:
                best, choice = gain[i, j - 1], (0, 1, 0.0, 0.0)
            s = sim[i - 1, j - 1]
            if s > GAIN_FLOOR and gain[i - 1, j - 1] + s - GAIN_FLOOR > best:
                best, choice = gain[i - 1, j - 1] + s - GAIN_FLOOR, (1, 1, s, lexical[i - 1, j - 1])
            if j >= 2 and max(sim[i - 1, j - 2], sim[i - 1, j - 1]) > MERGE_PROBE:
                s2, lex2 = _merged_similarity(a, i - 1, b, j - 2)
                if s2 > GAIN_FLOOR and gain[i - 1, j - 2] + 1.5 * (s2 - GAIN_FLOOR) > best:
                    best, choice = gain[i - 1, j - 2] + 1.5 * (s2 - GAIN_FLOOR), (1, 2, s2, lex2)
            if i >= 2 and max(sim[i - 2, j - 1], sim[i - 1, j - 1]) > MERGE_PROBE:
                s2, lex2 = _merged_similarity(b, j - 1, a, i - 2)
                if s2 > GAIN_FLOOR and gain[i - 2, j - 1] + 1.5 * (s2 - GAIN_FLOOR) > best:
                    best, choice = gain[i - 2, j - 1] + 1.5 * (s2 - GAIN_FLOOR), (2, 1, s2, lex2)
            gain[i, j] = best
            move[i, j] = choice
    return _trace_back(move, n, m)


def _trace_back(move: dict, n: int, m: int) -> list[AlignedPair]:
    pairs: list[AlignedPair] = []
    i, j = n, m
    while i > 0 and j > 0:
        di, dj, s, lex = move[i, j]
        if s > 0:
            pairs.append(AlignedPair((i - di, i), (j - dj, j), float(s), float(lex)))
        i, j = i - di, j - dj
    pairs.reverse()
    return pairs


def _summarise(a: ReuseView, b: ReuseView, pairs: list[AlignedPair]) -> Alignment:
    chars_a = _range_chars(a, [p.a for p in pairs])
    chars_b = _range_chars(b, [p.b for p in pairs])
    weights = np.array([_range_chars(a, [p.a]) for p in pairs], dtype=float)
    lexical = (
        float(np.average([p.lexical for p in pairs], weights=weights))
        if pairs and weights.sum()
        else 0.0
    )
    return Alignment(
        pairs,
        coverage_a=chars_a / max(a.content_chars, 1),
        coverage_b=chars_b / max(b.content_chars, 1),
        lexical=lexical,
        aligned_sentences=sum(p.a[1] - p.a[0] for p in pairs),
        evidence=float(sum(p.similarity - GAIN_FLOOR for p in pairs)),
    )


def _range_chars(view: ReuseView, ranges: list[_Range]) -> int:
    return sum(
        len(view.sentences[k])
        for start, end in ranges
        for k in range(start, end)
        if view.content[k]
    )
