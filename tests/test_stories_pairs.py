"""The shipped pair model: trees scored without scikit-learn, the logistic's
veto where a pair shares no name, number or date, the lead's years, and
shared neighbours over the other articles weighed by the pair's own tie."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from newstrace.model import Document
from newstrace.stories.features import DocumentFrequency, extract
from newstrace.stories.pairs import PAIR_FEATURES, pair_features
from newstrace.stories.scoring import OVERLAP_FEATURES, CoveredTrees, Trees, shipped_model


def test_exported_trees_score_as_scikit_learn_does():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 6)).astype(np.float32)
    y = ((x[:, 0] * x[:, 1] > 0) ^ (x[:, 2] > 1)).astype(int)
    with threadpool_limits(1):  # a small fit; OpenMP threads only wait on a busy machine
        booster = HistGradientBoostingClassifier(
            max_depth=3, max_iter=20, early_stopping=False, random_state=0
        )
        booster.fit(x, y)
    trees = Trees.from_dict(Trees.from_sklearn(booster).to_dict())
    assert np.allclose(trees.probability(x), booster.predict_proba(x)[:, 1], atol=1e-5)


def test_pairs_sharing_no_name_number_or_date_are_decided_by_the_logistic():
    second = shipped_model().second
    assert isinstance(second, CoveredTrees)
    rng = np.random.default_rng(1)
    rows = (
        second.fallback.mean
        + rng.normal(size=(400, len(second.fallback.mean))) * second.fallback.scale
    )
    rows = np.clip(rows, 0, None).astype(np.float32)
    overlap = [PAIR_FEATURES.index(name) for name in OVERLAP_FEATURES]
    rows[:200, overlap] = 0.0
    rows[200:, overlap[0]] = np.maximum(rows[200:, overlap[0]], 0.05)
    scored = second.probability(rows)
    assert np.allclose(
        scored[:200], second.fallback.probability(rows[:200], second.fallback_shift), atol=1e-6
    )
    assert np.allclose(scored[200:], second.trees.probability(rows[200:]), atol=1e-6)
    assert not np.allclose(
        scored[200:], second.fallback.probability(rows[200:], second.fallback_shift), atol=1e-3
    )


def _lead_year_features(*texts: str) -> dict[str, np.ndarray]:
    documents = [
        Document(id=f"d{n}", origin=f"d{n}.txt", title=text.split("\n")[0], text=text)
        for n, text in enumerate(texts)
    ]
    raw = extract(documents, use_embeddings=False)
    frequency = DocumentFrequency()
    frequency.add(raw)
    pairs = np.array([[0, 1], [0, 2]])
    x = pair_features(frequency.weigh(raw), raw, pairs)
    names = ("lead_year_shared_rarity", "conflict_lead_year", "year_shared")
    return {name: x[:, PAIR_FEATURES.index(name)] for name in names}


_FILLER = " ".join(["The club said the search for a successor would begin at once."] * 8)


def test_years_in_the_lead_are_the_events_and_years_in_the_body_background():
    filler = _FILLER
    fired_2008 = (
        "Sixers fire coach Maurice Cheeks\nPHILADELPHIA, Dec. 13, 2008 - The Philadelphia 76ers "
        f"fired coach Maurice Cheeks on Saturday. {filler} Cheeks was hired in 2005."
    )
    hired_2005 = (
        "Sixers hire Maurice Cheeks\nPHILADELPHIA, May 23, 2005 - The Philadelphia 76ers named "
        f"Maurice Cheeks head coach on Monday. {filler} He last coached Portland in 2005."
    )
    fired_again = (
        "Cheeks out in Philadelphia\nDec. 13, 2008 - Maurice Cheeks was fired by the "
        f"Philadelphia 76ers. {filler} The 76ers had hired him in 2005."
    )
    features = _lead_year_features(fired_2008, hired_2005, fired_again)
    # the hiring year, retold in the firing's body, is shared, but the leads disagree
    assert features["year_shared"].tolist() == [1.0, 1.0]
    assert features["conflict_lead_year"].tolist() == [1.0, 0.0]
    assert features["lead_year_shared_rarity"][0] == 0.0
    assert features["lead_year_shared_rarity"][1] == pytest.approx(np.log(3 / 2))


def test_a_year_every_lead_names_is_no_evidence():
    """In a stream from one year every dateline names it: sharing it must not pull articles together."""
    texts = [
        f"{title}\nLONDON, March {day}, 2026 - {body} {_FILLER}"
        for title, day, body in [
            ("Ferry fire in the Channel", 3, "A ferry caught fire off Dover."),
            ("Bank raises rates", 5, "The Bank of England raised its rate to 5%."),
            ("Storm closes airports", 9, "Storm Ada closed three airports."),
        ]
    ]
    features = _lead_year_features(*texts)
    assert features["lead_year_shared_rarity"].tolist() == [0.0, 0.0]
    assert features["conflict_lead_year"].tolist() == [0.0, 0.0]


def test_an_article_weakly_tied_to_every_member_of_a_story_shares_few_neighbours():
    # The seeds' story (articles 0-2) and an unrelated ferry notice (3) with first-stage
    # p 0.003-0.007 to each: a cosine over the *other* articles only is scale-free and
    # gives it about 0.73 with every member, which the retrained trees read as one
    # event (issue 17's first candidate merged it; docs/stories.md). The shipped
    # feature weighs the cosine by the pair's own tie, min(1, p / 0.1), so a row
    # this weak cannot look like the story's.
    from newstrace.stories.pairs import shared_neighbours

    pairs = np.array([[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]])
    p = np.array([0.98, 0.97, 0.99, 0.005, 0.005, 0.005], dtype=np.float32)
    shared = shared_neighbours(4, pairs, p)
    assert np.all(shared[3:] < 0.1)
    assert np.all(shared[:3] > 0.9)


def test_two_articles_with_no_other_article_share_no_neighbour():
    # Before issue 17 this was about 2 p (0.6 here): each article counted itself
    # and the pair's own p, which the trees read as a shared neighbourhood.
    from newstrace.stories.pairs import shared_neighbours

    pairs = np.array([[0, 1]])
    assert shared_neighbours(2, pairs, np.array([0.3], dtype=np.float32))[0] == 0.0


def test_a_shared_third_article_counts_in_full_once_the_pair_is_a_real_tie():
    from newstrace.stories.pairs import TIE_FOR_SHARED_NEIGHBOURS, shared_neighbours

    pairs = np.array([[0, 1], [0, 2], [1, 2]])
    for own, expected in ((0.9, 1.0), (TIE_FOR_SHARED_NEIGHBOURS / 2, 0.5)):
        p = np.array([own, 0.6, 0.6], dtype=np.float32)
        assert shared_neighbours(3, pairs, p)[0] == pytest.approx(expected, abs=1e-6)


def test_a_third_article_close_to_only_one_side_is_not_shared():
    from newstrace.stories.pairs import shared_neighbours

    pairs = np.array([[0, 1], [0, 2], [1, 3]])
    p = np.array([0.5, 0.8, 0.8], dtype=np.float32)
    assert shared_neighbours(4, pairs, p)[0] == 0.0


def test_shared_neighbours_in_chunks_equal_one_pass(monkeypatch):
    import newstrace.stories.pairs
    from newstrace.stories.pairs import shared_neighbours

    rng = np.random.default_rng(1)
    n = 60
    pairs = np.array([(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 0.2])
    p = rng.random(len(pairs)).astype(np.float32)
    whole = shared_neighbours(n, pairs, p)
    monkeypatch.setattr(newstrace.stories.pairs, "_CHUNK", 7)
    assert np.array_equal(shared_neighbours(n, pairs, p), whole)
    assert whole.max() > 0.1
