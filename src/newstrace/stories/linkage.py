"""Average-linkage clustering over a sparse graph of scored pairs.

Written here because SciPy's and scikit-learn's hierarchical clustering take a
full distance matrix (all pairs) or, with a connectivity graph, still a dense
feature matrix. Here only candidate pairs carry a score; a pair that was never
a candidate counts as probability 0, so the average over all member pairs
(``sum / (|A| * |B|)``) stays honest and chains cannot form through one
strong link. A heap with lazy deletion merges the best pair of clusters while
its average is above the threshold: O(E log E) for E scored pairs.

The average can be a power mean, ``(sum p**power / (|A| * |B|)) ** (1 / power)``:
below 1 it sits between the arithmetic and the geometric mean, so the weak
pairs of a merge count for more and a few strong links (an article that
could belong to either of two similar events) carry two groups less far.
"""

from __future__ import annotations

import heapq

import numpy as np

from newstrace._unionfind import root_of

LINKAGE_POWER = 0.5
"""Clusters merge while the square-root mean of their pair probabilities,
``mean(sqrt(p)) ** 2``, is above the threshold: a merge of two similar
events has many weak pairs beside the strong ones, and this mean weighs them
more than the plain average does. Held-out B-cubed, mean of six topic splits
(``eval/train_story_model.py``, threshold retuned for each): power 0.25
0.965, 0.5 0.971, 0.75 0.971, 1 (the plain average) 0.969, 2 0.966; with
the fallback's threshold then set (``FALLBACK_THRESHOLD``), 0.5 0.970
against 1 0.968. Batch grouping (``grouping.cluster``) and incremental
grouping (``StoryIndex``, ranking stories for a new article, ``group_means``)
use the same mean."""


def group_means(
    scores: np.ndarray, groups: np.ndarray, n_groups: int, power: float | None = None
) -> np.ndarray:
    """The ``power`` mean (default ``LINKAGE_POWER``) of ``scores`` within each of ``n_groups`` groups, each non-empty."""
    power = LINKAGE_POWER if power is None else power
    powered = np.asarray(scores, dtype=np.float64) ** power
    return (np.bincount(groups, powered, n_groups) / np.bincount(groups, minlength=n_groups)) ** (
        1 / power
    )


def average_linkage(
    n: int, pairs: np.ndarray, scores: np.ndarray, threshold: float, power: float = 1.0
) -> np.ndarray:
    """Cluster label per item (0..k-1, numbered by first member): merges the
    closest two clusters while the ``power`` mean of their pair scores is above
    ``threshold``."""
    if power != 1.0:
        scores, threshold = np.asarray(scores, dtype=np.float64) ** power, threshold**power
    links: list[dict[int, float]] = [{} for _ in range(n)]
    for (i, j), score in zip(pairs.tolist(), scores.tolist()):
        if i != j and score > 0:
            links[i][j] = links[i].get(j, 0.0) + score
            links[j][i] = links[j].get(i, 0.0) + score
    size = [1] * n
    parent = list(range(n))
    alive = [True] * n
    heap = [(-s, i, j) for i in range(n) for j, s in links[i].items() if i < j and s > threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]):
            continue
        current = links[a].get(b, 0.0) / (size[a] * size[b])
        if abs(current + neg) > 1e-9 or current <= threshold:
            continue  # stale: a fresher entry exists, or the pair fell below
        _merge(a, b, links, size, alive, parent, heap, threshold)
    return _labels(parent)


def _merge(a, b, links, size, alive, parent, heap, threshold) -> None:
    if len(links[a]) < len(links[b]):
        a, b = b, a
    alive[b] = False
    parent[b] = a
    del links[a][b]
    del links[b][a]
    for other, total in links[b].items():
        del links[other][b]
        merged = links[a].get(other, 0.0) + total
        links[a][other] = merged
        links[other][a] = merged
    links[b] = {}
    size[a] += size[b]
    for other, total in links[a].items():
        average = total / (size[a] * size[other])
        if average > threshold:
            heapq.heappush(heap, (-average, min(a, other), max(a, other)))


def _labels(parent: list[int]) -> np.ndarray:
    def root(i: int) -> int:
        return root_of(parent, i)

    labels = np.empty(len(parent), dtype=np.int64)
    numbering: dict[int, int] = {}
    for i in range(len(parent)):
        labels[i] = numbering.setdefault(root(i), len(numbering))
    return labels
