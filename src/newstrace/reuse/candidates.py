"""Candidate pairs for reuse, without comparing all pairs.

Two sources of candidates, both about linear in the corpus:

* **An inverted index of word 3-grams** (:func:`shingle_pairs`) finds every
  pair sharing at least ``MIN_SHARED`` distinct 3-grams that are not
  boilerplate (a 3-gram in more than ``BUCKET_CAP`` documents indexes
  nothing). Unlike banded MinHash, which samples the Jaccard similarity of
  whole documents and so misses a short passage taken into a longer text,
  this is exact for containment: its probability curve is a step, 0 below
  ``MIN_SHARED`` shared 3-grams and 1 from there, whatever the two lengths.
  A text of ``n`` words that takes a share ``c`` of its words from another
  shares about ``c * n - 2`` 3-grams with it, so a 100-word newspaper story
  with one reused 5-word phrase is already a candidate (banded MinHash at 40
  bands x 3 rows: probability 0.04 at Jaccard 0.1, 0.28 at 0.2; datasketch's
  MinHashLSH at threshold 0.1: 0.47 and 0.93). Cost: one sort of all
  (3-gram, document) entries and at most ``BUCKET_CAP`` vectorised passes
  over it, so linear in the corpus for a fixed cap.
  ``benchmarks/bench_reuse.py`` compares it with datasketch's MinHashLSH.
* **MinHash LSH over word 3-shingles** (kept for comparison and the
  benchmark) finds copies that share exact wording
  (duplicates, near copies, light edits). This is our own vectorised numpy
  implementation, not datasketch's: shingles of a whole batch of documents are
  hashed and permuted in a few array operations, where datasketch hashes each
  shingle with SHA-1 in Python and indexes documents one at a time.
  ``benchmarks/bench_reuse.py`` runs both on the same 10k and 100k documents
  with the same bands and rows (figures in README, "Reuse"): same recall
  (0.998), 3.3x faster at 10k and 4.7x at 100k documents, half the peak memory. The permutations are ``(a*x + b) mod 2**61-1``
  as in datasketch, on 64-bit shingle hashes. Words are hashed with a keyed
  BLAKE2b (stable across processes, unlike Python's ``hash``), so a document's
  signature depends on its text alone: Dask workers compute them partition by
  partition and get exactly the signatures of a whole-corpus run.
* **Embedding neighbours** find rewrites that share few exact words: each
  document is the mean embedding of its lead sentences, and random-hyperplane
  LSH (SimHash bands) proposes neighbours whose cosine is then checked.

Buckets that grow past a cap (boilerplate shared by thousands of pages) are
linked as a chain of neighbours rather than all pairs, which keeps the cost
linear while still connecting every member.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence

import numpy as np

SHINGLE = 3
NUM_PERM = 120
BANDS = 40
ROWS = 3
BUCKET_CAP = 40
MIN_SHARED = 3
GRAMS_PER_PART = 4_000_000

_MERSENNE = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads sequential ids over 64 bits."""
    with np.errstate(over="ignore"):
        x = x.astype(np.uint64, copy=True)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


def _word_hash(word: str, cache: dict[str, int]) -> int:
    found = cache.get(word)
    if found is None:
        found = int.from_bytes(
            hashlib.blake2b(word.encode(), digest_size=8, key=b"newstrace").digest(), "little"
        )
        cache[word] = found
    return found


_WORD_HASHES: dict[str, int] = {}


def shingle_hashes(tokens: Sequence[str], shingle: int = SHINGLE) -> np.ndarray:
    """The distinct word ``shingle``-gram hashes of a text, sorted (none for a shorter text).

    A text with no words has no shingles and so is never a candidate: it cannot
    collide with another empty text.
    """
    return np.unique(gram_hashes(tokens, shingle))


def gram_hashes(tokens: Sequence[str], shingle: int = SHINGLE) -> np.ndarray:
    """The hash of the word ``shingle``-gram starting at every position of ``tokens``."""
    if len(tokens) < shingle:
        return np.zeros(0, dtype=np.uint64)
    if len(_WORD_HASHES) > 2_000_000:
        _WORD_HASHES.clear()
    ids = np.fromiter(
        (_word_hash(t, _WORD_HASHES) for t in tokens), dtype=np.uint64, count=len(tokens)
    )
    h = _mix64(ids)
    out = h[: len(h) - shingle + 1].copy()
    with np.errstate(over="ignore"):
        for k in range(1, shingle):
            out = _mix64(out * np.uint64(31) + h[k : len(h) - shingle + 1 + k])
    return out


