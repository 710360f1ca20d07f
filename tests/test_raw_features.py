"""Story features batch and split exactly as scipy would: the story index and the store rely on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import SEEDS

from newstrace.clean import clean_documents
from newstrace.ingest import read_inputs
from newstrace.stories.features import RawFeatures, extract

pytestmark = pytest.mark.shared
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles"


@pytest.fixture(scope="module")
def raw() -> RawFeatures:
    documents = [d for d in read_inputs([SEEDS, SAMPLES]) if hasattr(d, "text")]
    return extract(clean_documents(documents))


def _same(left: sp.csr_matrix, right: sp.csr_matrix) -> bool:
    return (
        left.shape == right.shape
        and left.dtype == right.dtype
        and np.array_equal(left.indptr, right.indptr)
        and np.array_equal(left.indices, right.indices)
        and np.array_equal(left.data, right.data)
    )


def test_stacking_rows_gives_what_scipy_vstack_gives(raw):
    parts = [raw.rows([n]) for n in range(len(raw))][::-1] + [raw.rows([0, 2, 4])]
    stacked = RawFeatures.stack(parts)
    assert len(stacked) == len(raw) + 3
    for name, table in stacked.tables.items():
        assert _same(table, sp.vstack([p.tables[name] for p in parts], format="csr")), name
    assert stacked.published == [d for p in parts for d in p.published]
    assert np.array_equal(stacked.lead_vectors, np.concatenate([p.lead_vectors for p in parts]))


@pytest.mark.parametrize("index", [[0], [3, 4, 5], [2, 0], [1, 3]])
def test_taking_rows_gives_what_scipy_indexing_gives(raw, index):
    taken = raw.rows(index)
    for name, table in taken.tables.items():
        assert _same(table, raw.tables[name][np.asarray(index)]), name
    assert taken.published == [raw.published[i] for i in index]
    assert np.array_equal(taken.lengths, raw.lengths[index])
