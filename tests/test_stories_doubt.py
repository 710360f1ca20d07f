"""The "possible separate event" note on story members (``stories.doubt``)."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

import newstrace
from newstrace.model import Document, Report, Story
from newstrace.report import validate_report
from newstrace.stories.doubt import Profile, story_doubts

EVENT = ["name:sinwar", "numbers:11", "name:lebanon", "dates:2024-10-22", "name:hezbollah"]
TOPIC = ["name:blinken", "name:netanyahu", "name:gaza"]


def _profile(keys, central=()):
    shown = {key: key.split(":", 1)[1].title() for key in keys}
    kinds = {key: "PERSON" if key.startswith("name:") else key.split(":")[0] for key in keys}
    return Profile(set(keys), shown, Counter(keys), set(central), kinds)


def _story(profiles):
    docs = [Document(id=f"d{n}", origin=f"d{n}") for n in range(len(profiles))]
    story = Story(id="s1", title="t", documents=[d.id for d in docs])
    return docs, [story]


def test_member_lacking_the_event_and_naming_its_own_is_flagged_with_the_reason():
    profiles = [_profile(TOPIC + EVENT) for _ in range(4)]
    profiles.append(_profile(TOPIC + ["name:herzog"], central=["name:herzog"]))
    docs, stories = _story(profiles)
    doubts = story_doubts(docs, stories, profiles=profiles)
    assert [d.document for d in doubts] == ["d4"]
    assert set(doubts[0].missing) == {"Sinwar", "11", "Lebanon", "2024-10-22", "Hezbollah"}
    assert doubts[0].instead == ["Herzog"]
    note = docs[4].story_doubt
    assert note == doubts[0].note
    assert note.startswith("names none of ") and note.endswith("; names Herzog instead")
    assert all(doc.story_doubt is None for doc in docs[:4])


def test_short_member_with_nothing_of_its_own_is_not_flagged():
    profiles = [_profile(TOPIC + EVENT) for _ in range(4)]
    profiles.append(_profile(TOPIC))
    docs, stories = _story(profiles)
    assert story_doubts(docs, stories, profiles=profiles) == []
    assert docs[4].story_doubt is None


def test_member_sharing_some_event_facts_is_not_flagged():
    profiles = [_profile(TOPIC + EVENT) for _ in range(4)]
    profiles.append(_profile(TOPIC + EVENT[:3] + ["name:herzog"], central=["name:herzog"]))
    docs, stories = _story(profiles)
    assert story_doubts(docs, stories, profiles=profiles) == []


def test_facts_named_across_the_corpus_weigh_little():
    """The same facts, also named by many articles outside the story: not this story's own."""
    profiles = [_profile(TOPIC + EVENT) for _ in range(4)]
    profiles.append(_profile(TOPIC + ["name:herzog"], central=["name:herzog"]))
    outside = [_profile(EVENT) for _ in range(8)]
    docs, stories = _story(profiles + outside)
    stories[0].documents = stories[0].documents[:5]
    assert story_doubts(docs, stories, profiles=profiles + outside) == []


def test_stories_of_two_are_not_judged():
    profiles = [_profile(TOPIC + EVENT), _profile(["name:herzog"], central=["name:herzog"])]
    docs, stories = _story(profiles)
    assert story_doubts(docs, stories, profiles=profiles) == []


def test_report_carries_the_note_and_validates():
    doc = Document(id="d1", origin="x", text="Some text.", story="s1")
    doc.story_doubt = "names none of Sinwar that the other articles name; names Herzog instead"
    report = Report(documents=[doc], stories=[Story(id="s1", title="t", documents=["d1"])])
    data = report.to_dict()
    assert data["documents"][0]["story_doubt"] == doc.story_doubt
    validate_report(data)
    doc.story_doubt = None
    validate_report(report.to_dict())


@pytest.mark.shared
def test_seeds_earlier_visit_is_flagged_and_the_october_articles_are_not():
    report = newstrace.analyze([SEEDS], reuse=False, facts=False)
    doubt = {Path(d.origin).name[:3]: d.story_doubt for d in report.documents}
    story = {Path(d.origin).name[:3]: d.story for d in report.documents}
    if story["004"] != story["000"]:
        pytest.skip("004 is a story of its own: nothing to doubt")
    assert all(doubt[n] is None for n in ("000", "001", "002", "003"))
    assert doubt["004"] is not None
    assert "Sinwar" in doubt["004"] and "Herzog" in doubt["004"]


