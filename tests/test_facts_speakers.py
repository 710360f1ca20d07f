"""Speakers, places lined up by sentence, and harmless edits of a derived copy:
an article and a copy of it that changes one thing (or nothing that matters)."""

from __future__ import annotations

import pytest

from newstrace.facts import compare_facts
from newstrace.model import Document, ReuseLink, Story

FLAGS = {"conflict", "altered"}
PUBLISHED = "2024-06-04"  # a Tuesday

ORIGIN = (
    "AMD unveils new chips at Computex\n"
    "Lisa Su, AMD's chief executive, opened the show in Taipei yesterday alongside Cerebras "
    "founder Andrew Feldman.\n"
    '"We are building the most advanced data center processors in the world," said Lisa Su, '
    "AMD's chief executive.\n"
    "Feldman spoke later about wafer-scale systems and said demand was strong.\n"
    'The State Department said: "We welcome the agreement between the two companies and expect '
    'it to help our partners."\n'
    'According to John Ging, "the trucks are waiting at the crossing and nobody can move them '
    'forward."\n'
    "Condoleezza Rice, a former secretary of state, also attended the meeting in Geneva.\n"
    '"This will take years to fix. It will cost billions of dollars. Nobody wants to pay," '
    "she said.\n"
    "The company said it shipped 4,200 servers in the quarter."
)


def judge(copy: str) -> Story:
    documents = [
        Document(id="origin", origin="origin", text=ORIGIN, published=PUBLISHED),
        Document(id="copy", origin="copy", text=copy, published=PUBLISHED),
    ]
    link = ReuseLink(derived="copy", origin="origin", directed=True, kind="rewrite", score=0.9)
    story = Story(id="s", title="t", documents=["origin", "copy"], reuse=[link])
    compare_facts(documents, [story])
    return story


def flags(story: Story) -> list:
    return [f for f in story.facts if f.verdict in FLAGS]


@pytest.mark.parametrize(
    ("old", "new", "speakers"),
    [
        ("said Lisa Su, AMD", "said Andrew Feldman, AMD", ("Lisa Su", "Andrew Feldman")),
        ("According to John Ging", "According to Condoleezza Rice", ("John Ging", "Rice")),
        ("The State Department said:", "The Pentagon said:", ("State Department", "Pentagon")),
    ],
)
def test_a_quotation_given_to_another_speaker_is_altered(old, new, speakers):
    story = judge(ORIGIN.replace(old, new))
    [fact] = flags(story)
    assert fact.kind == "quote" and fact.verdict == "altered"
    assert all(name in fact.subject for name in speakers)
    changed = next(s for s in fact.statements if s.doc == "copy")
    assert new.split()[-2].strip(",:") in changed.text  # the flagged span shows the new name


def test_every_quote_names_its_speaker_and_an_organisation_speaks_for_itself():
    story = judge(ORIGIN)
    speakers = {
        s.value["words"][:20]: s.value["speaker"]
        for f in story.facts
        if f.kind == "quote"
        for s in f.statements
    }
    assert speakers["We are building the m"[:20]] == "Lisa Su"
    assert speakers["We welcome the agreem"[:20]] == "State Department"
    assert speakers["the trucks are waitin"[:20]] == "John Ging"
    assert speakers["This will take years "[:20]] == "Condoleezza Rice"  # "she" → last person


def test_the_statement_of_a_body_is_not_its_subjects_quote():
    """'According to a statement from the State Department, Blinken underscored: “Mr.
    Blinken underscored …”' is the State Department's."""
    text = (
        "According to a statement from the U.S. State Department, Blinken underscored that "
        "this moment should not be wasted: “Mr. Blinken underscored the need to secure the "
        "release of all hostages and end the conflict.”"
    )
    story = judge(text)
    quotes = [s for f in story.facts if f.kind == "quote" for s in f.statements if s.doc == "copy"]
    assert quotes and all("State Department" in s.value["speaker"] for s in quotes)


def test_a_place_swapped_in_the_same_sentence_is_altered():
    story = judge(ORIGIN.replace("in Taipei", "in Austin"))
    [fact] = flags(story)
    assert fact.kind == "place" and "Austin" in fact.explanation and "Taipei" in fact.explanation


def test_a_place_as_actor_swapped_is_altered():
    origin = ORIGIN + "\nIsrael said it would send a delegation to the talks next week."
    copy = origin.replace("Israel said", "Russia said")
    documents = [
        Document(id="origin", origin="origin", text=origin, published=PUBLISHED),
        Document(id="copy", origin="copy", text=copy, published=PUBLISHED),
    ]
    link = ReuseLink(derived="copy", origin="origin", directed=True, kind="rewrite", score=0.9)
    story = Story(id="s", title="t", documents=["origin", "copy"], reuse=[link])
    compare_facts(documents, [story])
    [fact] = flags(story)
    assert fact.kind == "place" and "Russia" in fact.explanation


HARMLESS = {
    "reporting verbs": [("said Lisa Su", "noted Lisa Su"), ("she said", "she told reporters")],
    "connectives": [
        ("Feldman spoke", "Meanwhile, Feldman spoke"),
        ("The company", "Also, the company"),
    ],
    "reordered sentences": [
        (
            "Feldman spoke later about wafer-scale systems and said demand was strong.\n"
            'The State Department said: "We welcome the agreement between the two companies and '
            'expect it to help our partners."\n',
            'The State Department said: "We welcome the agreement between the two companies and '
            'expect it to help our partners."\n'
            "Feldman spoke later about wafer-scale systems and said demand was strong.\n",
        )
    ],
    "dropped sentence": [
        (
            "Condoleezza Rice, a former secretary of state, also attended the meeting in Geneva.\n",
            "",
        )
    ],
    "dropped sentence inside a quotation": [(" It will cost billions of dollars.", "")],
    "page furniture": [
        (
            "AMD unveils new chips at Computex\n",
            "AMD unveils new chips at Computex\nAdvertisement\nShare this article\n",
        )
    ],
    "yesterday as its weekday": [("in Taipei yesterday", "in Taipei on Monday")],
    "number format": [("4,200", "4200")],
}


@pytest.mark.parametrize("edit", sorted(HARMLESS))
def test_harmless_edits_raise_no_flag(edit):
    copy = ORIGIN
    for old, new in HARMLESS[edit]:
        assert old in copy
        copy = copy.replace(old, new)
    story = judge(copy)
    assert flags(story) == [], [f.explanation for f in flags(story)]


def test_the_official_is_the_person_named_just_before():
    story = judge(
        "John Ging, the UN relief chief, visited the Rafah crossing on Monday.\n"
        '"The trucks are waiting and nobody can move them forward," the official said.'
    )
    [fact] = [
        f
        for f in story.facts
        if f.kind == "quote" and "trucks are waiting and" in f.statements[0].text
    ]
    assert fact.subject == "quote of John Ging"


def test_one_quotation_given_to_two_people_by_independent_articles_is_a_conflict():
    one = (
        'The talks will resume next week in Geneva with both delegations present," said John Ging.'
    )
    two = 'The talks will resume next week in Geneva with both delegations present," said Condoleezza Rice.'
    documents = [
        Document(id="a", origin="a", text='Aid talks\n"' + one, published=PUBLISHED),
        Document(id="b", origin="b", text='Aid talks\n"' + two, published=PUBLISHED),
    ]
    story = Story(id="s", title="t", documents=["a", "b"], reuse=[])
    compare_facts(documents, [story])
    [fact] = flags(story)
    assert fact.kind == "quote" and fact.verdict == "conflict"
    assert fact.subject == "quote of John Ging / Condoleezza Rice"
