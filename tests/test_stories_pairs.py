"""The shipped pair model: trees scored without scikit-learn, and the logistic's
veto where a pair shares no name, number or date."""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from newstrace.stories.pairs import OVERLAP_FEATURES, PAIR_FEATURES, CoveredTrees, Trees, shipped_model


def test_exported_trees_score_as_scikit_learn_does():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 6)).astype(np.float32)
    y = ((x[:, 0] * x[:, 1] > 0) ^ (x[:, 2] > 1)).astype(int)
    with threadpool_limits(1):  # a small fit; OpenMP threads only wait on a busy machine
        booster = HistGradientBoostingClassifier(max_depth=3, max_iter=20, early_stopping=False, random_state=0)
        booster.fit(x, y)
    trees = Trees.from_dict(Trees.from_sklearn(booster).to_dict())
    assert np.allclose(trees.probability(x), booster.predict_proba(x)[:, 1], atol=1e-5)


def test_pairs_sharing_no_name_number_or_date_are_decided_by_the_logistic():
    second = shipped_model().second
    assert isinstance(second, CoveredTrees)
    rng = np.random.default_rng(1)
    rows = second.fallback.mean + rng.normal(size=(400, len(second.fallback.mean))) * second.fallback.scale
    rows = np.clip(rows, 0, None).astype(np.float32)
    overlap = [PAIR_FEATURES.index(name) for name in OVERLAP_FEATURES]
    rows[:200, overlap] = 0.0
    rows[200:, overlap[0]] = np.maximum(rows[200:, overlap[0]], 0.05)
    scored = second.probability(rows)
    assert np.allclose(scored[:200], second.fallback.probability(rows[:200], second.fallback_shift), atol=1e-6)
    assert np.allclose(scored[200:], second.trees.probability(rows[200:]), atol=1e-6)
    assert not np.allclose(scored[200:], second.fallback.probability(rows[200:], second.fallback_shift), atol=1e-3)
