"""The sample corpus's known changes (samples/truth.json): read, cleaned, lined up, judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.clean import clean_documents
from newstrace.facts import compare_facts
from newstrace.ingest import read_inputs
from newstrace.model import Document, ReuseLink, Story

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FLAGS = {"altered", "conflict"}


@pytest.fixture(scope="module")
def judged():
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    documents = clean_documents(
        [d for d in read_inputs([SAMPLES / "articles"]) if isinstance(d, Document)]
    )
    by_origin = {}
    for article in truth["articles"]:
        target = article["file"] + (f"#{article['record']}" if article.get("record") else "")
        match = next(d for d in documents if d.origin.endswith(target.replace("articles/", "")))
        by_origin[article["key"]] = match
    ferry = [by_origin[a["key"]] for a in truth["articles"] if a["event"] == "ferry-fire"]
    reuse = [
        ReuseLink(
            derived=by_origin[r["derived"]].id,
            origin=by_origin[r["origin"]].id,
            directed=True,
            kind=r["kind"],
            score=0.9,
        )
        for r in truth["reuse"]
    ]
    story = Story(id="ferry", title="ferry fire", documents=[d.id for d in ferry], reuse=reuse)
    compare_facts(ferry, [story])
    return truth, by_origin, story


def test_every_recorded_alteration_is_flagged(judged):
    truth, docs, story = judged
    for change in truth["altered"]:
        derived, origin = docs[change["derived"]].id, docs[change["origin"]].id
        found = [
            f
            for f in story.facts
            if f.verdict == "altered"
            and f.kind == change["kind"]
            and any(
                s.doc == derived and change["derived_text"][:20] in s.text for s in f.statements
            )
            and any(s.doc == origin for s in f.statements)
        ]
        assert found, change


def test_the_independent_report_conflict_is_flagged(judged):
    truth, docs, story = judged
    for conflict in truth["conflicts"]:
        found = [
            f
            for f in story.facts
            if f.verdict == "conflict"
            and f.kind == conflict["kind"]
            and all(
                any(s.doc == docs[st["doc"]].id and st["text"][:15] in s.text for s in f.statements)
                for st in conflict["statements"]
            )
        ]
        assert found, conflict


def test_nothing_else_is_flagged(judged):
    truth, _, story = judged
    flagged = [f for f in story.facts if f.verdict in FLAGS]
    assert len(flagged) == len(truth["altered"]) + len(truth["conflicts"]), [
        f.explanation for f in flagged
    ]
