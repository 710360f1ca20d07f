"""Rules drawn from the second round of real flags (BASIL and ECB+ half B, PAC
set C): page stamps are no event dates, names and clock times written two ways,
counts of two things or two events in one story, quotations sharing a phrase,
quotations continued over lines. Each rule is also tested the other way: the
difference it must still see."""

from __future__ import annotations

import pytest
from conftest import facts_between

from newstrace.facts.quotes import QuoteValue, quote_spans, quote_words
from newstrace.facts.verdict import compare_quotes


def relation(first: list[str], second: list[str]) -> str:
    return compare_quotes(QuoteValue(first), QuoteValue(second), linked=False)[0]


def flagged(facts, kind: str) -> list:
    return [f for f in facts if f.kind == kind and f.verdict in ("altered", "conflict")]


def test_a_page_stamp_is_no_event_date():
    facts = facts_between(
        "Office shooting leaves one dead\nPublished: April 10, 2007\nA man shot three people.",
        "Shooter charged with murder\nPublished April 11, 2007\nA man shot three people.",
    )
    assert flagged(facts, "date") == []
    event = facts_between(
        "Jury verdict\nThe jury reached its verdict on April 10, 2007, after two days.",
        "Jury verdict\nThe jury reached its verdict on April 12, 2007, after two days.",
    )
    assert len(flagged(event, "date")) == 1
    posted = facts_between(  # a publication verb in a sentence of the story is an event
        "Results\nThe company posted record profits on April 10, 2007.",
        "Results\nThe company posted record profits on April 12, 2007.",
    )
    assert len(flagged(posted, "date")) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # a name transliterated two ways, the Arabic article written or not
            ["now it looks like (Libyan strongman Muammar) al-Qaddafi is going to beat us."],
            ["now it looks like (Libyan strongman Moammar) Gadhafi is going to beat us."],
        ),
        (  # clock times in 12 and 24 hours, with or without a zone
            ["She passed away at 6:41pm PST this evening (0241 GMT Friday) in hospital."],
            ["She passed away at 18:41 this evening (02:41 GMT Friday) in hospital."],
        ),
        (
            ["We met at 6 p.m. in the neighbourhood hall."],
            ["We met at 6:00 p.m. in the neighborhood hall."],
        ),
        (
            ["There was a terrestrial fibre cut near the coast."],
            ["There was a terrestrial fiber cut near the coast."],
        ),
        (  # the opening connective one outlet's cut kept
            [
                "We appreciate your willingness to talk. … However, we would be remiss if we did not ask."
            ],
            ["We would be remiss if we did not ask."],
        ),
        (  # a word left out right at the writer's ellipsis
            ["She was the embodiment of beauty … captured the imagination of a generation."],
            ["She captured the imagination of a generation."],
        ),
        (  # a phrase said twice: compared where it is quoted word for word
            [
                "Today's ruling provides clear guidance for all legally married same-sex couples nationwide,",
                "This ruling also assures legally married same-sex couples that they can move freely.",
            ],
            [
                "Today's ruling provides clear guidance for all legally married same-sex couples nationwide. It provides access to benefits that all Americans deserve,"
            ],
        ),
    ],
)
def test_written_two_ways_or_cut_is_the_same_quotation(first, second):
    assert relation(first, second) == "equal"
    assert relation(second, first) == "equal"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # another person named: not one name spelled two ways
            ["now it looks like Gadhafi is going to beat the United States."],
            ["now it looks like Mubarak is going to beat the United States."],
        ),
        (
            ["She passed away at 6:41pm this evening in hospital."],
            ["She passed away at 18:14 this evening in hospital."],
        ),
        (  # an interjection inside the stretch both quote
            [
                "It’s about some phony ideal, some phony theology. Oh, not a theology based on the Bible, a different theology, … But no less a theology."
            ],
            [
                "not about you. It's not about your jobs. It's about some phony ideal. Some phony theology. Not a theology based on the Bible. A different theology."
            ],
        ),
    ],
)
def test_still_a_different_quotation(first, second):
    assert relation(first, second) == "different"


