"""House styles that change no fact, and facts written in a style the rules did not read.

A quotation whose every sentence opens with a mark of its own (the BBC's style),
initialisms with or without full stops ("U.S." / "US"), sums with their scale
written on ("$280bn") and two days of one month written once ("9 and 10 July").
"""

from __future__ import annotations

from conftest import facts_between, linked_facts

from newstrace.facts.dates import calendar_spans, resolve
from newstrace.facts.quotes import quote_spans

FLAGS = ("altered", "conflict")
LEAD = "The opposition leader spoke in Leeds on Monday about the coming election.\n\n"

REOPENED = (
    '"The result is higher taxes and less choice for families across the country. '
    '"Worst of all, it is a government that has wasted money on every project it touched." '
    "The party, he said, can cut crime without raising taxes."
)


def _linked_facts(origin: str, copy: str) -> list:
    return linked_facts(LEAD + origin, LEAD + copy, published="2005-01-03")


def _flags(facts: list, kind: str | None = None) -> list:
    return [f for f in facts if f.verdict in FLAGS and (kind is None or f.kind == kind)]


def test_a_mark_that_opens_the_next_sentence_starts_a_new_quotation():
    quoted = [REOPENED[s:e] for s, e in quote_spans(REOPENED)]
    assert quoted == [
        "The result is higher taxes and less choice for families across the country.",
        "Worst of all, it is a government that has wasted money on every project it touched.",
    ]


def test_marks_paired_in_order_where_no_sentence_is_reopened():
    line = 'He called it "a fair and open contest" and said "we will win it outright" on Sunday.'
    quoted = [line[s:e] for s, e in quote_spans(line)]
    assert quoted == ["a fair and open contest", "we will win it outright"]


def test_a_negation_in_a_reopened_quotation_is_a_change_and_the_narration_after_it_is_not():
    negated = REOPENED.replace("has wasted", "has not wasted")
    assert [f.kind for f in _flags(_linked_facts(REOPENED, negated))] == ["quote"]
    reworded = REOPENED.replace("he said", "he added")
    assert _flags(_linked_facts(REOPENED, reworded)) == []


def test_an_initialism_with_or_without_full_stops_is_one_name():
    origin = (
        "Troops detained without trial in the UK were freed on Monday. "
        'The US said: "The detainees will be released within a week of the ruling."'
    )
    copy = (
        "Troops detained without trial in the U.K. were freed on Monday. "
        'The U.S. said: "The detainees will be released within a week of the ruling."'
    )
    assert _flags(_linked_facts(origin, copy)) == []
    moved = origin.replace("in the UK", "in France")
    assert [f.kind for f in _flags(_linked_facts(origin, moved))] == ["place"]


def test_a_sum_with_its_scale_written_on_is_read_and_compared():
    origin = "The court rejected the government's $280bn (£155bn) claim against the tobacco firms."
    copy = origin.replace("$280bn", "$170bn")
    flags = _flags(_linked_facts(origin, copy), "quantity")
    assert [f.statements[0].value["number"] for f in flags] == [280e9]
    assert _flags(facts_between(origin, origin.replace("$280bn", "$280 billion")), "quantity") == []


def test_two_days_of_one_month_written_once_are_two_dates():
    text = "The festival is held over the weekend of 9 and 10 July, and again on August 20 and 21."
    days = sorted(resolve(text[s:e], None).label() for s, e in calendar_spans(text))
    assert days == ["August 20", "August 21", "July 10", "July 9"]
    origin = "The band will play over the weekend of 9 and 10 July at the park."
    copy = origin.replace("9 and 10", "8 and 10")
    assert [f.kind for f in _flags(_linked_facts(origin, copy))] == ["date"]