def shingle_pairs(
    shingles: Sequence[np.ndarray],
    min_shared: int = MIN_SHARED,
    cap: int = BUCKET_CAP,
    grams_per_part: int = GRAMS_PER_PART,
) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, sharing at least ``min_shared`` 3-grams found in at most
    ``cap`` documents each (see the module docstring for the curve and the cost).

    ``shingles`` are sorted (:func:`shingle_hashes`). The 3-grams are taken in
    parts by hash range (:func:`hash_ranges`, as the pair checks' corpus
    frequencies are: a 3-gram always falls in the same part, so each part's
    counts are exact and they add up; a document's part is one slice of its
    sorted hashes), about ``grams_per_part`` entries a part: the sort then holds one part's entries,
    not the whole corpus's (some 40 bytes an entry: 2.4 GB at 100k articles
    in one piece; docs/engine.md, "Growth").
    """
    n = len(shingles)
    if n < 2:
        return set()
    known = getattr(shingles, "lengths", None)  # arrays read back from disk: lengths known
    total = int(sum(len(s) for s in shingles) if known is None else known.sum())
    if total == 0:
        return set()
    ranges = hash_ranges(total, grams_per_part)
    if len(ranges) == 1:
        codes, counts = _pairs_sharing(list(shingles), n, cap)
    else:
        found = [
            _pairs_sharing([in_range(s, low, high) for s in shingles], n, cap)
            for low, high in ranges
        ]
        codes, inverse = np.unique(np.concatenate([c for c, _ in found]), return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate([k for _, k in found]))
    codes = codes[counts >= min_shared]
    return set(zip((codes // n).tolist(), (codes % n).tolist()))


def hash_ranges(total: int, per_part: int = GRAMS_PER_PART) -> list[tuple[int, int]]:
    """``[low, high)`` ranges splitting the 64-bit hash space into parts of about ``per_part``
    of ``total`` entries (the hashes are spread evenly: :func:`_mix64`). A hash always falls
    in the same part, so counts taken part by part are exact and add up."""
    parts = max(1, -(-total // per_part))
    width = (1 << 64) // parts + 1
    return [(part * width, min((part + 1) * width, 1 << 64)) for part in range(parts)]


def in_range(hashes: np.ndarray, low: int, high: int) -> np.ndarray:
    """The slice of sorted ``hashes`` in ``[low, high)`` (``high`` may be 2**64)."""
    start = 0 if low == 0 else int(np.searchsorted(hashes, np.uint64(low)))
    stop = len(hashes) if high >= 1 << 64 else int(np.searchsorted(hashes, np.uint64(high)))
    return hashes[start:stop]


def _pairs_sharing(shingles: list[np.ndarray], n: int, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes ``i * n + j`` and how many of the given 3-grams each pair shares."""
    lengths = np.array([len(s) for s in shingles])
    keys = np.concatenate(shingles)
    docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    boundaries = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate(([0], boundaries))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    group_size = np.repeat(sizes, sizes)
    keep = (group_size > 1) & (group_size <= cap)
    keys, docs = keys[keep], docs[keep]
    found = []
    for offset in range(1, min(cap, len(keys))):
        same = keys[offset:] == keys[:-offset]
        if not same.any():
            break
        found.append(docs[:-offset][same] * n + docs[offset:][same])
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(found), return_counts=True)


