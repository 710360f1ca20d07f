"""The decision on shared text: rare-word containment and passages, in any script.

Small texts written for the test: a rewrite reorders and rewords its source
but keeps its names and figures; an independent report of the same event
shares the names and brings words of its own.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from newstrace.reuse.classify import (
    NEAR_COPY_VOCABULARY,
    PASSAGE_NEAR_COPY,
    SHARED_VOCABULARY,
    passage_kind,
)
from newstrace.reuse.passages import Passage, Shared, vocabulary_share


def test_vocabulary_share_weighs_rare_words_more():
    words = np.array([1, 2, 3], dtype=np.uint64)
    weights = np.array([0.1, 0.1, 4.0])
    assert vocabulary_share(words, weights, np.array([3], dtype=np.uint64)) == 4.0 / 4.2
    assert vocabulary_share(words, weights, np.array([1, 2], dtype=np.uint64)) == 0.2 / 4.2
    assert vocabulary_share(words[:0], weights[:0], words) == 0.0


def _shared(coverage: float, vocabulary: float) -> Shared:
    return Shared([Passage((0, 6), (10, 16), 6)], coverage_a=coverage, vocabulary_a=vocabulary)


def test_a_rewrite_that_keeps_its_sources_rare_words_is_linked():
    rewrite = _shared(coverage=0.05, vocabulary=SHARED_VOCABULARY + 0.1)
    independent = _shared(coverage=0.05, vocabulary=SHARED_VOCABULARY - 0.1)
    assert passage_kind(rewrite, False, timedelta(days=1)) == "rewrite"
    assert passage_kind(independent, False, timedelta(days=1)) is None


def test_near_copy_duplicate_and_the_rewrite_window():
    assert passage_kind(_shared(PASSAGE_NEAR_COPY + 0.1, 0.9), False, None) == "near_copy"
    assert passage_kind(_shared(1.0, 1.0), True, None) == "duplicate"
    rewrite = _shared(coverage=0.05, vocabulary=SHARED_VOCABULARY + 0.1)
    assert passage_kind(rewrite, False, timedelta(days=30)) is None


def test_a_reworded_text_that_names_only_what_its_origin_names_is_a_near_copy():
    """METER's wholly derived: reworded, but everything it names comes from the origin."""
    reworded = _shared(coverage=PASSAGE_NEAR_COPY - 0.2, vocabulary=NEAR_COPY_VOCABULARY + 0.05)
    assert passage_kind(reworded, False, timedelta(days=1)) == "near_copy"
    partly = _shared(coverage=PASSAGE_NEAR_COPY - 0.2, vocabulary=NEAR_COPY_VOCABULARY - 0.1)
    assert passage_kind(partly, False, timedelta(days=1)) == "rewrite"
