"""Candidate generation: MinHash estimates, LSH banding and embedding neighbours on real text."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

from newstrace.reuse.candidates import MinHasher, _row_dots, band_pairs, simhash_pairs
from newstrace.reuse.text import is_furniture, normalise, words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from make_reuse_copies import derive, read_ecb

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def bodies():
    return [body for _, _, body, _ in read_ecb() if len(body) > 1500][:60]


def _jaccard(a: list[str], b: list[str], k: int = 3) -> float:
    sa = {tuple(a[i : i + k]) for i in range(len(a) - k + 1)}
    sb = {tuple(b[i : i + k]) for i in range(len(b) - k + 1)}
    return len(sa & sb) / len(sa | sb)


def test_minhash_estimates_shingle_jaccard(bodies):
    rng = random.Random(1)
    hasher = MinHasher()
    errors = []
    for body in bodies[:20]:
        copy = derive(body, "light", rng)
        sig = hasher.signatures([words(body), words(copy)])
        errors.append(abs((sig[0] == sig[1]).mean() - _jaccard(words(body), words(copy))))
    assert np.mean(errors) < 0.06


def test_signature_depends_on_the_text_alone(bodies):
    """Partitions hashed apart (Dask workers) give the signatures of one whole-corpus pass."""
    tokens = [words(body) for body in bodies[:12]]
    whole = MinHasher().signatures(tokens)
    apart = np.vstack([MinHasher().signatures(tokens[6:]), MinHasher().signatures(tokens[:6])])
    assert np.array_equal(whole, np.vstack([apart[6:], apart[:6]]))


def test_lsh_bands_pair_copies_and_not_unrelated_articles(bodies):
    rng = random.Random(2)
    originals = bodies[:30]
    copies = [derive(b, rng.choice(["verbatim", "light"]), rng) for b in originals]
    tokens = [words(t) for t in originals + copies]
    pairs = band_pairs(MinHasher().signatures(tokens))
    n = len(originals)
    assert all((i, i + n) in pairs for i in range(n))
    texts = originals + copies
    unrelated = [p for p in pairs if _jaccard(words(texts[p[0]]), words(texts[p[1]])) < 0.1]
    assert (
        len(unrelated) <= 2
    )  # ECB+ has real reprints; those pairs share most shingles and are fine


def test_simhash_finds_close_vectors_only():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((200, 384)).astype(np.float32)
    near = base[:50] + 0.25 * rng.standard_normal((50, 384)).astype(np.float32)
    vectors = np.vstack([base, near])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = simhash_pairs(vectors, threshold=0.8)
    assert sum((i, 200 + i) in pairs for i in range(50)) >= 48
    assert all(float(vectors[a] @ vectors[b]) >= 0.8 for a, b in pairs)


def test_cosines_computed_block_by_block_are_those_computed_at_once():
    """simhash_pairs checks its proposed pairs in blocks (memory); the cosines must not move."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((500, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    left, right = rng.integers(0, 500, 5_000), rng.integers(0, 500, 5_000)
    at_once = np.einsum("ij,ij->i", vectors[left], vectors[right])
    for block in (1, 999, 5_000, 100_000):
        blocked = _row_dots(vectors, left, right, block)
        assert blocked.dtype == at_once.dtype
        assert np.array_equal(blocked, at_once)


def test_normalisation_ignores_number_format_quotes_and_case():
    assert normalise("“Over 1,200,” he said — ok") == normalise(
        '"over 1200," he said - OK'.replace("-", "—")
    )
    assert words("The U.S. sent 1,200 troops") == ["the", "u", "s", "sent", "1200", "troops"]


def test_furniture_lines_are_not_content():
    assert is_furniture("Leave a Reply")
    assert is_furniture("Your email address will not be published. Required fields are marked *")
    assert is_furniture("For continuous updates and in-depth analysis, visit [your website link].")
    assert not is_furniture(
        "Blinken arrived in Israel on Tuesday for his 11th visit to the Middle East."
    )