class MinHasher:
    """Vectorised MinHash signatures of token lists (word shingles)."""

    def __init__(self, num_perm: int = NUM_PERM, shingle: int = SHINGLE, seed: int = 1):
        rng = np.random.default_rng(seed)
        # 32-bit multipliers keep every product inside 64 bits before the reduction
        self.a = rng.integers(1, 1 << 32, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64)
        self.shingle = shingle
        self.num_perm = num_perm
        self._word_hashes: dict[str, int] = {}

    def _word_hash(self, word: str) -> int:
        found = self._word_hashes.get(word)
        if found is None:
            found = int.from_bytes(
                hashlib.blake2b(word.encode(), digest_size=8, key=b"newstrace").digest(), "little"
            )
            self._word_hashes[word] = found
        return found

    def _shingle_hashes(self, tokens: Sequence[str]) -> np.ndarray:
        ids = np.fromiter((self._word_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
        if len(ids) < self.shingle:
            ids = np.pad(ids, (0, self.shingle - len(ids)), constant_values=np.uint64(1 << 40))
        h = _mix64(ids)
        out = h[: len(h) - self.shingle + 1].copy()
        with np.errstate(over="ignore"):
            for k in range(1, self.shingle):
                out = _mix64(out * np.uint64(31) + h[k : len(h) - self.shingle + 1 + k])
        return out

    def signatures(
        self, token_lists: Sequence[Sequence[str]], batch_shingles: int = 40_000
    ) -> np.ndarray:
        """``(len(token_lists), num_perm)`` uint32 signatures."""
        sigs = np.empty((len(token_lists), self.num_perm), dtype=np.uint32)
        chunk: list[np.ndarray] = []
        first = size = 0
        for n, tokens in enumerate(token_lists):
            chunk.append(self._shingle_hashes(tokens))
            size += len(chunk[-1])
            if size >= batch_shingles or n + 1 == len(token_lists):
                sigs[first : n + 1] = self._min_permuted(chunk)
                chunk, first, size = [], n + 1, 0
        return sigs

    def _min_permuted(self, chunk: list[np.ndarray]) -> np.ndarray:
        lengths = np.array([len(c) for c in chunk])
        hashes = np.concatenate(chunk) & _MASK32
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        with np.errstate(over="ignore"):
            permuted = (hashes[None, :] * self.a[:, None] + self.b[:, None]) % _MERSENNE
        return np.minimum.reduceat(permuted & _MASK32, offsets, axis=1).T.astype(np.uint32)


def band_pairs(
    signatures: np.ndarray, bands: int = BANDS, rows: int = ROWS, cap: int = BUCKET_CAP
) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, that share at least one band of their signatures."""
    pairs: set[tuple[int, int]] = set()
    n = len(signatures)
    if n < 2:
        return pairs
    sig = signatures.astype(np.uint64)
    for band in range(bands):
        key = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for r in range(rows):
                key = _mix64(key * np.uint64(1000003) + sig[:, band * rows + r] + np.uint64(band))
        _pairs_in_buckets(key, pairs, cap)
    return pairs


def _pairs_in_buckets(keys: np.ndarray, pairs: set[tuple[int, int]], cap: int) -> None:
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    boundaries = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(keys)]))
    for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
        members = sorted(order[s:e].tolist())
        if len(members) <= cap:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        else:
            pairs.update(itertools.pairwise(members))


def simhash_pairs(
    vectors: np.ndarray,
    threshold: float,
    tables: int = 24,
    bits: int = 10,
    neighbours: int = 8,
    seed: int = 2,
) -> set[tuple[int, int]]:
    """Pairs of unit vectors with cosine ≥ ``threshold`` found by random-hyperplane LSH.

    Each document keeps at most ``neighbours`` partners (its nearest), so a
    story covered by hundreds of outlets does not produce all their pairs.
    """
    n = len(vectors)
    if n < 2:
        return set()
    rng = np.random.default_rng(seed)
    planes = rng.standard_normal((vectors.shape[1], tables * bits)).astype(np.float32)
    codes = (vectors @ planes > 0).reshape(n, tables, bits)
    weights = 1 << np.arange(bits, dtype=np.uint64)
    proposed: set[tuple[int, int]] = set()
    for t in range(tables):
        keys = (codes[:, t, :].astype(np.uint64) * weights).sum(axis=1) + np.uint64(t << bits)
        _pairs_in_buckets(keys, proposed, cap=4 * neighbours)
    if not proposed:
        return set()
    left, right = np.array(sorted(proposed)).T
    cosine = _row_dots(vectors, left, right)
    keep = cosine >= threshold
    return _nearest_per_document(left[keep], right[keep], cosine[keep], neighbours)


COSINE_BLOCK = 16_384
"""Proposed pairs whose cosine is computed at once: two (block, 384) float32 copies, 50 MB."""


def _row_dots(
    vectors: np.ndarray, left: np.ndarray, right: np.ndarray, block: int = COSINE_BLOCK
) -> np.ndarray:
    """``vectors[left[k]] @ vectors[right[k]]`` for every k, a block of pairs at a time.

    All at once, the two row copies took 3 KB a proposed pair: a transient
    0.7 GB in the main process at 3k growth-corpus articles, 2.5 GB at 10k
    (docs/engine.md, "Growth"). Each dot product is the same computation
    either way, so the cosines are the same to the bit.
    """
    out = np.empty(len(left), dtype=np.result_type(vectors.dtype, np.float32))
    for start in range(0, len(left), block):
        rows = slice(start, start + block)
        out[rows] = np.einsum("ij,ij->i", vectors[left[rows]], vectors[right[rows]])
    return out


def _nearest_per_document(
    left: np.ndarray, right: np.ndarray, cosine: np.ndarray, k: int
) -> set[tuple[int, int]]:
    taken: dict[int, int] = {}
    pairs: set[tuple[int, int]] = set()
    for idx in np.argsort(-cosine):
        a, b = int(left[idx]), int(right[idx])
        if taken.get(a, 0) < k or taken.get(b, 0) < k:
            pairs.add((a, b))
            taken[a] = taken.get(a, 0) + 1
            taken[b] = taken.get(b, 0) + 1
    return pairs


def lead_vectors(embeddings: Sequence[np.ndarray | None], leads: Sequence[list[int]]) -> np.ndarray:
    """Unit mean of each document's lead-sentence embeddings (zeros if it has none)."""
    dim = next((e.shape[1] for e in embeddings if e is not None and e.ndim == 2), 384)
    out = np.zeros((len(embeddings), dim), dtype=np.float32)
    for i, (emb, lead) in enumerate(zip(embeddings, leads)):
        if lead and emb is not None:
            mean = emb[lead].mean(axis=0)
            out[i] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return out


def candidate_pairs(
    shingles: Sequence[np.ndarray], lead_vecs: np.ndarray | None, cosine: float = 0.72
) -> dict[tuple[int, int], str]:
    """Candidate pairs over a corpus, each with how it was found ("shingles" or "embedding").

    ``shingles`` are the documents' distinct 3-gram hashes (:func:`shingle_hashes`).
    """
    found: dict[tuple[int, int], str] = {}
    if lead_vecs is not None:
        for pair in simhash_pairs(lead_vecs, cosine):
            found[pair] = "embedding"
    for pair in shingle_pairs(shingles):
        found[pair] = "shingles"
    return found
