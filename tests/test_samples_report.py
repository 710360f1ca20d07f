"""A report built by hand from the sample corpus and its ground truth (samples/truth.json).

The report views (terminal, Markdown, JSON) must show reuse links and flagged
facts correctly before the analysis stages find them on their own, so this
module assembles the report those stages should produce for the ferry-fire
story: real article text, spans located in it, the verdicts the ground truth
records. Other test modules import :func:`truth_report`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from newstrace.model import Document, Fact, Passage, Report, ReuseLink, Skipped, Statement, Story
from newstrace.report import validate_report

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@lru_cache(maxsize=1)
def truth() -> dict:
    return json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def analyzed_samples() -> Report:
    """The whole pipeline run once per test session on samples/articles (treat it as read-only)."""
    import newstrace

    return newstrace.analyze([SAMPLES / "articles"])


def article(key: str) -> dict:
    return next(a for a in truth()["articles"] if a["key"] == key)


def article_text(key: str) -> str:
    """The article body as written, read straight from its file (not through newstrace)."""
    entry = article(key)
    path = SAMPLES / entry["file"]
    if entry["format"] == "text":
        text = path.read_text(encoding="utf-8")
        if entry["front_matter"]:
            text = text.split("\n---\n", 1)[1]
        return text.split("\n", 1)[1].strip() + "\n"  # without the headline
    if entry["format"] == "jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["id"] == entry["record"]:
                return record.get("text") or _html_text(record["html"])
    if entry["format"] == "rss":
        import feedparser

        feed = feedparser.parse(str(path))
        item = next(e for e in feed.entries if e.get("id") == entry["record"])
        return _html_text(item.content[0].value)
    if entry["format"] == "html":
        return _html_text(path.read_text(encoding="utf-8"))
    raise ValueError(entry["format"])


def _html_text(markup: str) -> str:
    import trafilatura

    return trafilatura.extract(markup, include_comments=False) or ""


def _doc(n: int, key: str) -> Document:
    entry = article(key)
    return Document(
        id=f"d{n}",
        origin=entry["file"] + (f"#{entry['record']}" if entry["record"] else ""),
        text=article_text(key),
        source=entry["outlet"],
        url=entry["url"],
        title=entry["title"],
        published=entry["published"],
    )


def _statement(doc: Document, text: str, value=None) -> Statement:
    start = doc.text.find(text)
    assert start >= 0, f"{text!r} not in {doc.id}"
    return Statement(doc.id, (start, start + len(text)), text, value)


def truth_report() -> Report:
    """Wire, rewrite and independent report as one story; the pier 4 fire as another; one skip."""
    wire, rewrite, independent, pier4 = (
        _doc(1, "wire"),
        _doc(2, "coastline"),
        _doc(3, "veyra"),
        _doc(4, "pier4"),
    )
    quote, number = truth()["altered"]
    conflict = truth()["conflicts"][0]
    varga = truth()["agree"][0]["text"]
    fire = Story(
        id="s1",
        title=wire.title,
        documents=[wire.id, rewrite.id, independent.id],
        first_published=wire.published,
        last_published=rewrite.published,
    )
    passage = Passage(
        derived=_statement(rewrite, varga).span, origin=_statement(wire, varga).span, similarity=1.0
    )
    fire.reuse.append(
        ReuseLink(
            derived=rewrite.id,
            origin=wire.id,
            directed=True,
            kind="rewrite",
            score=0.62,
            passages=[passage],
            why="paraphrased sentence by sentence, in the same order",
        )
    )
    fire.facts = [
        Fact(
            "f1",
            "quote",
            "Mirela Dunne",
            "altered",
            [_statement(wire, quote["origin_text"]), _statement(rewrite, quote["derived_text"])],
            explanation="the rewrite changed the words inside the quotation marks",
        ),
        Fact(
            "f2",
            "quantity",
            number["subject"],
            "altered",
            [
                _statement(wire, number["origin_text"], 27),
                _statement(rewrite, number["derived_text"], 37),
            ],
            explanation="27 became 37 in a derived copy",
        ),
        Fact(
            "f3",
            "quantity",
            conflict["subject"],
            "conflict",
            [
                _statement(wire if s["doc"] == "wire" else independent, s["text"], s["value"])
                for s in conflict["statements"]
            ],
            explanation="4 vs 5 in articles written independently",
        ),
        Fact(
            "f4",
            "quote",
            "Tomas Varga",
            "agree",
            [_statement(d, varga) for d in (wire, rewrite, independent)],
        ),
    ]
    earlier = Story(
        id="s2",
        title=pier4.title,
        documents=[pier4.id],
        first_published=pier4.published,
        last_published=pier4.published,
    )
    for doc, story in ((wire, fire), (rewrite, fire), (independent, fire), (pier4, earlier)):
        doc.story = story.id
    skipped = [Skipped("samples/broken.jsonl", "line 2: not valid JSON (Expecting value)")]
    return Report(
        documents=[wire, rewrite, independent, pier4], skipped=skipped, stories=[fire, earlier]
    )


def test_hand_built_report_keeps_the_contract():
    validate_report(truth_report().to_dict())
