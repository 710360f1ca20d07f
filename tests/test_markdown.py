"""Markdown export: a story dossier or the whole report, safe to paste into a ticket."""

from __future__ import annotations

import html
import io

import pytest
from markdown_it import MarkdownIt
from test_samples_report import SAMPLES, truth, truth_report

from newstrace.report.markdown import escape_markdown, report_markdown, story_markdown

# CommonMark plus the GitHub extensions newsroom trackers render (tables, strikethrough).
RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

NASTY = [
    "# Not a heading",
    "1. not a list",
    "2025) not a list either",
    "- dash",
    "+ plus",
    "> not a quote",
    "---",
    "===",
    "**not bold** and _not italic_ and foo_bar_baz",
    "[click me](javascript:alert(1))",
    "![pixel](http://t.example/p.gif)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a | b | c",
    "&amp; &#39; &copy;",
    "~~not struck~~",
    "`not code`",
    "back\\slash and \\*",
    "AT&T says 5 * 3 = 15 <- fine",
    "<https://autolink.example>",
    "line one\nline two\n\n# three",
]


@pytest.mark.parametrize("text", NASTY)
def test_escaped_text_renders_exactly_as_written(text):
    rendered = RENDERER.render(escape_markdown(text))
    assert rendered == f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>\n"


def test_escaping_leaves_ordinary_prose_readable():
    prose = "Twenty-seven people were treated, Okafor-Lund said on Tuesday."
    assert escape_markdown(prose) == prose


def _rendered_story(report, story_id="s1") -> str:
    return RENDERER.render(story_markdown(report, story_id))


def test_story_with_an_altered_quote_shows_both_versions():
    md = story_markdown(truth_report(), "s1").replace("**", "")  # changed words are in bold
    quote = truth()["altered"][0]
    assert f"(Meridian Wire): “{quote['origin_text']}”" in md
    assert f"(Coastline Today): “{quote['derived_text']}”" in md
    altered = md.index("#### Altered by a copy (2)")
    assert altered < md.index(quote["origin_text"]) < md.index("#### In conflict (1)")


def test_story_has_header_article_table_links_and_verdict_sections():
    md = story_markdown(truth_report(), "s1")
    lines = md.splitlines()
    assert lines[0] == "## " + escape_markdown(truth()["articles"][0]["title"])
    assert "3 articles · 3 outlets: Coastline Today, Meridian Wire, The Veyra Observer" in md
    assert (
        "- `d2` (Coastline Today) is a **rewrite** of `d1` (Meridian Wire), score 0.62, 1 aligned passage"
        in md
    )
    assert [line for line in lines if line.startswith("#### ")] == [
        "#### Altered by a copy (2)",
        "#### In conflict (1)",
        "#### Agreed (1)",
    ]
    rendered = _rendered_story(truth_report())
    assert rendered.count("<tr>") == 4  # header + three articles
    assert (
        'href="https://veyraobserver.example/2025/03/11/calderport-ferry-fire-minister-orders-checks"'
        in rendered
    )


def test_hostile_article_text_cannot_inject_markup():
    report = truth_report()
    report.stories[0].title = "# Owned <script>alert(1)</script>"
    report.documents[0].source = "Evil | Outlet"
    report.documents[0].title = "[x](javascript:alert(1))"
    report.stories[0].facts[0].statements[
        0
    ].text = "**bold** <img src=x onerror=alert(1)>\n\n# heading"
    rendered = _rendered_story(report)
    assert "<script>" not in rendered and "<img" not in rendered
    assert "javascript:" not in rendered.replace("[x](javascript:alert(1))", "")
    assert "<h1>" not in rendered and "<strong>bold</strong>" not in rendered
    assert rendered.count("<tr>") == 4  # the | in the outlet name did not add a cell row
    assert "Evil | Outlet" in rendered


def test_statements_that_carry_their_own_quotation_marks_are_not_quoted_twice():
    report = truth_report()
    statement = report.stories[0].facts[0].statements[0]
    statement.text = "\u201cThe crew closed the fire doors early,\u201d said Dunne."
    md = story_markdown(report, "s1")
    assert "(Meridian Wire): \u201cThe crew closed the fire doors early,\u201d said Dunne." in md
    assert "\u201c\u201c" not in md


