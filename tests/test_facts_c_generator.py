"""The facts_c copy generator: its harmless edits keep every quotation, its changes are recorded."""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval" / "facts_c"))

from alterations import ALTER, Names
from harmless import EDITS, Dates
from text import QUOTE, paragraphs_of, render, split_sentences

ARTICLE = (
    "WASHINGTON — President Barack Obama said Tuesday that 12 people were hurt in Denver.\n\n"
    '"We will not rest until the families have answers, and we will help them," Obama said. '
    "The attack happened yesterday near a school in Denver, police said.\n\n"
    "Mr. Smith, the mayor, told reporters that 5 percent of the city budget would go to repairs. "
    "It was the second such attack in Colorado since September 5, and the 4 suspects fled.\n\n"
    '"This is a sad day. It is not who we are. We will rebuild," Smith said. '
    "The governor, John Hickenlooper, said the state would send 1.2 million dollars to the U.S. "
    "city on Monday, and the money would go to the victims' families, many of whom were still "
    "waiting for news of their relatives on Wednesday night.\n\n"
    "Officials in Denver said the school would open again on Friday. "
    "The school has 300 students. The district has 20 schools."
)
PUBLISHED = dt.date(2012, 7, 18)


def _quotations(text: str) -> list[str]:
    """Quoted words, quotation marks made alike (an attribution move may change the mark style)."""
    found = [
        m.group(1).strip(" ,.") for m in QUOTE.finditer(text.replace("“", '"').replace("”", '"'))
    ]
    return sorted(found)


def test_sentences_are_cut_after_full_stops_but_not_after_titles():
    assert split_sentences("Mr. Smith went home. He slept. U.S. officials said so.") == [
        "Mr. Smith went home.",
        "He slept.",
        "U.S. officials said so.",
    ]


@pytest.mark.parametrize("name", sorted(EDITS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_harmless_edits_keep_every_quotation(name, seed):
    paragraphs = paragraphs_of(ARTICLE)
    origin, _ = render(paragraphs)
    edited = copy.deepcopy(paragraphs)
    EDITS[name](edited, random.Random(seed), Dates(PUBLISHED, PUBLISHED))
    text, _ = render(edited)
    if name in {"reported_speech", "drop_sentences"}:  # a quotation may go, none may change
        assert set(_quotations(text)) <= set(_quotations(origin))
    else:
        assert _quotations(text) == _quotations(origin)


def test_a_quotation_over_several_sentences_is_left_alone():
    paragraphs = paragraphs_of(ARTICLE)
    inside = [s.text for p in paragraphs for s in p if s.in_quote]
    assert inside == [
        '"This is a sad day.',
        "It is not who we are.",
        'We will rebuild," Smith said.',
    ]
    running = paragraphs_of(
        'He said: "We will win. It is not over. The 5 of us stay." Then he left.'
    )
    assert [s.in_quote for p in running for s in p] == [True, True, True, False]


@pytest.mark.parametrize("kind", ["number", "date", "quote", "place", "speaker"])
def test_a_real_change_is_recorded_in_the_sentence_it_changed(kind):
    paragraphs = paragraphs_of(ARTICLE)
    originals = {s.source: s.text for p in paragraphs for s in p}
    names = Names(
        persons=["Barack Obama", "Obama", "Smith", "John Hickenlooper"],
        places=[("Denver", "city"), ("Colorado", "state")],
        pool={"city": ["Denver", "Austin"], "state": ["Colorado", "Texas"]},
    )
    flat = [s for p in paragraphs for s in p]
    record = ALTER[kind](flat, random.Random(4), names, 0)
    assert record is not None
    _text, spans = render(paragraphs)
    changed = [s for s, _, _ in spans if s.alterations]
    assert len(changed) == 1 and changed[0].source == record["sentence"]
    before = originals[record["sentence"]]
    assert record["new"] in changed[0].text and before != changed[0].text
    assert re.sub(re.escape(record["new"]), record["original"], changed[0].text, count=1) == before
