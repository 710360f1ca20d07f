"""Memory that grows with the corpus, and the corpus the growth benchmark measures it on.

``analyze`` frees each stage's per-document state once its last reader is
done (issue 24: 100k articles under 4 GB), and the growth benchmark's clones
are separate events, so stories grow in number, not in size.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from newstrace.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"


def test_analyze_keeps_no_raw_input_entities_reuse_view_or_parse_on_the_documents():
    report = analyze([str(SAMPLES)])
    assert any(story.reuse for story in report.stories)  # reuse ran, and facts did
    assert any(story.facts for story in report.stories)
    for doc in report.documents:
        assert doc.raw is None
        assert doc.annotations.entities is None
        assert doc.annotations.reuse is None
        assert doc.annotations.parse is None


def content_words(record: dict, function_words: frozenset[str]) -> set[str]:
    text = f"{record['title'] or ''} {record['text']}"
    return {w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)} - function_words


@pytest.mark.shared
def test_growth_clones_share_only_function_words_with_their_original():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_growth

    stories = bench_growth.real_stories()
    real = sum(len(story) for story in stories)
    records = list(bench_growth.corpus(real + 40))
    originals, clones = records[: len(stories[0])], records[real : real + len(stories[0])]
    function_words = bench_growth.FUNCTION_WORDS
    for original, clone in zip(originals, clones):
        kept = content_words(original, function_words)
        shared = kept & content_words(clone, function_words)
        assert len(shared) < 0.1 * len(kept)  # only by chance: replacements are drawn at random
        moved = dt.date.fromisoformat(clone["published"]) - dt.date.fromisoformat(
            (original["published"] or "2012-01-01")[:10]
        )
        assert moved.days >= 365
    # the articles of one clone event still share their words, as the original's do
    first, second = (content_words(r, function_words) for r in clones[:2])
    one, two = (content_words(r, function_words) for r in originals[:2])
    assert len(first & second) == pytest.approx(len(one & two), rel=0.2)
