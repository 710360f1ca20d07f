"""Facts across sources: the seed articles' known agreements, conflicts and alterations."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from newstrace.facts import compare_facts
from newstrace.model import Document, ReuseLink, Story

pytestmark = pytest.mark.shared

FLAGS = {"conflict", "altered"}


def seed_documents() -> list[Document]:
    return [
        Document(id=p.name[:3], origin=str(p), text=p.read_text(encoding="utf-8"))
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def analyse(documents: list[Document], reuse: list[ReuseLink] | None = None) -> Story:
    story = Story(id="s1", title="seeds", documents=[d.id for d in documents], reuse=reuse or [])
    compare_facts(documents, [story])
    return story


@pytest.fixture(scope="module")
def unlinked() -> tuple[list[Document], Story]:
    documents = seed_documents()
    return documents, analyse(documents)


@pytest.fixture(scope="module")
def linked() -> tuple[list[Document], Story]:
    documents = seed_documents()
    link = ReuseLink(derived="002", origin="001", directed=False, kind="shared_source", score=0.6)
    return documents, analyse(documents, [link])


def facts_with(story: Story, *, kind: str, text_in: dict[str, str]):
    """Facts of ``kind`` whose statements in each named doc contain the given text."""
    found = []
    for fact in story.facts:
        if fact.kind != kind:
            continue
        texts = {}
        for statement in fact.statements:
            texts.setdefault(statement.doc, []).append(statement.text)
        if all(any(needle in t for t in texts.get(doc, [])) for doc, needle in text_in.items()):
            found.append(fact)
    return found


def test_statements_point_at_exact_text(unlinked):
    documents, story = unlinked
    by_id = {d.id: d for d in documents}
    assert story.facts
    for fact in story.facts:
        assert fact.verdict in {"agree", "compatible", "conflict", "altered", "single_source"}
        for statement in fact.statements:
            start, end = statement.span
            assert by_id[statement.doc].text[start:end] == statement.text
        if fact.verdict in FLAGS:
            assert fact.explanation and "\n" not in fact.explanation


def test_beilin_quote_reworded_is_a_conflict_without_link(unlinked):
    _, story = unlinked
    [fact] = facts_with(
        story, kind="quote", text_in={"001": "too high a price", "002": "a heavy price"}
    )
    assert fact.verdict == "conflict"
    assert "Beilin" in fact.explanation and "heavy price" in fact.explanation


def test_beilin_quote_is_altered_between_copies_of_one_source(linked):
    _, story = linked
    [fact] = facts_with(
        story, kind="quote", text_in={"001": "too high a price", "002": "a heavy price"}
    )
    assert fact.verdict == "altered"


def test_state_department_statement_quoted_with_other_words(unlinked):
    _, story = unlinked
    [fact] = facts_with(
        story,
        kind="quote",
        text_in={"000": "underscored the need", "002": "highlighted the importance"},
    )
    assert fact.verdict == "conflict"


def test_next_destination_saudi_arabia_against_jordan(unlinked):
    _, story = unlinked
    [fact] = facts_with(
        story, kind="place", text_in={"003": "Saudi Arabia", "001": "Jordan", "002": "Jordan"}
    )
    assert fact.verdict == "conflict"
    assert "Saudi Arabia" in fact.explanation and "Jordan" in fact.explanation


@pytest.mark.parametrize("story_name", ["unlinked", "linked"])
def test_honest_qualifiers_are_not_flagged(story_name, request):
    _, story = request.getfixturevalue(story_name)
    injured = facts_with(
        story, kind="quantity", text_in={"001": "over 60 injured", "002": "at least 60 others"}
    )
    assert injured and all(f.verdict in {"agree", "compatible"} for f in injured)
    for fact in story.facts:
        texts = " ".join(s.text for s in fact.statements)
        if fact.kind == "quantity" and ("42,718" in texts or "over 42,000" in texts):
            assert fact.verdict not in FLAGS, fact.explanation


def test_no_false_quantity_conflicts_between_independent_seeds(unlinked):
    _, story = unlinked
    flagged = [f for f in story.facts if f.verdict in FLAGS and f.kind == "quantity"]
    assert flagged == [], [f.explanation for f in flagged]


def test_furniture_lines_make_no_flags(unlinked):
    _, story = unlinked
    for fact in story.facts:
        for statement in fact.statements:
            assert "Leave a Reply" not in statement.text
            assert "[your website link]" not in statement.text or fact.verdict == "single_source"
