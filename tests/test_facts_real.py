"""Rules drawn from real outlets quoting one event: where two quotations are cut
differently, spelled differently or given in other units they agree; a word
changed inside the stretch both quote still differs. Relative dates seen from two
publication dates, and day words inside a show's name, are no conflict."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import facts_between

from newstrace.facts.dates import compare_dates, resolve
from newstrace.facts.quotes import QuoteValue, quote_spans, quote_words
from newstrace.facts.verdict import compare_quotes


def words_relation(first: list[str], second: list[str]) -> str:
    return compare_quotes(QuoteValue(first), QuoteValue(second), linked=False)[0]


@pytest.mark.parametrize(
    ("first", "second"),
    [  # one outlet starts a sentence later, stops earlier or marks a cut
        (
            [
                "There is no question we must win. ... And, for the sake of the free world, we must give our troops support."
            ],
            ["For the sake of the free world, we must give our troops support, and we will."],
        ),
        (
            ["I have people studying it and they cannot believe what they are finding,"],
            ["And they cannot believe what they're finding. And I'm serious."],
        ),
        (
            ["The savings do not cut a single guaranteed Medicare benefit, and he knows it."],
            ["The ad is dishonest. … do not cut a single guaranteed Medicare benefit."],
        ),
        (
            ["Sen. Reid respects that but thinks it should be built elsewhere."],
            ["Senator Reid respects that but thinks it should be built elsewhere."],
        ),
        (
            ["He probably realised if he didn't, he was going to be shot,"],
            ["He probably realized if he didn't, he was going to be shot,"],
        ),
        (
            ["Now these (local) supervisors have too much discretion."],
            ["Now these supervisors have too much discretion."],
        ),
        (
            ["He served as a decorated F.B.I. special agent for years."],
            ["He served as a decorated FBI special agent for years."],
        ),
    ],
)
def test_cut_or_spelled_differently_is_the_same_quotation(first, second):
    assert words_relation(first, second) == "equal"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ["We have learned something important since I served."],
            ["We have learned something very important since I served... and more."],
        ),
        (
            ["It will not be a take it or leave it offer."],
            ["It will not be a take it leave it offer."],
        ),
        (["His hands were down."], ["His were down."]),
        (
            ["The fire progressed rapidly through the store."],
            ["The fire has progressed rapidly through the store."],
        ),
        (["It does not matter who gets elected."], ["It does never matter who gets elected."]),
    ],
)
def test_a_word_changed_where_both_quote_differs(first, second):
    assert words_relation(first, second) == "different"


def test_narration_between_mispaired_marks_is_no_quotation():
    line = (
        "“We were afraid,” said Maral, 45, an Ashgabat resident who declined to give her surname.”"
    )
    assert [line[s:e] for s, e in quote_spans(line)] == ["We were afraid,"]


def test_abbreviated_title_reads_as_the_title():
    assert quote_words("Sen. Smith") == ["senator", "smith"]


def verdicts(facts, kind: str) -> list[str]:
    return [f.verdict for f in facts if f.kind == kind and len({s.doc for s in f.statements}) == 2]


def test_one_distance_in_two_units_agrees():
    facts = facts_between(
        "Police evacuated the office building, about 24 km north of Detroit.",
        "Police evacuated the office building, about 15 miles north of Detroit.",
    )
    assert "conflict" not in verdicts(facts, "quantity")
    other = facts_between(
        "Police evacuated the office building, about 24 km north of Detroit.",
        "Police evacuated the office building, about 40 miles north of Detroit.",
    )
    assert verdicts(other, "quantity") == ["conflict"]


def test_quoted_yesterday_from_two_publication_dates_is_no_conflict():
    said_tuesday = resolve("yesterday", date(2024, 10, 22), quoted=True)
    said_wednesday = resolve("yesterday", date(2024, 10, 23), quoted=True)
    assert said_tuesday is not None and said_wednesday is not None
    assert compare_dates(said_tuesday, said_wednesday) == "unrelated"
    narrated_tuesday = resolve("yesterday", date(2024, 10, 22))
    narrated_wednesday = resolve("yesterday", date(2024, 10, 23))
    assert narrated_tuesday is not None and narrated_wednesday is not None
    assert compare_dates(narrated_tuesday, narrated_wednesday) == "different"
    same_day = resolve("yesterday", date(2024, 10, 23), quoted=True)
    two_days_back = resolve("Monday", date(2024, 10, 23), quoted=True)
    assert same_day is not None and two_days_back is not None
    assert compare_dates(same_day, two_days_back) == "different"  # one day seen from one date


def test_weekday_with_no_tense_seen_from_two_dates_is_no_conflict():
    opens_sunday = resolve(
        "Tuesday", date(2024, 10, 20), tense=""
    )  # the coming Tuesday, or the last
    opens_wednesday = resolve("Tuesday", date(2024, 10, 23), tense="")
    assert opens_sunday is not None and opens_wednesday is not None
    assert compare_dates(opens_sunday, opens_wednesday) == "unrelated"


def test_a_show_called_today_is_no_date():
    facts = facts_between(
        "Smith told NBC's Today show that the team will play again.",
        "Smith told NBC's Today show that the team will play again.",
        published=("2024-10-22", "2024-10-23"),
    )
    assert [f for f in facts if f.kind == "date"] == []
