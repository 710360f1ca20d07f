"""How likely a candidate pair of articles is one event: the shipped pair model.

Two stages (``PairModel``): a logistic regression over the pair features
(``pairs.pair_features``), then gradient-boosted trees over the same features
plus each pair's neighbourhood, with a logistic regression deciding the pairs
that share no name, number or date (``CoveredTrees``). All are trained on
labelled topics by ``eval/train_story_model.py`` and shipped as
``pair_model.json``: weights and tree nodes, read here with numpy, not a
pickle, so no scikit-learn version has to match at run time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from newstrace.stories.pairs import PAIR_FEATURES, PRESENCE_TABLES, neighbourhood_features

MODEL_PATH = Path(__file__).with_name("pair_model.json")
_CHUNK = 50_000  # pairs scored at once by the trees


@dataclass(frozen=True)
class Logistic:
    """A logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, features: np.ndarray, shift: float = 0.0) -> np.ndarray:
        """P(one event); ``shift`` is added on the logit scale."""
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept + shift
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_dict(self) -> dict:
        return {
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Logistic:
        mean, scale, coef = (np.array(data[k], dtype=np.float32) for k in ("mean", "scale", "coef"))
        return cls(mean, scale, coef, float(data["intercept"]))


class Trees:
    """Gradient-boosted trees over the pair features, evaluated with numpy.

    Trained with scikit-learn's ``HistGradientBoostingClassifier`` for the
    second stage: the errors a linear score left were interactions (high name
    overlap when only one side gives a year; a strong pair that is not either
    article's best), and trees draw them (held-out B-cubed, mean of six topic
    splits, 0.956 with a logistic second stage, 0.963 with trees, which
    decide only where ECB+ covers a pair: ``CoveredTrees``). A fitted
    scikit-learn model can only be saved by pickle, which this package does
    not load, so the trees are exported as node lists (``from_sklearn``) and
    evaluated here. The trees are shallow, so each is turned into a table:
    every inner node's test (``x[feature] <= threshold``, scikit-learn's
    rule) is one bit of a code, and the table maps each code to the leaf
    value it leads to. Scoring is then one gather, one comparison and one
    table lookup per tree, with no walk row by row. Thresholds are compared
    in float32, rounded down so that ``x <= t`` gives what float64 gives.
    """

    MAX_INNER = 12

    def __init__(self, baseline: float, trees: list[dict]):
        self.baseline = float(baseline)
        self.trees = trees
        inner = [[n for n, left in enumerate(tree["left"]) if left >= 0] for tree in trees]
        width = max(1, *(len(nodes) for nodes in inner))
        if width > self.MAX_INNER:
            raise ValueError(
                f"pair_model.json: trees of {width} inner nodes are too deep for tables"
            )
        self.feature = np.zeros((len(trees), width), dtype=np.int64)
        self.threshold = np.full((len(trees), width), np.inf, dtype=np.float32)
        self.table = np.zeros((len(trees), 2**width), dtype=np.float64)
        for t, (tree, nodes) in enumerate(zip(trees, inner)):
            self.feature[t, : len(nodes)] = [tree["feature"][n] for n in nodes]
            self.threshold[t, : len(nodes)] = [
                _float32_at_most(tree["threshold"][n]) for n in nodes
            ]
            self.table[t] = _leaf_values(tree, nodes, width)
        self._offsets = (np.arange(len(trees)) * 2**width)[:, None]

    def probability(self, features: np.ndarray) -> np.ndarray:
        return _in_chunks(lambda rows: self._scores(features[rows]), len(features), _CHUNK // 5)

    def _scores(self, features: np.ndarray) -> np.ndarray:
        trees, width = self.feature.shape
        by_feature = np.asarray(features, dtype=np.float32).T.copy()
        tests = (
            by_feature[self.feature.ravel()].reshape(trees, width, -1) <= self.threshold[:, :, None]
        )
        codes = np.zeros((trees, tests.shape[2]), dtype=np.int64)
        for bit in range(width):
            codes |= tests[:, bit].astype(np.int64) << bit
        z = self.baseline + np.take(self.table, codes + self._offsets).sum(axis=0)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_dict(self) -> dict:
        return {"kind": "trees", "baseline": self.baseline, "trees": self.trees}

    @classmethod
    def from_dict(cls, data: dict) -> Trees:
        return cls(data["baseline"], data["trees"])

    @classmethod
    def from_sklearn(cls, model) -> Trees:
        """From a fitted binary ``HistGradientBoostingClassifier`` (numeric features, no missing values)."""
        trees = []
        for (predictor,) in model._predictors:
            nodes = predictor.nodes
            leaf = nodes["is_leaf"].astype(bool)
            trees.append(
                {
                    "feature": np.where(leaf, -1, nodes["feature_idx"].astype(np.int64)).tolist(),
                    "threshold": np.where(leaf, 0.0, nodes["num_threshold"].astype(float)).tolist(),
                    "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
                    "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
                    "value": np.where(leaf, nodes["value"].astype(float), 0.0).tolist(),
                }
            )
        return cls(float(np.ravel(model._baseline_prediction)[0]), trees)


def _float32_at_most(threshold: float) -> np.float32:
    """The largest float32 not above ``threshold``: for float32 ``x``, ``x <= it`` iff ``x <= threshold``."""
    rounded = np.float32(threshold)
    return np.nextafter(rounded, np.float32(-np.inf)) if float(rounded) > threshold else rounded


def _leaf_values(tree: dict, inner: list[int], width: int) -> np.ndarray:
    """The leaf value reached by each code of inner-node tests (bit k: test of ``inner[k]`` passed)."""
    codes = np.arange(2**width)
    slot = {node: k for k, node in enumerate(inner)}
    node = np.zeros(len(codes), dtype=np.int64)
    left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
    for _ in range(len(inner)):
        is_inner = left[node] >= 0
        bit = (codes >> np.array([slot.get(n, 0) for n in node.tolist()])) & 1
        node = np.where(is_inner, np.where(bit == 1, left[node], right[node]), node)
    return np.asarray(tree["value"], dtype=np.float64)[node]


OVERLAP_FEATURES = [f"cos_{name}" for name in PRESENCE_TABLES]
"""The bags of names, numbers and dates: a pair with none of them shared lies
where ECB+ gives the trees almost nothing to learn from."""


@dataclass(frozen=True)
class CoveredTrees:
    """Boosted trees where the training pairs cover a pair, a logistic elsewhere.

    Trees extrapolate flat outside their data. Among ECB+ candidate pairs,
    those that share no name, number or date at all are few (1,213 of
    31,279, 47 of them one event) and all unlike in wording (word cosine at
    most 0.25 for the other-event ones), so trees learn nothing about
    articles that share wording and neighbours but no name, number or date
    (templated reports of different events) and merged them, where the
    logistic's additive penalty for each empty overlap keeps them apart.
    So for those pairs the logistic decides, and the trees cannot override it.
    The logistic has its own threshold (set, not tuned: ECB+ cannot tune it;
    ``eval/train_story_model.FALLBACK_THRESHOLD``), so its logit is moved by
    ``fallback_shift`` (the logit of the trees' threshold minus that of its
    own): it then joins a pair exactly when it would have at its own threshold.
    """

    trees: Trees
    fallback: Logistic
    fallback_shift: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        out = self.trees.probability(features)
        uncovered = ~np.asarray(features[:, _OVERLAP_COLUMNS] > 0).any(axis=1)
        if uncovered.any():
            out[uncovered] = self.fallback.probability(features[uncovered], self.fallback_shift)
        return out

    def to_dict(self) -> dict:
        return {
            "kind": "covered_trees",
            "fallback_where_none_shared": OVERLAP_FEATURES,
            "fallback_shift": round(float(self.fallback_shift), 6),
            "trees": self.trees.to_dict(),
            "fallback": self.fallback.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> CoveredTrees:
        if list(data["fallback_where_none_shared"]) != OVERLAP_FEATURES:
            raise ValueError(
                "pair_model.json was trained on other features; rerun eval/train_story_model.py"
            )
        return cls(
            Trees.from_dict(data["trees"]),
            Logistic.from_dict(data["fallback"]),
            float(data["fallback_shift"]),
        )


_OVERLAP_COLUMNS = [PAIR_FEATURES.index(name) for name in OVERLAP_FEATURES]
Stage = Logistic | Trees | CoveredTrees


def stage_from_dict(data: dict) -> Stage:
    """A pair-model stage from ``pair_model.json``."""
    kind = data.get("kind")
    if kind == "trees":
        return Trees.from_dict(data)
    if kind == "covered_trees":
        return CoveredTrees.from_dict(data)
    return Logistic.from_dict(data)


@dataclass(frozen=True)
class PairModel:
    """Two stages of pair probability and the linkage thresholds.

    ``first`` scores a pair from its own features. ``second`` adds how alike
    the two articles' neighbourhoods are (the cosine of their rows of
    first-stage probabilities, "shared neighbours"): two short articles on one
    event rarely share many words, but they agree on which other articles
    they resemble. A stream has no settled neighbourhoods, so incremental
    grouping uses ``first`` with ``stream_threshold``.
    """

    first: Stage
    second: Stage
    threshold: float
    stream_threshold: float

    def probability(self, features: np.ndarray, pairs: np.ndarray, n: int) -> np.ndarray:
        """Second-stage probability of each candidate pair among ``n`` articles."""
        if not len(pairs):
            return np.zeros(0, dtype=np.float32)
        first = _in_chunks(lambda rows: self.first.probability(features[rows]), len(features))
        neighbourhood = neighbourhood_features(n, pairs, first)
        return _in_chunks(
            lambda rows: self.second.probability(
                np.column_stack([features[rows], neighbourhood[rows]])
            ),
            len(features),
        )

    def to_json(self, **extra) -> str:
        return json.dumps(
            {
                "features": PAIR_FEATURES,
                "first": self.first.to_dict(),
                "second": self.second.to_dict(),
                "threshold": round(float(self.threshold), 4),
                "stream_threshold": round(float(self.stream_threshold), 4),
                **extra,
            },
            indent=1,
        )

    @classmethod
    def from_dict(cls, data: dict) -> PairModel:
        if list(data["features"]) != PAIR_FEATURES:
            raise ValueError(
                "pair_model.json was trained on other features; rerun eval/train_story_model.py"
            )
        return cls(
            stage_from_dict(data["first"]),
            stage_from_dict(data["second"]),
            float(data["threshold"]),
            float(data["stream_threshold"]),
        )


def _in_chunks(score: Callable[[slice], np.ndarray], rows: int, chunk: int = _CHUNK) -> np.ndarray:
    """``score`` over ``rows`` rows, ``_CHUNK`` at a time, so that no stage's
    temporaries (standardised copies, the second stage's widened rows) exist
    for every pair at once: at 100k articles they were about a gigabyte over
    the features of 4.1 million candidate pairs (docs/engine.md, "100k,
    measured"). Each row is scored on its own, so the result is the same."""
    out = np.empty(rows, dtype=np.float32)
    for start in range(0, rows, chunk):
        part = slice(start, min(start + chunk, rows))
        out[part] = score(part)
    return out


@lru_cache(maxsize=1)
def shipped_model() -> PairModel:
    """The pair model trained on the ECB+ development topics."""
    return PairModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