def test_two_sentences_sharing_a_phrase_are_not_compared():
    first = [
        "The new rules weaken the scientific foundation of the Endangered Species Act and make it easier to base decisions on politics."
    ]
    second = [
        "Several last-minute regulatory changes have undermined the scientific foundation of the Endangered Species Act, and today the damage is being repaired."
    ]
    assert relation(first, second) == "equal"


def test_names_spelled_alike_only_when_both_are_capitalised():
    assert quote_words("like al-Qaddafi said") == ["like", "qaddafi", "said"]
    assert (
        relation(
            ["avoid the High Street area if possible"], ["avoid the high street area if possible"]
        )
        == "equal"
    )


def test_metres_written_onto_the_number():
    facts = facts_between(
        "The walker fell about 60m from a ridge in the park.",
        "The walker fell about 200 feet from a ridge in the park.",
    )
    assert flagged(facts, "quantity") == []
    money = facts_between(
        "The club paid $60m for the striker on Monday.",
        "The club paid $60 million for the striker on Monday.",
    )
    assert flagged(money, "quantity") == []  # "$60m" is 60 million dollars, not metres
    other_sum = facts_between(
        "The club paid $60m for the striker on Monday.",
        "The club paid $80 million for the striker on Monday.",
    )
    assert len(flagged(other_sum, "quantity")) == 1


def test_two_counts_of_one_noun_are_two_things():
    facts = facts_between(
        "Marine commandos boarded the vessels to nab 12 Somali and 11 Yemeni pirates.",
        "Commandos seized rifles from the 12 Somali and 11 Yemeni pirates on board.",
    )
    assert flagged(facts, "quantity") == []


def test_shares_of_two_places_are_two_things():
    facts = facts_between(
        "Latinos make up about 21 percent of Colorado's overall population.",
        "Latinos make up 30 percent of the population in Arizona, which is typically a red state.",
    )
    assert flagged(facts, "quantity") == []
    same_place = facts_between(
        "Latinos make up about 21 percent of Colorado's overall population.",
        "Latinos make up 30 percent of Colorado's overall population.",
    )
    assert len(flagged(same_place, "quantity")) == 1


def test_a_count_to_come_and_a_count_made_are_two_events():
    facts = facts_between(
        "Running back Reggie Bush will miss the final two games of the season.",
        "Bush missed four games earlier this season after undergoing surgery.",
    )
    assert flagged(facts, "quantity") == []


def test_the_three_points_back_and_counts_nothing_new():
    facts = facts_between(
        "The three met for two hours one afternoon in November in Santa Rosa.",
        "The two met from June 1972 to November 1973 in a parking garage.",
    )
    assert [f for f in flagged(facts, "quantity") if "met" in f.subject] == []


def test_a_past_departure_is_no_next_destination():
    facts = facts_between(
        "Brewer left for Washington a week ago to meet other governors.",
        "Brewer was in Washington on Monday but was scheduled to return Tuesday to Phoenix.",
    )
    assert flagged(facts, "place") == []


def test_a_closing_mark_first_ends_a_quotation_from_the_line_before():
    line = "And that should be where America is at,” Graham explained, noting research."
    assert [line[s:e] for s, e in quote_spans(line)] == ["And that should be where America is at,"]
    facts = facts_between(
        "“After 15 weeks, no abortion on demand.\nAnd that should be where America is at,” Graham explained.",
        "“After 15 weeks, no abortion on demand.\nAnd that must be where America is at,” Graham explained.",
    )
    speakers = {s.value["speaker"] for f in facts if f.kind == "quote" for s in f.statements}
    assert "Graham" in speakers
    assert len(flagged(facts, "quote")) == 1


def test_a_name_tagged_once_as_an_organisation_is_still_the_person():
    text = (
        "Donald Trump spoke to NBC on Thursday.\n"
        "Trump said that if a shutdown comes, “I think the president will be blamed.”\n"
        "He accused Obama of a confusing policy, saying “nobody knows what is happening in Libya.”"
    )
    facts = facts_between(text, text)
    speakers = [
        s.value["speaker"]
        for f in facts
        if f.kind == "quote"
        for s in f.statements
        if "nobody knows" in s.value["words"]
    ]
    assert speakers and all("Trump" in s for s in speakers)
