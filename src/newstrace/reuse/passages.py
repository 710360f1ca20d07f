"""Verbatim and near-verbatim passages two texts share, grown from word n-gram seeds.

This is how newspaper text-reuse detectors (passim, BLAST-style aligners)
find reuse, and it needs no sentence splitter and no language model, so it
reads every script the tokeniser (:mod:`newstrace.nlp.words`) reads:

1. **Seeds**: every word ``SEED``-gram the two texts share (an n-gram
   occurring more than ``MAX_SEED_REPEATS`` times in one text is boilerplate
   and seeds nothing).
2. **Runs**: seeds on one diagonal (same offset between the texts) that
   overlap or touch are one exact run of shared words.
3. **Passages**: runs in the same order in both texts, separated by at most
   ``GAP`` words on each side (a changed number, an inserted clause, a
   reworded phrase), are one near-verbatim passage. A passage must hold at
   least ``MIN_PASSAGE`` shared words.

From the passages come the figures the decision is made on: the share of
each text inside passages (its *coverage*, gaps included), the share of its
words matched exactly, the longest passage, and document-level containment
(the share of one text's word 3-grams found anywhere in the other).

Beside them, :func:`vocabulary_share`: the share of one text's distinct words,
each weighed by its rarity in the corpus, that the other text also uses. A
journalist who rewrites a wire story reorders and rewords it, so few long
passages survive, but the story's rare words (names, places, figures, the
topic's own terms) come from the wire; an independent report of the same
event shares the event's names and brings a vocabulary of its own. This is
word containment, the signal of METER and COUNTER's supervised classifiers,
with the corpus's inverse document frequency so that words every article uses
count for little.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

SEED = 3
MAX_SEED_REPEATS = 8
GAP = 8
MIN_PASSAGE = 5


@dataclass
class Passage:
    """Words ``a[0]:a[1]`` of one text match words ``b[0]:b[1]`` of the other."""

    a: tuple[int, int]
    b: tuple[int, int]
    matched: int  # words matched exactly inside the passage (on the a side)


@dataclass
class Shared:
    """What two texts share: passages and the figures made from them."""

    passages: list[Passage] = field(default_factory=list)
    coverage_a: float = 0.0  # share of a's words inside passages
    coverage_b: float = 0.0
    exact_a: float = 0.0  # share of a's words matched exactly inside passages
    exact_b: float = 0.0
    longest: int = 0  # most words matched exactly in one passage
    containment_a: float = 0.0  # share of a's word 3-grams found in b
    containment_b: float = 0.0
    vocabulary_a: float = 0.0  # share of a's rarity-weighted distinct words that b uses
    vocabulary_b: float = 0.0

    def swapped(self) -> Shared:
        return Shared(
            [Passage(p.b, p.a, p.matched) for p in self.passages],
            self.coverage_b,
            self.coverage_a,
            self.exact_b,
            self.exact_a,
            self.longest,
            self.containment_b,
            self.containment_a,
            self.vocabulary_b,
            self.vocabulary_a,
        )

    @property
    def matched_words(self) -> int:
        return sum(p.matched for p in self.passages)


def shared_passages(
    a: np.ndarray,
    b: np.ndarray,
    weights_a: np.ndarray | None = None,
    weights_b: np.ndarray | None = None,
) -> Shared:
    """The passages two texts share, from the hashes of their word 3-grams in text order
    (:func:`newstrace.reuse.candidates.gram_hashes`; position ``k`` is the 3-gram that
    starts at word ``k``).

    ``weights_a``/``weights_b`` weigh each 3-gram position in the coverage (the
    corpus's inverse document frequency: a formulaic dateline or "according to
    Indian media" counts for less than the text's own words); without them every
    position counts one.
    """
    if not len(a) or not len(b):
        return Shared()
    words_a, words_b = len(a) + SEED - 1, len(b) + SEED - 1
    unique_a, repeats_a, _, _ = sorted_grams(a)
    unique_b, _, order_b, sorted_b = sorted_grams(b)
    both = len(np.intersect1d(unique_a, unique_b, assume_unique=True))
    containment_a, containment_b = both / len(unique_a), both / len(unique_b)
    lo = np.searchsorted(sorted_b, a, side="left")
    hi = np.searchsorted(sorted_b, a, side="right")
    usable = (hi > lo) & (hi - lo <= MAX_SEED_REPEATS) & (repeats_a <= MAX_SEED_REPEATS)
    if not usable.any():
        return Shared(containment_a=containment_a, containment_b=containment_b)
    rows = np.flatnonzero(usable)
    spans = (hi - lo)[rows]
    seed_i = np.repeat(rows, spans)
    offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    seed_j = order_b[np.repeat(lo[rows], spans) + offsets]
    passages = _passages(_runs(list(zip(seed_i.tolist(), seed_j.tolist()))))
    return Shared(
        passages,
        _covered(passages, 0, len(a), weights_a),
        _covered(passages, 1, len(b), weights_b),
        min(sum(p.matched for p in passages) / words_a, 1.0),
        min(sum(p.matched for p in passages) / words_b, 1.0),
        max((p.matched for p in passages), default=0),
        containment_a,
        containment_b,
    )


def vocabulary_share(words: np.ndarray, weights: np.ndarray, other: np.ndarray) -> float:
    """Share of a text's distinct words (sorted hashes ``words``, each weighed by ``weights``,
    its rarity in the corpus) that the text ``other`` (sorted distinct word hashes) also uses."""
    total = float(weights.sum())
    if not len(words) or total <= 0:
        return 0.0
    if not len(other):
        return 0.0
    found = other[np.searchsorted(other, words).clip(max=len(other) - 1)] == words
    return float(weights[found].sum() / total)


class Grams(np.ndarray):
    """A text's 3-gram hashes that keep their sorted forms once computed."""

    _sorted: tuple | None = None


