"""Time as evidence in story grouping: publication gaps and relative dates.

Two reports of one event hours apart join; the same two reports published
three weeks apart are two stories, in batch and in the stream alike; with no
dates, nothing changes. "On Tuesday" and "yesterday" are read as the day they
name, counted from each article's own publication day.
"""

import numpy as np
import pytest
from conftest import SEEDS

from newstrace.model import Document
from newstrace.stories import StoryIndex, group_stories
from newstrace.stories.features import DocumentFrequency, extract
from newstrace.stories.pairs import PAIR_FEATURES, pair_features
from newstrace.stories.timing import day_gaps, shipped_curve, with_time

pytestmark = pytest.mark.shared


def _seed(prefix: str) -> str:
    path = next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith(prefix))
    return path.read_text(encoding="utf-8")


def _two_reports(seeds: tuple[str, str], dates: tuple[str | None, str | None]) -> list[Document]:
    """Two seed articles with the given publication dates."""
    return [
        Document(id=seed, origin=seed, text=_seed(seed), published=published)
        for seed, published in zip(seeds, dates)
    ]


def test_reports_of_one_visit_hours_apart_join_in_batch_and_stream():
    docs = _two_reports(("000", "002"), ("2024-10-22T09:00:00+00:00", "2024-10-22T15:30:00+00:00"))
    assert len(group_stories(docs)) == 1
    assigned = StoryIndex(window_days=60).add(docs)
    assert not assigned[1].new_story


def test_two_visits_three_weeks_apart_are_two_stories_in_batch_and_stream():
    # 004 reports an earlier visit by the same people to the same places
    docs = _two_reports(("004", "000"), ("2024-10-01", "2024-10-22"))
    assert len(group_stories(docs)) == 2
    # a window wider than the gap: it is the time evidence, not the window, that parts them
    assigned = StoryIndex(window_days=60).add(docs)
    assert assigned[1].new_story


def test_the_same_two_visits_undated_are_grouped_on_content_alone():
    # no dates, no time evidence: content alone cannot tell these two visits apart
    assert len(group_stories(_two_reports(("004", "000"), (None, None)))) == 1


def test_time_evidence_falls_with_the_gap_and_is_neutral_without_dates():
    curve = shipped_curve()
    shifts = curve.shift(np.array([0.0, 1.0, 7.0, 21.0, 365.0]))
    assert shifts[0] == shifts[1] == 0.0  # the same news cycle: no evidence either way
    assert 0.0 > shifts[2] > shifts[3] > shifts[4]
    pairs = np.array([[0, 1]])
    assert with_time(np.array([0.9]), [None, None], [None, None], pairs)[0] == pytest.approx(0.9)
    assert np.isnan(day_gaps([None, None], [None, None], pairs)[0])


def _dates_compared(texts_and_dates: list[tuple[str, str]]) -> tuple[float, float]:
    """The pair's date cosine and whether it names different days and none in common."""
    docs = [
        Document(id=str(n), origin=str(n), text=text, published=published)
        for n, (text, published) in enumerate(texts_and_dates)
    ]
    raw = extract(docs, use_embeddings=False)
    frequency = DocumentFrequency()
    frequency.add(raw)
    features = pair_features(frequency.weigh(raw), raw, np.array([[0, 1]]))
    return (
        float(features[0, PAIR_FEATURES.index("cos_dates")]),
        float(features[0, PAIR_FEATURES.index("conflict_days")]),
    )


VISIT = "Blinken met Netanyahu in Jerusalem {when} to push for a ceasefire in Gaza."


def test_relative_dates_resolve_against_each_article_own_date():
    # "on Tuesday" written on Wednesday 23 October is 22 October, as is "yesterday"
    same_day = [
        (VISIT.format(when="on Tuesday"), "2024-10-23"),
        (VISIT.format(when="on October 22"), "2024-10-25"),
    ]
    assert _dates_compared(same_day)[0] > 0.5
    yesterday = [
        (VISIT.format(when="yesterday"), "2024-10-23"),
        (VISIT.format(when="on October 22"), "2024-10-25"),
    ]
    assert _dates_compared(yesterday)[0] > 0.5
    # the same words three weeks later name another day
    weeks_apart = [
        (VISIT.format(when="on Tuesday"), "2024-10-23"),
        (VISIT.format(when="on Tuesday"), "2024-11-13"),
    ]
    assert _dates_compared(weeks_apart)[1] == 1.0
    # a preview names the coming Tuesday: "will meet on Tuesday" written on Monday 21 October
    preview = [
        (
            "Blinken will meet Netanyahu in Jerusalem on Tuesday to push for a ceasefire.",
            "2024-10-21",
        ),
        (VISIT.format(when="on Tuesday"), "2024-10-23"),
    ]
    assert _dates_compared(preview)[1] == 0.0  # read as the Tuesday before, it would conflict
    # without publication dates a weekday names no day
    undated = [(VISIT.format(when="on Tuesday"), ""), (VISIT.format(when="on Tuesday"), "")]
    assert _dates_compared(undated) == (pytest.approx(1.0), 0.0)
