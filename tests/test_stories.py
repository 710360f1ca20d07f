"""Story grouping on real articles: the seeds and a slice of ECB+."""

import json
import sys
from pathlib import Path

import pytest
from conftest import ECB, SEEDS

import newstrace
from newstrace.model import Document
from newstrace.stories import StoryIndex, group_stories

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from ecb_data import bcubed_f1

pytestmark = pytest.mark.shared


def ecb_slice(topics):
    records = [
        json.loads(line) for line in (ECB / "gold.jsonl").read_text().splitlines() if line.strip()
    ]
    chosen = [r for r in records if r["topic"] in topics]
    docs = []
    for r in chosen:
        text = (ECB / r["doc"]).read_text(encoding="utf-8").strip()
        docs.append(Document(id=r["doc"], origin=r["doc"], title=text.splitlines()[0], text=text))
    return docs, [r["story"] for r in chosen]


@pytest.fixture(scope="module")
def seed_report():
    return newstrace.analyze([SEEDS], reuse=False, facts=False)


@pytest.fixture(scope="module")
def ecb_three_topics():
    # three topics = six events, two similar ones in each topic
    return ecb_slice({1, 2, 3})


def test_seed_visit_is_one_story(seed_report):
    story_of = {Path(d.origin).name[:3]: d.story for d in seed_report.documents}
    assert story_of["000"] == story_of["001"] == story_of["002"] == story_of["003"]


@pytest.mark.xfail(
    strict=True,
    reason="known gap: the earlier visit (same people, places, topic, "
    "no publication dates, no year) scores as the same event, alone and mixed into "
    "ECB+; no feature tried tells it apart on ECB+ (README, Story grouping)",
)
def test_earlier_similar_visit_is_its_own_story(seed_report):
    story_of = {Path(d.origin).name[:3]: d.story for d in seed_report.documents}
    assert story_of["004"] != story_of["000"]


def test_story_ids_titles_and_members_are_consistent(seed_report):
    assert [s.id for s in seed_report.stories] == [
        f"s{n}" for n in range(1, len(seed_report.stories) + 1)
    ]
    assert seed_report.documents[0].story == "s1"
    for story in seed_report.stories:
        assert story.title.strip()
        members = [d for d in seed_report.documents if d.story == story.id]
        assert [d.id for d in members] == story.documents


@pytest.mark.slow
def test_ecb_similar_events_are_told_apart(ecb_three_topics):
    docs, gold = ecb_three_topics
    stories = group_stories(docs)
    assert bcubed_f1([d.story for d in docs], gold) >= 0.9
    assert 5 <= len(stories) <= 9  # six events


@pytest.mark.slow
def test_incremental_grouping_nearly_matches_batch(ecb_three_topics):
    docs, gold = ecb_three_topics
    group_stories(docs)
    batch = [d.story for d in docs]
    index = StoryIndex()
    assignments = [a for doc in docs for a in index.add([doc])]
    stream = [a.story for a in assignments]
    assert [a.document for a in assignments] == [d.id for d in docs]
    assert bcubed_f1(stream, gold) >= 0.85
    assert bcubed_f1(stream, batch) >= 0.85


def test_story_date_range_and_time_window():
    text = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
    dated = [
        Document(id="a", origin="a", text=text, published="2024-10-22"),
        Document(id="b", origin="b", text=text, published="2024-10-24"),
        Document(id="c", origin="c", text=text, published="2025-03-01"),
    ]
    stories = group_stories(dated[:2])
    assert len(stories) == 1
    assert (stories[0].first_published, stories[0].last_published) == ("2024-10-22", "2024-10-24")
    index = StoryIndex(window_days=14)
    assigned = index.add(dated)
    assert assigned[0].new_story and not assigned[1].new_story
    assert assigned[2].new_story  # months later: the old story has closed
    assert [s.id for s in index.closed] == ["s1"]


def test_an_article_known_to_belong_to_a_closed_story_reopens_it():
    """A store replays what another process grouped: an article placed in a
    story this index had closed takes that story back from the closed ones."""
    from newstrace.stories.features import extract

    text = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
    dated = [
        Document(id="a", origin="a", text=text, published="2024-10-22"),
        Document(id="b", origin="b", text=text, published="2025-03-01"),
        Document(id="c", origin="c", text=text, published="2025-03-02"),
    ]
    index = StoryIndex(window_days=14)
    index.add(dated[:2])
    assert [s.id for s in index.closed] == ["s1"]
    late = dated[2]
    late.story = "s1"
    index.add_known(late, extract([late]), title="ignored for a known story")
    assert index.closed == []
    assert list(index.open) == ["s2", "s1"]
    assert [s.documents for s in index.stories()] == [["a", "c"], ["b"]]


def test_no_documents_no_stories():
    assert group_stories([]) == []
    assert StoryIndex().add([]) == []


def test_incremental_candidates_do_not_depend_on_hash_order():
    """A resumed ingest (new process, new string-hash seed) must shortlist the same stories."""
    index = StoryIndex()
    ids = [f"s{n}" for n in range(1, 101)]
    index._postings = {1: set(ids[20:]), 2: set(ids[:20]), 3: set(ids[:20])}
    shortlist = index._candidates({1, 2, 3})
    assert shortlist[:20] == ids[:20]  # two shared keys beat one
    assert (
        shortlist[20:] == ids[20 : len(shortlist)]
    )  # equal votes: lowest story number first, up to the cap
