"""newstrace.clean_html: the article body of a page, furniture and comments out, paragraphs kept."""

import sys
from pathlib import Path

import pytest

from newstrace import clean_html
from newstrace.clean import clean_documents
from newstrace.model import Document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

from clean_pages import TEMPLATES, generate_pages  # noqa: E402

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def pages():
    return generate_pages(6)


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_every_template_yields_the_article_paragraphs_one_per_line(pages):
    assert {page.template for page in pages} == set(TEMPLATES)
    for page in pages:
        body = _lines(clean_html(page.html))
        for paragraph in _lines(page.body):
            assert paragraph in body, (page.template, paragraph)


def test_comments_teasers_and_prompts_are_left_out(pages):
    for page in pages:
        body = clean_html(page.html)
        for furniture in (
            "Leave a Reply",
            "Your email address will not be published",
            "thanks for sharing this with us",
            "Share this article",
            "Sign up for our newsletter",
            "READ MORE:",
            "We use cookies",
            "About Author",
            "Written By",
            "Click to comment",
        ):
            assert furniture not in body, (page.template, furniture)


def test_headline_appears_at_most_once(pages):
    for page in pages:
        assert _lines(clean_html(page.html)).count(page.headline) <= 1


def test_sample_page_keeps_its_article_and_drops_its_furniture():
    page = (ROOT / "samples" / "articles" / "04_harbour_herald.html").read_text(encoding="utf-8")
    body = clean_html(page, url="https://harbourherald.example/ferry")
    assert "A fire broke out in the engine room of a passenger ferry" in body
    assert (
        "“The crew closed the fire doors early, and that bought us the time we needed,” said Deputy Fire Chief"
        in body
    )
    assert "cookie" not in body.lower()


def test_clean_documents_records_removals_for_html():
    html = (
        "<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        "<p>The port of Calderport was closed on Monday after a storm damaged two cranes, officials said.</p>"
        "<p>Ships were diverted to Halvik while engineers inspected the quay walls and the harbour entrance.</p>"
        "<p>READ MORE: Ferry operator cancels winter timetable</p>"
        "<p>Repairs are expected to take at least a week, the harbour authority said in a statement.</p>"
        "<p>Sign up for our newsletter to get the day's news in your inbox.</p></article></body></html>"
    )
    doc = Document(
        id="d1", origin="page.html", raw=html, raw_kind="html", title="Storm closes port"
    )
    clean_documents([doc])
    assert "Repairs are expected to take at least a week" in doc.text
    removed = {r.text: r.reason for r in doc.removed}
    assert "READ MORE: Ferry operator cancels winter timetable" in removed
    assert (
        removed.get("Sign up for our newsletter to get the day's news in your inbox.")
        == "call to action"
    )
    assert "READ MORE" not in doc.text


@pytest.mark.parametrize(
    "page", ["", "<html></html>", "plain words", "\x00\x01\x02", "<div>" * 2000]
)
def test_pages_without_an_article_give_empty_text_not_an_error(page):
    assert isinstance(clean_html(page), str)
