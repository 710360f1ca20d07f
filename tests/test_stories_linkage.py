"""Average linkage over a sparse graph: merges only what is close on average."""

import numpy as np

from newstrace.stories.linkage import average_linkage, group_means


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


def test_a_square_root_mean_keeps_two_groups_apart_that_one_bridging_article_joins():
    # two tight triangles; article 2 scores 0.9 with all of 3-5, the other cross pairs 0.2
    pairs = np.array([(i, j) for i in range(6) for j in range(i + 1, 6)])
    same = (pairs[:, 0] < 3) == (pairs[:, 1] < 3)
    scores = np.where(same, 0.95, np.where(pairs[:, 0] == 2, 0.9, 0.2))
    # plain mean across: (3 * 0.9 + 6 * 0.2) / 9 = 0.43; square-root mean: 0.38
    assert average_linkage(6, pairs, scores, threshold=0.4).tolist() == [0] * 6
    assert average_linkage(6, pairs, scores, threshold=0.4, power=0.5).tolist() == [
        0,
        0,
        0,
        1,
        1,
        1,
    ]


def test_group_means_is_the_linkage_power_mean():
    scores, groups = np.array([0.81, 0.01, 0.5]), np.array([0, 0, 1])
    assert np.allclose(group_means(scores, groups, 2, power=0.5), [0.25, 0.5])
    assert np.allclose(group_means(scores, groups, 2, power=1.0), [0.41, 0.5])