def test_dates_read_as_days_and_minutes():
    md = story_markdown(truth_report(), "s1")
    assert "· 2025-03-11 – 2025-03-12 ·" in md
    assert "| 2025-03-11 17:05 |" in md


def test_url_that_is_not_http_is_not_linked():
    report = truth_report()
    report.documents[0].url = "javascript:alert(1)"
    assert "javascript" not in _rendered_story(report)


def test_whole_report_lists_skips_and_every_story():
    md = report_markdown(truth_report())
    assert md.startswith(
        "# newstrace report\n\n4 articles in 2 stories, 1 reuse link, 3 flagged facts."
    )
    assert (
        "## Skipped inputs\n\n- `samples/broken.jsonl`: line 2: not valid JSON (Expecting value)"
        in md
    )
    assert md.count("\n## ") == 3  # skipped inputs + two stories
    assert md.index(truth()["articles"][0]["title"][:20]) < md.index(
        "Two crew hurt"
    )  # bigger story first
    assert "No reuse found between these articles." in md and "No facts extracted." in md


def test_markdown_is_deterministic():
    assert report_markdown(truth_report()) == report_markdown(truth_report())


def test_words_a_copy_changed_are_in_bold_and_the_rest_is_not():
    rendered = _rendered_story(truth_report())
    derived = next(line for line in rendered.splitlines() if "sealed" in line)
    assert [
        w
        for w in ("sealed", "quickly", "gave", "to save the ship")
        if f"<strong>{w}</strong>" in derived
    ] == ["sealed", "quickly", "gave", "to save the ship"]
    assert derived.count("<strong>") == 4
    original = next(line for line in rendered.splitlines() if "closed the fire doors" in line)
    assert "<strong>" not in original
    number = next(
        line
        for line in rendered.splitlines()
        if "37 people" in line or "<strong>37</strong>" in line
    )
    assert "<strong>37</strong>" in number


def test_the_majority_wording_is_the_reference():
    report = truth_report()
    fact = report.stories[0].facts[0]
    wire, rewrite = fact.statements
    fact.statements = [rewrite, wire, wire]  # two documents agree on the wire's words
    md = story_markdown(report, "s1")
    assert "**sealed**" in md and "**closed**" not in md


def test_marking_changes_cannot_inject_markup():
    report = truth_report()
    fact = report.stories[0].facts[0]
    wire = report.document(fact.statements[1].doc).text
    hostile = "The crew closed the fire doors <img src=x onerror=alert(1)> early, and that bought us **the** time"
    fact.statements[1].text = hostile
    rendered = _rendered_story(report)
    line = next(line for line in rendered.splitlines() if "onerror" in line)
    assert "<img" not in line and "&lt;img src=x onerror=alert(1)&gt;" in line
    assert "<strong>**the**</strong>" in line or "**the**" in line
    assert wire  # the document text itself is untouched


def test_a_different_sentence_is_not_marked_word_by_word():
    report = truth_report()
    fact = report.stories[0].facts[0]
    fact.statements[
        1
    ].text = "Officials declined to comment on the cause of the blaze until investigators report."
    md = story_markdown(report, "s1")
    line = next(line for line in md.splitlines() if "Officials declined" in line)
    assert "**" not in line


def test_analyze_writes_the_markdown_report(tmp_path):
    from typer.testing import CliRunner

    from newstrace.cli import app

    out = tmp_path / "report.md"
    article = SAMPLES / truth()["articles"][6]["file"]
    result = CliRunner().invoke(
        app, ["analyze", str(article), str(tmp_path / "missing.txt"), "--markdown", str(out)]
    )
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# newstrace report\n\n1 article in 1 story")
    assert "## Skipped inputs" in md and "missing.txt" in md
    assert (
        "## Two crew hurt as fire breaks out in galley of cargo ship at Calderport's Pier 4" in md
    )


def test_the_report_written_line_by_line_is_the_joined_text():
    """write_markdown holds back trailing blank lines as the joined text's rstrip drops them."""
    from newstrace.model import Report, Story
    from newstrace.report.markdown import _report_lines, write_markdown

    empty_last = truth_report()
    empty_last.stories.append(Story(id="s9", title="   ", documents=[]))
    for report in (truth_report(), empty_last, Report()):
        out = io.StringIO()
        write_markdown(report, out)
        joined = "\n".join(_report_lines(report)).rstrip() + "\n"
        assert out.getvalue() == joined == report_markdown(report)
