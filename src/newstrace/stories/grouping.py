"""Batch story grouping: articles about the same real-world event.

features (entities, numbers, dates, key terms, lead embedding) → candidate
pairs by blocking → a learned pair probability → average linkage with the
threshold tuned on held-out topics, then strays (clusters of up to three)
join their best story if it is close enough. See ``features``, ``pairs``, ``linkage``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from newstrace.model import Document, Story
from newstrace.progress import report
from newstrace.stories.doubt import story_doubts
from newstrace.stories.features import DocumentFrequency, RawFeatures, extract, headline
from newstrace.stories.linkage import LINKAGE_POWER, average_linkage
from newstrace.stories.pairs import candidate_pairs, pair_features
from newstrace.stories.scoring import PairModel, shipped_model
from newstrace.stories.timing import with_time

STRAY_SIZE = 3
STRAY_THRESHOLD = 0.2


@dataclass
class Grouping:
    """Cluster label per document, and the scored candidate pairs behind it."""

    labels: np.ndarray
    pairs: np.ndarray
    probabilities: np.ndarray


def group_features(
    raw: RawFeatures, model: PairModel | None = None, threshold: float | None = None
) -> Grouping:
    """Group documents given their raw features (IDF from these documents)."""
    model = model or shipped_model()
    report("pairs", 0, 0)
    pairs, probabilities = score_pairs(raw, model)
    report("pairs", len(pairs), len(pairs))
    report("clusters", 0, 0)
    grouping = cluster(
        len(raw), pairs, probabilities, model.threshold if threshold is None else threshold
    )
    report("clusters", len(set(grouping.labels.tolist())), len(set(grouping.labels.tolist())))
    return grouping


def score_pairs(raw: RawFeatures, model: PairModel) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs among ``raw`` and their probability of being one event."""
    frequency = DocumentFrequency()
    frequency.add(raw)
    weighted = frequency.weigh(raw)
    pairs = candidate_pairs(weighted)
    probabilities = model.probability(pair_features(weighted, raw, pairs), pairs, len(raw))
    return pairs, with_time(probabilities, raw.published, raw.published, pairs)


def cluster(n: int, pairs: np.ndarray, probabilities: np.ndarray, threshold: float) -> Grouping:
    """Average linkage (a power mean, ``LINKAGE_POWER``) at ``threshold``, then strays join their best story."""
    labels = attach_strays(
        average_linkage(n, pairs, probabilities, threshold, LINKAGE_POWER), pairs, probabilities
    )
    return Grouping(labels, pairs, probabilities)


def attach_strays(labels: np.ndarray, pairs: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Articles left in clusters of at most ``STRAY_SIZE`` join their best story
    if its mean pair probability reaches ``STRAY_THRESHOLD``.

    Short articles (a headline and a sentence) rarely reach the linkage
    threshold with a whole story; this pass recovers them (cross-validated
    B-cubed on the development topics 0.909 without it, 0.940 with strays of
    up to two, 0.953 up to three; ``eval/train_story_model.py``).
    """
    n, k = len(labels), int(labels.max()) + 1 if len(labels) else 0
    sizes = np.bincount(labels, minlength=k)
    strays = np.flatnonzero(sizes[labels] <= STRAY_SIZE)
    if not len(strays) or not len(pairs):
        return labels
    both = np.concatenate([pairs, pairs[:, ::-1]])
    graph = sp.csr_matrix(
        (np.concatenate([probabilities, probabilities]), (both[:, 0], both[:, 1])), shape=(n, n)
    )
    membership = sp.csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, k))
    means = (graph[strays] @ membership).tocoo()
    keep = (means.col != labels[strays][means.row]) & (sizes[means.col] > STRAY_SIZE)
    means = sp.csr_matrix(
        (means.data[keep] / sizes[means.col[keep]], (means.row[keep], means.col[keep])),
        shape=(len(strays), k),
    )
    best = np.asarray(means.argmax(axis=1)).ravel()
    joins = means.max(axis=1).toarray().ravel() >= STRAY_THRESHOLD
    labels = labels.copy()
    labels[strays[joins]] = best[joins]
    return labels


def group_stories(documents: list[Document], features: RawFeatures | None = None) -> list[Story]:
    """Group ``documents`` into stories; sets ``document.story`` and ``document.story_doubt``
    (a member that may report a separate, similar event: ``doubt``).

    Story ids are ``s1``, ``s2``, ... in order of each story's first document.
    ``features``: the documents' rows from :func:`extract`, when computed ahead
    (the Dask engine extracts them partition by partition on its workers).
    """
    if not documents:
        return []
    grouping = group_features(extract(documents) if features is None else features)
    stories = build_stories(documents, grouping.labels, _centrality(len(documents), grouping))
    story_doubts(documents, stories, pairs=grouping.pairs, probabilities=grouping.probabilities)
    return stories


def build_stories(
    documents: list[Document], labels: np.ndarray, centrality: np.ndarray
) -> list[Story]:
    """Stories from cluster labels: ids in order of first document, a title, dates."""
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels.tolist()):
        members[label].append(index)
    stories = []
    for number, label in enumerate(sorted(members, key=lambda lab: members[lab][0]), 1):
        indices = members[label]
        central = max(indices, key=lambda i: (centrality[i], -i))
        dates = sorted(d.published for d in (documents[i] for i in indices) if d.published)
        story = Story(
            id=f"s{number}",
            title=headline(documents[central]),
            documents=[documents[i].id for i in indices],
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
        )
        for i in indices:
            documents[i].story = story.id
        stories.append(story)
    return stories


def _centrality(n: int, grouping: Grouping) -> np.ndarray:
    """Summed pair probability to the other members of the same story."""
    centrality = np.zeros(n)
    if len(grouping.pairs):
        left, right = grouping.pairs[:, 0], grouping.pairs[:, 1]
        same = grouping.labels[left] == grouping.labels[right]
        np.add.at(centrality, left[same], grouping.probabilities[same])
        np.add.at(centrality, right[same], grouping.probabilities[same])
    return centrality
