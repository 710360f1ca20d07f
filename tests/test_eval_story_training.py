"""The training script's shared-neighbours variant (``--shared-others``, issue 17) counts
only the articles other than the pair, unlike the shipped feature."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from train_story_model import shared_neighbours_of_others

from newstrace.stories.pairs import shared_neighbours


def test_two_articles_with_no_other_neighbour_share_none():
    pairs = np.array([[0, 1]])
    p = np.array([0.3], dtype=np.float32)
    assert shared_neighbours_of_others(2, pairs, p)[0] == 0.0
    assert shared_neighbours(2, pairs, p)[0] == 0.0  # shipped too since issue 17 (was ~2p)


def test_two_articles_with_the_same_third_neighbour_share_it_whatever_their_own_p():
    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    for own in (0.05, 0.9):
        p = np.array([own, 0.6, 0.6], dtype=np.float32)
        assert abs(shared_neighbours_of_others(3, pairs, p)[0] - 1.0) < 1e-6