def grams_of(hashes: np.ndarray) -> Grams:
    """``hashes`` as :class:`Grams`, so :func:`sorted_grams` is computed once per text."""
    return hashes.view(Grams)


def sorted_grams(grams: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct 3-grams, how often the 3-gram at each position occurs in the text, and the
    order and values of the sorted 3-grams."""
    cached = getattr(grams, "_sorted", None)
    if cached is not None:
        return cached
    order = np.argsort(grams, kind="stable")
    ordered = np.asarray(grams)[order]
    unique, inverse, counts = np.unique(ordered, return_inverse=True, return_counts=True)
    repeats = np.empty(len(grams), dtype=counts.dtype)
    repeats[order] = counts[inverse]
    result = (unique, repeats, order, ordered)
    if isinstance(grams, Grams):
        grams._sorted = result
    return result


def _covered(passages: list[Passage], side: int, grams: int, weights: np.ndarray | None) -> float:
    """Share of a text's words (weighted) that lie inside the passages, gaps included."""
    inside = np.zeros(grams + SEED - 1, dtype=bool)
    for p in passages:
        start, end = p.a if side == 0 else p.b
        inside[start:end] = True
    if weights is None:
        return float(inside.mean())
    weights = np.concatenate((weights, np.repeat(weights[-1:], SEED - 1)))
    total = float(weights.sum())
    return float(weights[inside].sum() / total) if total > 0 else float(inside.mean())


def _runs(seeds: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Exact runs ``(i, j, length)`` from seeds: consecutive seeds on one diagonal."""
    by_diagonal: dict[int, list[int]] = defaultdict(list)
    for i, j in seeds:
        by_diagonal[j - i].append(i)
    runs = []
    for diagonal, starts in by_diagonal.items():
        starts.sort()
        first = last = starts[0]
        for i in starts[1:]:
            if i > last + 1:
                runs.append((first, first + diagonal, last - first + SEED))
                first = i
            last = i
        runs.append((first, first + diagonal, last - first + SEED))
    runs.sort()
    return runs


def _passages(runs: list[tuple[int, int, int]]) -> list[Passage]:
    """Chain runs that follow each other in both texts within ``GAP`` words into passages."""
    open_: list[list] = []  # [a_start, a_end, b_start, b_end, matched]
    for i, j, length in runs:
        best, best_gap = None, None
        for p in open_:
            gap_a, gap_b = i - p[1], j - p[3]
            if -SEED < gap_a <= GAP and -SEED < gap_b <= GAP and j >= p[2]:
                gap = max(gap_a, gap_b)
                if best_gap is None or gap < best_gap:
                    best, best_gap = p, gap
        if best is None:
            open_.append([i, i + length, j, j + length, length])
            continue
        new = length - max(0, best[1] - i)
        best[1], best[3] = max(best[1], i + length), max(best[3], j + length)
        best[4] += max(new, 0)
    return [Passage((p[0], p[1]), (p[2], p[3]), p[4]) for p in sorted(open_) if p[4] >= MIN_PASSAGE]
