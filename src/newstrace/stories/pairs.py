"""Which pairs of articles to compare, and how likely each pair is one event.

Candidates come from blocking, never from all pairs: each article keeps its
few heaviest keys (central entities, numbers, dates, key terms); keys shared by
more than ``MAX_POSTINGS`` articles are too common to block on and dropped;
two articles that share keys are candidates, and each keeps its ``NEIGHBOURS``
best. The sparse product that counts shared keys costs at most
``MAX_POSTINGS`` per key occurrence and runs in blocks of rows pruned at once,
so time and memory grow linearly with the corpus.

The pair score comes in two stages (``PairModel``): a logistic regression
over per-bag cosines and conflicts (see ``features``), then gradient-boosted
trees over the same features plus each pair's neighbourhood, with a logistic
regression deciding the pairs that share no name, number or date
(``CoveredTrees``). All are trained on labelled topics by
``eval/train_story_model.py`` and shipped as ``pair_model.json`` (weights and
tree nodes, not a pickle).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from newstrace.stories.features import DATE_KINDS, TABLES, RawFeatures

KEYS_PER_DOC = 40
MAX_POSTINGS = 400
NEIGHBOURS = 60
BLOCKING_TABLES = ("people", "orgs", "places", "misc", "numbers", "dates", "lead", "words")
PRESENCE_TABLES = ("people", "orgs", "places", "misc", "numbers", "dates")
PAIR_FEATURES = (
    [f"cos_{name}" for name in TABLES]
    + [f"missing_{name}" for name in PRESENCE_TABLES]
    + ["cos_embedding", "log_min_words", "coverage_min", "coverage_max"]
    + [f"conflict_{name}" for name in DATE_KINDS.values()]
    + ["conflict_central_people", "conflict_central_orgs"]
    + ["year_shared", "year_one_side", "conflict_main_year"]
    + ["lead_year_shared_rarity", "conflict_lead_year"]
)
PUBLISHED_GRACE_DAYS = 3
PUBLISHED_DECAY_DAYS = 7.0
MODEL_PATH = Path(__file__).with_name("pair_model.json")
_CHUNK = 50_000
_ROW_CHUNK = 500


def candidate_pairs(weighted: dict[str, sp.csr_matrix], neighbours: int = NEIGHBOURS) -> np.ndarray:
    """Candidate pairs ``(i, j)``, ``i < j``, as an ``(m, 2)`` array."""
    n = weighted["words"].shape[0]
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    keys = _blocking_keys(weighted)
    keys_by_column = keys.T.tocsr()
    rows, cols = [], []
    for start in range(0, n, _ROW_CHUNK):
        shared = (keys[start : start + _ROW_CHUNK] @ keys_by_column).tocsr()
        for offset in range(shared.shape[0]):
            i = start + offset
            lo, hi = shared.indptr[offset], shared.indptr[offset + 1]
            idx, val = shared.indices[lo:hi], shared.data[lo:hi]
            idx, val = idx[idx != i], val[idx != i]
            if len(idx) > neighbours:
                idx = idx[np.argpartition(-val, neighbours)[:neighbours]]
            rows.append(np.full(len(idx), i))
            cols.append(idx)
    if not rows:
        return np.zeros((0, 2), dtype=np.int64)
    first, second = np.concatenate(rows), np.concatenate(cols)
    pairs = np.stack([np.minimum(first, second), np.maximum(first, second)], axis=1)
    return np.unique(pairs, axis=0)


def _blocking_keys(weighted: dict[str, sp.csr_matrix]) -> sp.csr_matrix:
    keys = sp.hstack([weighted[name] for name in BLOCKING_TABLES], format="csr")
    keys = _top_per_row(keys, KEYS_PER_DOC)
    postings = np.bincount(keys.indices, minlength=keys.shape[1])
    keep = (postings <= MAX_POSTINGS).astype(np.float32)
    keys = keys @ sp.diags(keep)
    keys.eliminate_zeros()
    return keys.tocsr()


def _top_per_row(matrix: sp.csr_matrix, top: int) -> sp.csr_matrix:
    matrix = matrix.tocsr().copy()
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        if end - start > top:
            row = matrix.data[start:end]
            cutoff = np.partition(row, end - start - top)[end - start - top]
            row[row < cutoff] = 0
    matrix.eliminate_zeros()
    return matrix


def pair_features(
    weighted: dict[str, sp.csr_matrix],
    raw: RawFeatures,
    pairs: np.ndarray,
    other: tuple[dict[str, sp.csr_matrix], RawFeatures] | None = None,
) -> np.ndarray:
    """One row of ``PAIR_FEATURES`` per pair.

    Pair ``(i, j)`` takes ``i`` from ``weighted``/``raw`` and ``j`` from
    ``other`` when given (a new article against stored ones), else from the same.
    """
    right_weighted, right_raw = other if other is not None else (weighted, raw)
    out = np.zeros((len(pairs), len(PAIR_FEATURES)), dtype=np.float32)
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        left, right = chunk[:, 0], chunk[:, 1]
        columns = []
        for name in TABLES:
            a, b = weighted[name][left], right_weighted[name][right]
            columns.append(row_dots(a, b))
        for name in PRESENCE_TABLES:
            a_has = np.diff(weighted[name].indptr)[left] > 0
            b_has = np.diff(right_weighted[name].indptr)[right] > 0
            columns.append((~(a_has & b_has)).astype(np.float32))
        columns.append(np.einsum("ij,ij->i", raw.lead_vectors[left], right_raw.lead_vectors[right]))
        columns.append(np.log1p(np.minimum(raw.lengths[left], right_raw.lengths[right])))
        forward = _coverage(raw.tables["central"][left], right_raw.tables["mentioned"][right])
        backward = _coverage(right_raw.tables["central"][right], raw.tables["mentioned"][left])
        columns.append(np.minimum(forward, backward))
        columns.append(np.maximum(forward, backward))
        for name in (*DATE_KINDS.values(), "central_people", "central_orgs"):
            columns.append(_conflict(raw.tables[name][left], right_raw.tables[name][right]))
        columns.extend(
            _year_features(
                raw.tables["year_mentions"][left], right_raw.tables["year_mentions"][right]
            )
        )
        columns.append(
            _conflict(raw.tables["main_year"][left], right_raw.tables["main_year"][right])
        )
        columns.append(
            _shared_rarity(weighted["lead_years"][left], right_raw.tables["lead_years"][right])
        )
        columns.append(
            _conflict(raw.tables["lead_years"][left], right_raw.tables["lead_years"][right])
        )
        out[start : start + len(chunk)] = np.stack(columns, axis=1)
    return out


def row_dots(a: sp.spmatrix, b: sp.spmatrix) -> np.ndarray:
    """The dot product of each row of ``a`` with the same row of ``b``."""
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def _coverage(central: sp.csr_matrix, mentioned: sp.csr_matrix) -> np.ndarray:
    """Share of one article's central names the other mentions (1 if it has none)."""
    found = row_dots(central, mentioned)
    total = np.diff(central.indptr).astype(np.float32)
    return np.where(total > 0, found / np.maximum(total, 1), 1.0).astype(np.float32)


