"""Average linkage over a sparse graph: merges only what is close on average."""

import numpy as np

from newstrace.stories.linkage import average_linkage


def test_one_strong_link_does_not_chain_two_groups():
    # two tight triangles joined by a single strong edge (2-3)
    pairs = np.array([[0, 1], [0, 2], [1, 2], [3, 4], [3, 5], [4, 5], [2, 3]])
    scores = np.array([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.85])
    labels = average_linkage(6, pairs, scores, threshold=0.5)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]


def test_threshold_and_label_order():
    pairs = np.array([[1, 2], [0, 3]])
    labels = average_linkage(4, pairs, np.array([0.8, 0.3]), threshold=0.5)
    assert labels.tolist() == [0, 1, 1, 2]
    assert average_linkage(3, np.zeros((0, 2), dtype=int), np.zeros(0), 0.5).tolist() == [0, 1, 2]
