""" "He"/"she" go to the last person of fitting gender, from titles, role nouns,
first names and pronouns already tied to a person; unknown or androgynous
names resolve as before, and so does everything without the names list."""

from __future__ import annotations

import pytest

from newstrace.facts import gender
from newstrace.facts.extract import extract
from newstrace.model import Document

QUOTE = '"We will ship the new chips next year to every customer we have," {} said.'


def speakers(text: str) -> list[str]:
    [result] = extract([Document(id="d", origin="d", text=text, published="2024-06-04")])
    return [c.value.speaker.name for c in result.claims if c.kind == "quote"]


@pytest.mark.parametrize(
    ("first", "pronoun", "expected"),
    [
        ("Lisa Su met Andrew Feldman in Taipei.", "she", "Lisa Su"),
        ("Lisa Su met Andrew Feldman in Taipei.", "he", "Andrew Feldman"),
        ("Andrew Feldman met Lisa Su in Taipei.", "she", "Lisa Su"),
        ("Andrew Feldman met Lisa Su in Taipei.", "he", "Andrew Feldman"),
        ("Mrs. Thatcher met Mr. Reagan in London.", "she", "Thatcher"),
        ("Mrs. Thatcher met Mr. Reagan in London.", "he", "Reagan"),
        ("Spokeswoman Jane Okoro met Doyle in Lagos.", "she", "Spokeswoman Jane Okoro"),
    ],
)
def test_a_pronoun_goes_to_the_last_person_of_its_gender(first, pronoun, expected):
    assert speakers(f"{first}\n{QUOTE.format(pronoun)}") == [expected]


def test_a_surname_keeps_the_gender_its_full_name_gave():
    text = (
        "Lisa Su opened the show on Monday.\n"
        "Mr. Feldman spoke after the break about wafers. Feldman was upbeat.\n"
        + QUOTE.format("she")
    )
    assert speakers(text) == ["Lisa Su"]


def test_a_pronoun_already_tied_to_a_person_tells_their_gender():
    text = (
        "Mayor Okafor opened the meeting in Lagos.\n"
        + QUOTE.format("she")  # Okafor, the only one named: a woman from now on
        + "\nOn Tuesday, Mayor Okafor met Doyle again.\n"
        + QUOTE.format("he")  # not Okafor, the subject: Okafor is a woman
    )
    assert speakers(text) == ["Okafor", "Doyle"]
    guessed = text.replace("opened the meeting", "met Doyle")  # two named: "she" is a guess
    assert speakers(guessed) == ["Okafor", "Okafor"]  # not learnt: the subject, as before
    she_after = text[: text.rindex("he said")] + "she said."
    assert speakers(she_after) == ["Okafor", "Okafor"]


def test_androgynous_first_names_resolve_as_before():
    """'Kim' and 'Jordan' say nothing: the subject, as without gender."""
    text = "Kim Lee met Jordan Smith in Taipei.\n" + QUOTE.format("she")
    assert speakers(text) == ["Kim Lee"]
    assert speakers(text.replace("she said", "he said")) == ["Kim Lee"]


def test_without_the_names_list_first_names_say_nothing(monkeypatch):
    monkeypatch.setattr(gender, "_detector", lambda: None)
    gender.first_name_gender.cache_clear()
    try:
        text = "Andrew Feldman met Lisa Su in Taipei.\n" + QUOTE.format("she")
        assert speakers(text) == ["Andrew Feldman"]  # the subject, as before gender
        titled = "Mr. Feldman met Mrs. Su in Taipei.\n" + QUOTE.format("she")
        assert speakers(titled) == ["Su"]  # titles still say it
    finally:
        gender.first_name_gender.cache_clear()


def test_first_names_from_the_list():
    assert gender.first_name_gender("Lisa") == gender.FEMALE
    assert gender.first_name_gender("Andrew") == gender.MALE
    assert gender.first_name_gender("Kim") == ""  # mostly female: not sure
    assert gender.first_name_gender("Jean") == ""  # a man's in France, a woman's in the US
