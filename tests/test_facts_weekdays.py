"""A day name read from two publication dates: the same name is no change, another name is."""

from __future__ import annotations

from conftest import facts_between

FLAGS = ("altered", "conflict")
ARTICLE = (
    "The president on {day} will nominate Byron Todd Jones to lead the bureau permanently. "
    "Mr. Weiner said {day} that he believed his account had been infiltrated by a hacker."
)


def _date_flags(first: str, second: str, published: tuple[str, str]) -> list:
    facts = facts_between(first, second, published)
    return [f for f in facts if f.kind == "date" and f.verdict in FLAGS]


def test_the_same_day_name_in_a_copy_published_a_day_later_is_no_change():
    # Wednesday 16 January 2013; the copy comes out on Thursday and keeps "Wednesday".
    text = ARTICLE.format(day="Wednesday")
    assert _date_flags(text, text, ("2013-01-16", "2013-01-17")) == []
    assert _date_flags(text, text, ("2013-01-16", "2013-01-18")) == []


def test_another_day_name_in_a_copy_published_a_day_later_is_still_flagged():
    first = ARTICLE.format(day="Wednesday")
    second = ARTICLE.format(day="Friday")
    assert _date_flags(first, second, ("2013-01-16", "2013-01-17"))


def test_the_same_day_name_a_week_later_is_another_day():
    text = "Mr. Weiner said on Monday that his account had been infiltrated by a hacker."
    assert _date_flags(text, text, ("2024-10-23", "2024-10-30"))


def test_another_day_name_is_flagged_where_neither_verb_shows_a_tense():
    """'began to read … on Thursday morning' / '… on Saturday morning' in a copy out two
    days later: each weekday is read without confidence from its own publication date,
    but two day names are two days."""
    text = "Members of the House began to read the Constitution aloud from the floor on {} morning."
    published = ("2011-01-06", "2011-01-08")
    assert _date_flags(text.format("Thursday"), text.format("Saturday"), published)
    assert _date_flags(text.format("Thursday"), text.format("Thursday"), published) == []
    assert _date_flags(text.format("Thursday"), text.format("Thursday"), ("2011-01-06",) * 2) == []


def _linked_date_flags(first: str, second: str, published: tuple[str, str]) -> list:
    from newstrace.facts import compare_facts
    from newstrace.model import Document, ReuseLink, Story

    documents = [
        Document(id="a", origin="a", text=first, published=published[0]),
        Document(id="b", origin="b", text=second, published=published[1]),
    ]
    link = ReuseLink(derived="b", origin="a", directed=True, kind="rewrite", score=0.9)
    story = Story(id="s", title="t", documents=["a", "b"], reuse=[link])
    compare_facts(documents, [story])
    return [f for f in story.facts if f.kind == "date" and f.verdict in FLAGS]


STRIKE_TALKS = (
    "Union leaders met the port's owners {} to discuss the strike, the union said.\n"
    "The talks will continue next month."
)


def test_a_linked_copy_keeping_today_word_for_word_a_day_later_changed_nothing():
    """A copy out a day later (after midnight, another time zone) that keeps the
    origin's "today" or "yesterday" kept the origin's words: no change. Other words
    for another day are still a change, and independent articles still conflict."""
    published = ("2024-10-21", "2024-10-22")
    for words in ("today", "yesterday", "this morning"):
        text = STRIKE_TALKS.format(words)
        assert _linked_date_flags(text, text, published) == [], words
    changed = _linked_date_flags(
        STRIKE_TALKS.format("yesterday"), STRIKE_TALKS.format("on Monday"), published
    )
    assert changed
    text = STRIKE_TALKS.format("today")
    assert _date_flags(text, text, published)
