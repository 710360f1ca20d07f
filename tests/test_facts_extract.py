"""What extraction reads from the seed articles: values, qualifiers, speakers, dates, destinations."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS

from newstrace.facts.extract import extract
from newstrace.facts.quantities import Quantity, compare_quantities, parse_number
from newstrace.model import Document

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def claims() -> dict[str, list]:
    documents = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = Document(id=path.name[:3], origin=str(path), text=path.read_text(encoding="utf-8"))
        if doc.id == "002":
            doc.published = "2024-10-23"  # a Wednesday: "on Tuesday" is the day before
        documents.append(doc)
    return {item.doc.id: item.claims for item in extract(documents)}


def written(claim, text: str) -> bool:
    return claim.report_value.get("as_written") == text


@pytest.mark.parametrize(
    ("doc", "as_written", "number", "qualifier", "unit"),
    [
        ("000", "42,718", 42718, "", "count"),
        ("003", "over 42,000", 42000, "over", "count"),
        ("001", "over 60", 60, "over", "count"),
        ("002", "at least 60", 60, "at_least", "count"),
        ("001", "2.3 million", 2_300_000, "", "count"),
        ("002", "four", 4, "", "count"),
        ("003", "about 90%", 90, "approx", "percent"),
        ("000", "11th", 11, "", "ordinal"),
        ("003", "a third", 1 / 3, "", "fraction"),
    ],
)
def test_quantities_read_with_value_and_qualifier(claims, doc, as_written, number, qualifier, unit):
    found = [c for c in claims[doc] if c.kind == "quantity" and written(c, as_written)]
    assert found, as_written
    value = found[0].value
    assert value.number == pytest.approx(number, rel=1e-3)
    assert (value.qualifier, value.unit) == (qualifier, unit)


def test_what_is_counted_comes_from_the_syntax(claims):
    [injured] = [c for c in claims["002"] if c.kind == "quantity" and written(c, "at least 60")]
    assert "injured" in injured.subject
    [missiles] = [c for c in claims["000"] if c.kind == "quantity" and written(c, "200")]
    assert "missiles" in missiles.subject and "ballistic" in missiles.subject


@pytest.mark.parametrize(
    ("doc", "words", "speaker"),
    [
        ("001", "paying too high a price", "Beilin"),
        ("000", "axis of evil will pay a heavy price", "Netanyahu"),
        ("003", "Israel has accomplished significant strategic objectives", "Blinken"),
        ("003", "Progress has been made", "Blinken"),  # "… ,” he stated
        ("002", "highlighted the importance of capitalizing", "Matthew Miller"),
        ("004", "This is a decisive moment", "Blinken"),
    ],
)
def test_quotes_are_attributed_to_a_named_speaker(claims, doc, words, speaker):
    found = [c for c in claims[doc] if c.kind == "quote" and words in c.text]
    assert found, words
    assert speaker.split()[-1] in found[0].value.speaker.name


def test_quote_statement_is_the_quotation_and_its_speaker(claims):
    """The statement shows the quoted words with the name they are given to (so a
    changed speaker is inside the flagged span); the words alone are in the value."""
    [beilin] = [c for c in claims["002"] if c.kind == "quote" and "heavy price" in c.text]
    assert (
        beilin.text
        == "“It’s truly time to end this war. We are all paying a heavy price and suffering,” Beilin"
    )
    assert beilin.report_value["speaker"] == "Beilin"
    assert beilin.report_value["words"].endswith("heavy price and suffering,")


def test_weekday_resolved_against_publication_date(claims):
    tuesday = [
        c for c in claims["002"] if c.kind == "date" and c.report_value["as_written"] == "Tuesday"
    ]
    assert tuesday and tuesday[0].report_value["date"].startswith("2024-10-22")
    undated = [
        c for c in claims["001"] if c.kind == "date" and c.report_value["as_written"] == "Tuesday"
    ]
    assert undated and undated[0].report_value["date"] == "Tuesday"


@pytest.mark.parametrize(
    ("doc", "place"), [("001", "Jordan"), ("002", "Jordan"), ("003", "Saudi Arabia")]
)
def test_next_destination_of_the_trip(claims, doc, place):
    destinations = [c for c in claims[doc] if c.kind == "place" and c.role == "destination"]
    assert [c.report_value["place"] for c in destinations] == [place]
    assert "Blinken" in destinations[0].subject


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["2.3", "million"], 2_300_000),
        (["1,200"], 1200),
        (["a", "dozen"], 12),
        (["forty-two"], 42),
        (["four", "hundred"], 400),
        (["3", "billion"], 3_000_000_000),
    ],
)
def test_number_words_and_formats(words, value):
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("a", "b", "linked", "relation"),
    [
        (Quantity(42718, "", "count"), Quantity(42000, "over", "count"), False, "compatible"),
        (Quantity(60, "over", "count"), Quantity(60, "at_least", "count"), False, "compatible"),
        (Quantity(1200, "approx", "count"), Quantity(1200, "approx", "count"), False, "equal"),
        (Quantity(18, "", "count"), Quantity(28, "", "count"), False, "different"),
        (Quantity(60, "at_least", "count"), Quantity(80, "at_least", "count"), True, "different"),
        (Quantity(40000, "over", "count"), Quantity(42000, "over", "count"), False, "compatible"),
        (Quantity(100, "under", "count"), Quantity(150, "", "count"), False, "different"),
    ],
)
def test_honest_qualifiers_as_intervals(a, b, linked, relation):
    assert compare_quantities(a, b, linked) == relation


def test_claims_from_a_stored_parse_equal_claims_from_a_fresh_one():
    """The store keeps each article's parse as bytes; reading claims from it must change nothing."""
    from newstrace.facts.extract import pack_parse, parse, restore_parse

    paths = sorted(SEEDS.glob("*.txt")) + sorted(
        (Path(__file__).resolve().parents[1] / "samples" / "articles").glob("*.txt")
    )
    fresh = [
        Document(
            id=p.stem, origin=str(p), text=p.read_text(encoding="utf-8"), published="2024-10-23"
        )
        for p in paths
    ]
    kept = [Document(id=d.id, origin=d.origin, text=d.text, published=d.published) for d in fresh]
    parse(kept)
    packed = [pack_parse(doc) for doc in kept]
    restored = [
        Document(id=d.id, origin=d.origin, text=d.text, published=d.published) for d in fresh
    ]
    for doc, data in zip(restored, packed):
        restore_parse(doc, data)
    expected = [(item.sentences, item.claims) for item in extract(fresh)]
    assert sum(len(claims) for _, claims in expected) > 50
    assert [(item.sentences, item.claims) for item in extract(restored)] == expected