def _year_features(a: sp.csr_matrix, b: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Whether the two texts share a year, and whether only one of them gives any."""
    a_has, b_has = np.diff(a.indptr) > 0, np.diff(b.indptr) > 0
    shared = row_dots(a, b) > 0
    return shared.astype(np.float32), (a_has ^ b_has).astype(np.float32)


def _shared_rarity(rarity: sp.csr_matrix, other: sp.csr_matrix) -> np.ndarray:
    """The rarest key that ``other`` shares with ``rarity``'s row (its rarity), 0 if none."""
    shared = rarity.multiply(other > 0).tocsr()
    return shared.max(axis=1).toarray().ravel().astype(np.float32)


def _conflict(a: sp.csr_matrix, b: sp.csr_matrix) -> np.ndarray:
    """1 where both name something of this kind and nothing in common."""
    both = (np.diff(a.indptr) > 0) & (np.diff(b.indptr) > 0)
    shared = row_dots(a, b) > 0
    return (both & ~shared).astype(np.float32)


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
        out = np.empty(len(features), dtype=np.float32)
        trees, width = self.feature.shape
        for start in range(0, len(features), _CHUNK // 5):
            by_feature = np.asarray(
                features[start : start + _CHUNK // 5], dtype=np.float32
            ).T.copy()
            tests = (
                by_feature[self.feature.ravel()].reshape(trees, width, -1)
                <= self.threshold[:, :, None]
            )
            codes = np.zeros((trees, tests.shape[2]), dtype=np.int64)
            for bit in range(width):
                codes |= tests[:, bit].astype(np.int64) << bit
            z = self.baseline + np.take(self.table, codes + self._offsets).sum(axis=0)
            out[start : start + len(z)] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return out

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
        first = self.first.probability(features)
        return self.second.probability(
            np.column_stack([features, neighbourhood_features(n, pairs, first)])
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


NEIGHBOURHOOD_FEATURES = ["shared_neighbours", "relative_min", "log_rank_max"]


def neighbourhood_features(n: int, pairs: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """``NEIGHBOURHOOD_FEATURES`` of each pair from first-stage probabilities:
    shared neighbours, and how the pair compares with each article's best
    candidates (the lower of p / each side's best p; the higher of the two
    ranks): an article whose own event has closer articles than this one."""
    columns = [shared_neighbours(n, pairs, probabilities)]
    both = np.concatenate([pairs[:, 0], pairs[:, 1]])
    values = np.concatenate([probabilities, probabilities])
    best = np.zeros(n, dtype=np.float32)
    np.maximum.at(best, both, values)
    ratio = values / np.maximum(best[both], 1e-6)
    order = np.lexsort((-values, both))
    rank = np.empty(len(both), dtype=np.float32)
    starts = np.searchsorted(both[order], both[order], side="left")
    rank[order] = np.arange(len(both)) - starts
    m = len(pairs)
    columns.append(np.minimum(ratio[:m], ratio[m:]))
    columns.append(np.log1p(np.maximum(rank[:m], rank[m:])))
    return np.column_stack(columns).astype(np.float32)


def shared_neighbours(n: int, pairs: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """Cosine of the two articles' rows of pair probabilities (self = 1)."""
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    values = np.concatenate([probabilities, probabilities, np.ones(n)]).astype(np.float32)
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(n, n))
    norms = np.sqrt(row_dots(matrix, matrix))
    matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        out[start : start + len(chunk)] = row_dots(matrix[chunk[:, 0]], matrix[chunk[:, 1]])
    return out


@lru_cache(maxsize=1)
def shipped_model() -> PairModel:
    """The pair model trained on the ECB+ development topics."""
    return PairModel.from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def published_factor(
    left: list[date | None], right: list[date | None], pairs: np.ndarray
) -> np.ndarray:
    """Down-weights pairs published far apart; 1 where a date is unknown.

    The labelled data carries no publication dates, so this is a rule, not
    learned: full weight within ``PUBLISHED_GRACE_DAYS``, then exponential decay.
    """
    factor = np.ones(len(pairs), dtype=np.float32)
    for n, (i, j) in enumerate(pairs):
        a, b = left[i], right[j]
        if a is not None and b is not None:
            gap = abs((a - b).days) - PUBLISHED_GRACE_DAYS
            if gap > 0:
                factor[n] = np.exp(-gap / PUBLISHED_DECAY_DAYS)
    return factor
