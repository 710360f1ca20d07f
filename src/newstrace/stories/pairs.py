"""Which pairs of articles to compare, and what each pair shares.

Candidates come from blocking, never from all pairs: each article keeps its
few heaviest keys (central entities, numbers, dates, key terms); keys shared by
more than ``MAX_POSTINGS`` articles are too common to block on and dropped;
two articles that share keys are candidates, and each keeps its ``NEIGHBOURS``
best. The sparse product that counts shared keys costs at most
``MAX_POSTINGS`` per key occurrence and runs in blocks of rows pruned at once,
so time and memory grow linearly with the corpus.

Each candidate pair gets its features here (per-bag cosines, missing and
conflicting names, years, and each pair's neighbourhood); ``scoring`` turns
them into the probability that the two articles report one event.
"""

from __future__ import annotations

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


# A pair's own first-stage p at which its shared neighbours count in full; below
# it they count in proportion (chosen before measuring, not tuned: issue 17).
TIE_FOR_SHARED_NEIGHBOURS = 0.1


def shared_neighbours(n: int, pairs: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """How far two articles share their neighbours, weighed by their own tie:
    the cosine of their rows of first-stage probabilities over the *other*
    articles (neither article itself nor the pair's own p; 0 where either has
    no other neighbour), times ``min(1, p / TIE_FOR_SHARED_NEIGHBOURS)``.

    Counting each article at 1 and the pair's own p in both rows (the feature
    before issue 17) made it about ``2 p`` where neighbourhoods are small: in
    PAC's two-article stories, two articles of different stories on one topic
    scored 0.47 at a first-stage p of 0.23. A cosine over the others alone is
    scale-free, so an article tied weakly but evenly to every member of one
    story (a ferry notice at p 0.005 to each seed) looked like a member; the
    tie factor keeps such a stray low. Runs in chunks of pairs, so memory
    stays bounded on big corpora.
    """
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    values = np.concatenate([probabilities, probabilities]).astype(np.float32)
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(n, n))
    squares = row_dots(matrix, matrix).astype(np.float64)
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        own = probabilities[start : start + _CHUNK].astype(np.float64)
        dots = row_dots(matrix[chunk[:, 0]], matrix[chunk[:, 1]])
        norms = np.sqrt(
            np.maximum(squares[chunk[:, 0]] - own * own, 0)
            * np.maximum(squares[chunk[:, 1]] - own * own, 0)
        )
        cosine = np.where(norms > 1e-9, dots / np.maximum(norms, 1e-9), 0.0)
        tie = np.minimum(1.0, own / TIE_FOR_SHARED_NEIGHBOURS)
        out[start : start + len(chunk)] = cosine * tie
    return out
