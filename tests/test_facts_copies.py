"""A derived copy of a seed article: harmless rewording is never flagged; real changes are."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS

from newstrace.facts import compare_facts
from newstrace.model import Document, ReuseLink, Story

pytestmark = pytest.mark.shared

FLAGS = {"conflict", "altered"}


@pytest.fixture(scope="module")
def origin_text() -> str:
    return next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")


def rewrite(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def flags_between(origin: str, copy: str, linked: bool = True):
    documents = [
        Document(id="orig", origin="orig", text=origin),
        Document(id="copy", origin="copy", text=copy),
    ]
    reuse = (
        [ReuseLink(derived="copy", origin="orig", directed=True, kind="rewrite", score=0.9)]
        if linked
        else []
    )
    story = Story(id="s", title="copy", documents=["orig", "copy"], reuse=reuse)
    compare_facts(documents, [story])
    return [f for f in story.facts if f.verdict in FLAGS]


HARMLESS = [
    (
        "18 fatalities, including four children, and over 60 injured",
        "eighteen fatalities, including 4 children, and more than 60 injured",
    ),
    ("its 2.3 million residents", "its 2,300,000 residents"),
    (
        "“It’s time to end this war; we are all paying too high a price,” Beilin remarked.",
        '"It\'s time to end this war; we are all paying too high a price," Beilin remarked.',
    ),
    (
        "Blinken also emphasized the importance of increasing",
        "Blinken additionally stressed the value of boosting",
    ),
    (
        "Meanwhile, Hezbollah categorically rejected any talks with Israel while active hostilities continue. ",
        "",
    ),
    ("Israel-Lebanon border", "Israel–Lebanon border"),
]


def test_harmless_rewording_is_not_flagged(origin_text):
    copy = rewrite(origin_text, HARMLESS)
    flagged = flags_between(origin_text, copy)
    assert flagged == [], [f.explanation for f in flagged]


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [
        ("quantity", "reported eighteen fatalities", "reported 28 fatalities"),
        ("quantity", "including 4 children", "including seven children"),
        ("quote", "paying too high a price", "paying a very high price"),
        ("quote", 'a price," Beilin remarked', 'a price," Blinken remarked'),
        ("place", "efforts in Jordan", "efforts in Egypt"),
        ("date", "Blinken arrived in Israel on Tuesday", "Blinken arrived in Israel on Thursday"),
    ],
)
def test_each_real_alteration_is_flagged_in_the_copy(origin_text, kind, old, new):
    copy = rewrite(origin_text, HARMLESS + [(old, new)])
    flagged = flags_between(origin_text, copy)
    where = copy.index(new)
    hits = [
        f
        for f in flagged
        if f.kind == kind
        and f.verdict == "altered"
        and any(
            s.doc == "copy" and s.span[0] <= where + len(new) and where <= s.span[1] + 40
            for s in f.statements
        )
    ]
    assert hits, [f.explanation for f in flagged]
    assert "copy" in hits[0].explanation and "orig" in hits[0].explanation
    assert len(flagged) == 1, [f.explanation for f in flagged]


def test_same_change_without_a_reuse_link_is_a_conflict(origin_text):
    copy = rewrite(origin_text, [("reported 18 fatalities", "reported 28 fatalities")])
    flagged = flags_between(origin_text, copy, linked=False)
    assert [f.verdict for f in flagged] == ["conflict"]


FORMATS = [
    ("October 7, 2023", "Oct. 7, 2023"),
    ("on October 1,", "on Oct 1,"),
    ("approximately 1,200 deaths", "about 1200 deaths"),
    ("toll of 42,718", "toll of more than 42,000"),
    ("200 ballistic missiles", "two hundred ballistic missiles"),
    ("11th trip", "eleventh trip"),
    ("over 115 individuals", "more than 115 people"),
    ("63 fatalities", "sixty-three fatalities"),
    ("U.S. Secretary", "United States Secretary"),
    ("“Iran and its partners", '"Iran and its partners'),
    ("heavy price,”", 'heavy price,"'),
    ("Netanyahu warned.", "Netanyahu cautioned."),
    ("past two days", "past 48 hours"),
]


@pytest.mark.parametrize("linked", [True, False])
def test_number_date_and_name_formats_are_not_flagged(linked):
    origin = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    flagged = flags_between(origin, rewrite(origin, FORMATS), linked=linked)
    assert flagged == [], [f.explanation for f in flagged]


def test_generated_copies_record_where_each_alteration_sits():
    """The copy generator's records stay true after reordering, furniture and drops:
    the recorded span of the copy holds the new words, and harmless copies record none."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from make_fact_copies import DEFAULT_CORPUS, generate

    items = generate(DEFAULT_CORPUS, 12, 3)
    assert any(item["alterations"] for item in items)
    kinds = {kind for item in items for kind in item["harmless"]}
    assert {"reporting_verb", "drop_sentence"} <= kinds
    for item in items:
        if item["copy_id"].endswith("~h"):
            assert item["alterations"] == []
        for alteration in item["alterations"]:
            start, end = alteration["span"]
            assert item["copy"][start:end] == alteration["after"], item["copy_id"]