def _pairs(n, score):
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    return np.array(pairs), np.array([score(a, b) for a, b in pairs])


def test_story_that_splits_in_two_flags_its_smaller_side():
    """Four articles of one event and two of a similar one, joined by the grouping."""
    profiles = [_profile(TOPIC + EVENT) for _ in range(4)]
    profiles += [_profile(TOPIC + ["name:herzog"], central=["name:herzog"]) for _ in range(2)]
    docs, stories = _story(profiles)
    pairs, probabilities = _pairs(6, lambda a, b: 0.9 if (a < 4) == (b < 4) else 0.4)
    doubts = story_doubts(
        docs, stories, profiles=profiles, pairs=pairs, probabilities=probabilities
    )
    assert sorted(d.document for d in doubts) == ["d4", "d5"]
    note = docs[4].story_doubt
    assert note is not None and note.startswith("with 1 other article of this story, names none of")
    assert "Herzog instead" in note and "(pair score 0.40 with them, 0.90 among them)" in note
    assert all(doc.story_doubt is None for doc in docs[:4])


def test_story_whose_sides_score_alike_is_not_split():
    profiles = [_profile(TOPIC + EVENT) for _ in range(4)]
    profiles += [_profile(TOPIC + ["name:herzog"], central=["name:herzog"]) for _ in range(2)]
    docs, stories = _story(profiles)
    pairs, probabilities = _pairs(6, lambda a, b: 0.9 if (a < 4) == (b < 4) else 0.7)
    doubts = story_doubts(
        docs, stories, profiles=profiles, pairs=pairs, probabilities=probabilities
    )
    assert [d.document for d in doubts if d.side > 1] == []


def test_split_without_facts_of_its_own_is_not_flagged():
    """Scores apart but names the same facts: no reason to give, no flag."""
    profiles = [_profile(TOPIC + EVENT) for _ in range(6)]
    docs, stories = _story(profiles)
    pairs, probabilities = _pairs(6, lambda a, b: 0.9 if (a < 4) == (b < 4) else 0.4)
    assert (
        story_doubts(docs, stories, profiles=profiles, pairs=pairs, probabilities=probabilities)
        == []
    )


def test_a_packed_profile_is_the_profile_of_the_entities_in_the_same_order():
    """The NLP packs each document's profile and drops its entities (engine.work.annotate);
    the doubt pass unpacks it: the same facts, counts, forms and central names, in the
    order they were named (ties in the note's listing follow it)."""
    from newstrace.engine.work import clean_each
    from newstrace.ingest import read_inputs
    from newstrace.nlp import document_entities
    from newstrace.stories.doubt import packed_profile, profile, unpacked_profile

    samples = Path(__file__).resolve().parents[1] / "samples" / "articles"
    docs = [d for d in read_inputs([str(samples)]) if isinstance(d, Document)]
    docs, _ = clean_each(docs)
    found = document_entities(docs)
    assert sum(len(f) for f in found) > 50
    for doc, entities in zip(docs, found):
        made, back = profile(doc, entities), unpacked_profile(packed_profile(doc, entities))
        assert list(back.counts.items()) == list(made.counts.items())
        assert list(back.keys) == list(made.keys)
        assert back.shown == made.shown and back.kinds == made.kinds
        assert back.central == made.central
    assert unpacked_profile(b"") == Profile()


@pytest.mark.shared
def test_the_doubt_pass_reads_the_packed_profiles_the_nlp_left():
    """After the NLP a document holds its packed profile, not its entities, and the notes
    are those the entities give."""
    from newstrace.engine.work import annotate_each, clean_each
    from newstrace.ingest import read_inputs
    from newstrace.stories.grouping import group_stories

    docs = [d for d in read_inputs([str(SEEDS)]) if isinstance(d, Document)]
    docs, _ = clean_each(docs)
    kept, features, _ = annotate_each(docs, reuse=False, facts=False, jobs=1)
    assert all(d.annotations.entities is None for d in kept)
    assert all(isinstance(d.annotations.story_profile, bytes) for d in kept)
    group_stories(kept, features)
    packed = [d.story_doubt for d in kept]
    for doc in kept:  # from the entities instead (found again by the NER pass)
        doc.annotations.story_profile = None
    group_stories(kept, features)
    assert [d.story_doubt for d in kept] == packed
    assert any(packed)
