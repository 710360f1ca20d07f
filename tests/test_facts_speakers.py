"""Speakers, places lined up by sentence, and harmless edits of a derived copy:
an article and a copy of it that changes one thing (or nothing that matters)."""

from __future__ import annotations

import pytest
from conftest import linked_story

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
    return linked_story(ORIGIN, copy, PUBLISHED, ids=("origin", "copy"))


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


SHORT = (
    "GOP race heats up\n"
    "Jim DeMint, who backed the war, said Michael Steele needs to \u201crefocus\u201d on the "
    "November election.\n"
    "Party officials called the plan a \u201cnonstarter\u201d in private talks on Monday.\n"
    "Steele met donors in Ohio on Tuesday, and Barbour also attended."
)


def judge_pair(origin: str, copy: str, linked: bool = True) -> Story:
    documents = [
        Document(id="origin", origin="origin", text=origin, published=PUBLISHED),
        Document(id="copy", origin="copy", text=copy, published=PUBLISHED),
    ]
    reuse = [ReuseLink(derived="copy", origin="origin", directed=True, kind="rewrite", score=0.9)]
    story = Story(id="s", title="t", documents=["origin", "copy"], reuse=reuse if linked else [])
    compare_facts(documents, [story])
    return story


def test_a_word_in_quotation_marks_given_to_another_person_is_altered():
    story = judge_pair(SHORT, SHORT.replace("Jim DeMint, who", "Haley Barbour, who"))
    [fact] = flags(story)
    assert fact.kind == "quote" and "DeMint" in fact.subject and "Barbour" in fact.subject


@pytest.mark.parametrize(
    "copy",
    [
        SHORT,
        SHORT.replace("said Michael Steele", "argued Michael Steele"),  # reporting verb
        SHORT.replace("Jim DeMint, who", "DeMint, who"),  # the name shortened
        SHORT.replace("Party officials called", "Party aides called"),  # no name: a scare quote
    ],
)
def test_a_word_in_quotation_marks_with_the_same_or_no_speaker_is_no_flag(copy):
    assert flags(judge_pair(SHORT, copy)) == []


def test_independent_articles_giving_one_word_to_two_people_are_not_compared():
    story = judge_pair(SHORT, SHORT.replace("Jim DeMint, who", "Haley Barbour, who"), False)
    assert flags(story) == []


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        # the speech verb hung on the name it follows
        (
            '"There will be no real change in the country for years," Ramirez, director of the '
            "Turkmenistan Helsinki Foundation, noted from Bulgaria.",
            "Ramirez",
        ),
        # a representative speaks for the one named before the possessive
        (
            "\u201cTara Reid has checked herself into a treatment center,\u201d Reid's rep told Us.",
            "Reid",
        ),
    ],
)
def test_speaker_forms(line, speaker):
    story = judge_pair("Report\n" + line, "Report\n" + line)
    [quote] = [s for f in story.facts if f.kind == "quote" for s in f.statements if s.doc == "copy"]
    assert speaker in quote.value["speaker"]


def test_a_rep_of_another_person_is_altered():
    origin = "Report\n\u201cTara Reid has checked herself into a treatment center,\u201d Reid's rep told Us."
    [fact] = flags(judge_pair(origin, origin.replace("Reid's rep", "Thompson's rep")))
    assert fact.kind == "quote"


def test_a_straight_closing_mark_first_ends_a_quotation_opened_before():
    """'"He is a killer.' / 'He murdered two people that we know of," Stirling said.': the
    second paragraph is quoted speech, so a word changed in it is a change."""
    origin = (
        "Sentence\n"
        'Stirling called him a predator. "He is a killer.\n'
        'He murdered two other people that we know of in the county," Stirling said.'
    )
    copy = origin.replace("other people", "other neighbours")
    [fact] = flags(judge_pair(origin, copy))
    assert fact.kind == "quote" and "Stirling" in fact.subject
    assert flags(judge_pair(origin, origin.replace("Stirling said", "Stirling added"))) == []


CONTINUED = (
    "Cable cut slows the internet\n"
    "The outage hit several countries on Tuesday morning.\n"
    '"The partner network experienced a terrestrial fibre cut between Alexandria and Suez.\n'
    "All links are back up as of the early morning and traffic flows again.\n"
    'Total downtime was about an hour," the company said in a statement.\n'
    "Engineers were still checking the line."
)


@pytest.mark.parametrize(
    ("old", "new", "flagged"),
    [
        ("traffic flows again", "traffic flows normally", True),
        ("All links are back up", "Every link is back up", True),
        ("Engineers were still", "Engineers are still", False),
    ],
)
def test_a_quotation_written_one_sentence_a_paragraph_is_read_whole(old, new, flagged):
    """An unmarked paragraph between a paragraph that leaves a quotation open and
    one whose first mark closes it is quoted speech: a word changed there is a
    changed quotation; narration after the quotation closed is not quoted."""
    documents = [
        Document(id="origin", origin="origin", text=CONTINUED, published=PUBLISHED),
        Document(id="copy", origin="copy", text=CONTINUED.replace(old, new), published=PUBLISHED),
    ]
    link = ReuseLink(derived="copy", origin="origin", directed=True, kind="rewrite", score=0.9)
    story = Story(id="s", title="t", documents=["origin", "copy"], reuse=[link])
    compare_facts(documents, [story])
    assert bool(flags(story)) == flagged, [f.explanation for f in flags(story)]


def test_a_caption_between_quoted_paragraphs_is_no_quotation():
    """A line with no closing punctuation (a photo caption) ends a quotation left
    open, and so does a closing mark hung on a word ('subdued".')."""
    from newstrace.facts.quotes import continued_quote_lines

    text = (
        '"The need for better security has been highlighted by the attacks.\n'
        "Robert Gates called for companies to protect their ships\n"
        '"As with terrorism, piracy is a problem of serious concern."\n'
        '"We need ships.\n'
        "And we need them soon.\n"
        '"Nobody else will pay," he said.'
    )
    starts = continued_quote_lines(text)
    assert [text[s : text.index("\n", s)] for s in sorted(starts)] == ["And we need them soon."]
    # a closing mark hung on a word closes the quotation: the narration after it is not quoted
    closed = (
        'He described the suspect as "subdued.\n'
        'Very, very, very subdued".\n'
        "Witnesses said the shooter looked as if he was hiding something.\n"
        '"I am not positive all three were targeted," Craft said.'
    )
    assert continued_quote_lines(closed) == set()


def test_a_closing_mark_after_an_inner_quotation_ends_the_quotation():
    """'…on a secure phone,'" LaRue told the paper': the narration after the two
    closing marks is not quoted, so a reporting verb changed there changes nothing."""
    first = (
        "Watergate figure dies\n"
        "\"He said, 'That's Gordon Liddy.\n"
        "He wants me to go out to some air base and talk on a secure phone,'\" LaRue, "
        "recalling the call, told the Biloxi Sun Herald in 2004.\n"
    )
    documents = [
        Document(id="origin", origin="origin", text=first, published=PUBLISHED),
        Document(
            id="copy",
            origin="copy",
            text=first.replace("told the Biloxi", "informed the Biloxi"),
            published=PUBLISHED,
        ),
    ]
    link = ReuseLink(derived="copy", origin="origin", directed=True, kind="rewrite", score=0.9)
    story = Story(id="s", title="t", documents=["origin", "copy"], reuse=[link])
    compare_facts(documents, [story])
    assert flags(story) == [], [f.explanation for f in flags(story)]