def test_generator_reads_quotations_continued_over_paragraphs():
    """The copy generator (not the rules) knows where a quotation continued over
    paragraphs runs: unmarked paragraphs after an unclosed quotation, up to a
    paragraph whose first mark closes it or that opens with a mark again, are
    quoted words, so its harmless edits never touch them; a caption (no closing
    punctuation) ends it, and a closing mark hung on a word ('subdued".') opens
    nothing."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from make_fact_copies import quote_ranges

    text = (
        "Headline\n"
        'Kim said, "The agency has given a gift.\n'
        "Once again, our nation will follow the law.\n"
        'It is right," he said. Then came "more words here" again.\n'
        '"We go.\n'
        "And we go far.\n"
        '"And we stay," she said.\n'
        'He called it "a total mess.\n'
        'Very, very messy". The talks resumed on Monday.\n'
        "Friday was calm.\n"
        '"The need is clear.\n'
        "Robert Gates called for better ships\n"
        '"As with terrorism, it is grave."\n'
        'He said "it ends here.\n'
        "Nobody answered.\n"
    )
    quoted = [text[s:e] for s, e in quote_ranges(text)]
    assert quoted == [
        '"The agency has given a gift.',
        "Once again, our nation will follow the law.",
        'It is right,"',
        '"more words here"',
        '"We go.',
        "And we go far.",
        '"And we stay,"',
        '"a total mess.',
        'Very, very messy"',
        '"The need is clear.',
        '"As with terrorism, it is grave."',
        '"it ends here.',
    ]


def test_generator_never_starts_a_sentence_in_lower_case():
    """The copy generator drops sentences as a harmless edit; a full stop before a
    lower-case word ("after 3 p.m. the day of the shooting") or a figure ("with
    a. 357 Magnum") ends no sentence, so
    it never drops half of one (half a quoted sentence dropped is a changed quote)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from make_fact_copies import sentences

    text = (
        'He "spotted Orozco after 3 p.m. the day of the shooting. Then Dr. Ortiz ran '
        'with a. 357 Magnum. He fell."'
    )
    assert [text[s:e].strip() for s, e in sentences(text)] == [
        'He "spotted Orozco after 3 p.m. the day of the shooting.',
        "Then Dr. Ortiz ran with a. 357 Magnum.",
        'He fell."',
    ]


@pytest.mark.parametrize(
    ("text", "name", "speaks"),
    [
        ('"We build chips," said Lisa Su, AMD\'s chief.', "Lisa Su", True),
        ('"We build chips," Lisa Su, AMD\'s chief executive, said.', "Lisa Su", True),
        ('According to John Ging, "the trucks wait at the crossing."', "John Ging", True),
        ('"She captured it," said agent Mark Roesler.', "Mark Roesler", True),
        ('Outside court, Fowler said Ben is "not doing very well."', "Ben", False),
        ('Viena Neaville told Nixon that "you would be spared."', "Nixon", False),
        ("phone,'\" LaRue, recalling Magruder's words, told the Sun.", "Magruder", False),
        ('"Stay down," police said once Kimani had been hit.', "Kimani", False),
        ('"It was made for," said Dist. Atty. Steve Cooley.', "Atty", False),
    ],
)
def test_generator_changes_only_the_name_a_quotation_is_given_to(text, name, speaks):
    """The copy generator's speaker alterations swap the name a speech verb gives
    the quotation to, not a name its clause is about, an addressee or a title."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from make_fact_copies import _speaks

    start = text.index(name)
    assert _speaks(text, start, start + len(name)) == speaks
