"""Reuse tracing on real articles: the seeds, and derived copies of ECB+ articles."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED

from newstrace.clean import clean_documents
from newstrace.ingest import read_inputs
from newstrace.model import Document, Skipped
from newstrace.report import validate_report
from newstrace.reuse import trace_reuse
from newstrace.reuse.corpus import reuse_view
from newstrace.stories import group_stories

SEEDS = SHARED / "seeds"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

from make_reuse_copies import derive, read_ecb  # noqa: E402

pytestmark = pytest.mark.shared


def _seed_docs() -> list[Document]:
    docs = [d for d in read_inputs([SEEDS]) if not isinstance(d, Skipped)]
    return clean_documents(docs)


def _seed_number(doc: Document) -> str:
    return Path(doc.origin).name[:3]


@pytest.fixture(scope="module")
def seeds():
    docs = _seed_docs()
    stories = group_stories(docs)
    trace_reuse(docs, stories)
    return docs, stories


def _links(stories):
    return [link for story in stories for link in story.reuse]


def test_seed_rewrites_of_one_original_are_linked_and_nothing_else(seeds):
    docs, stories = seeds
    number = {d.id: _seed_number(d) for d in docs}
    pairs = {
        frozenset((number[link.derived], number[link.origin])): link for link in _links(stories)
    }
    assert set(pairs) == {frozenset(("001", "002"))}
    link = pairs[frozenset(("001", "002"))]
    assert link.kind in ("shared_source", "rewrite")
    assert link.score > 0.5 and link.why


def test_seed_link_passages_point_at_matching_sentences(seeds):
    docs, stories = seeds
    text = {d.id: d.text for d in docs}
    (link,) = _links(stories)
    assert len(link.passages) >= 10
    for passage in link.passages:
        derived = text[link.derived][slice(*passage.derived)]
        origin = text[link.origin][slice(*passage.origin)]
        assert derived.strip() and origin.strip()
        assert 0.7 < passage.similarity <= 1.0
    derived_starts = [p.derived[0] for p in link.passages]
    assert derived_starts == sorted(derived_starts)


def test_linked_seed_documents_share_one_story_and_report_is_valid(seeds):
    from newstrace.model import Report

    docs, stories = seeds
    (link,) = _links(stories)
    by_id = {d.id: d for d in docs}
    assert by_id[link.derived].story == by_id[link.origin].story
    validate_report(Report(documents=docs, stories=stories).to_dict())


@pytest.fixture(scope="module")
def ecb_copies():
    """Four real ECB+ articles of different stories, each with a later derived copy."""
    rng = random.Random(3)
    articles = [a for a in read_ecb() if len(a[2].split("\n")) >= 5]
    chosen, stories_seen = [], set()
    for article in rng.sample(articles, len(articles)):
        if article[3] not in stories_seen:
            chosen.append(article)
            stories_seen.add(article[3])
        if len(chosen) == 4:
            break
    docs, truth = [], {}
    for n, (doc_id, title, body, _) in enumerate(chosen):
        docs.append(
            Document(
                id=doc_id,
                origin=doc_id,
                text=body,
                title=title,
                published=f"2013-03-0{n + 1}T08:00:00",
            )
        )
        kind = ("verbatim", "light", "paraphrase", "paraphrase")[n]
        copy_id = f"{doc_id}-{kind}"
        docs.append(
            Document(
                id=copy_id,
                origin=copy_id,
                text=derive(body, kind, rng),
                title=title,
                published=f"2013-03-0{n + 1}T15:30:00",
            )
        )
        truth[copy_id] = doc_id
    stories = group_stories(docs)
    trace_reuse(docs, stories)
    return docs, stories, truth


def test_every_ecb_copy_is_linked_to_its_original_with_direction(ecb_copies):
    _docs, stories, truth = ecb_copies
    links = {(link.derived, link.origin): link for link in _links(stories)}
    for copy_id, original in truth.items():
        link = links.get((copy_id, original))
        assert link is not None, f"{copy_id} not linked to {original}"
        assert link.directed and "later" in link.why
    assert len(links) == len(truth), "copies of different stories must not be linked"


def test_copy_kinds_follow_the_edit(ecb_copies):
    _docs, stories, truth = ecb_copies
    kind = {link.derived: link.kind for link in _links(stories)}
    verbatim = next(c for c in truth if c.endswith("-verbatim"))
    light = next(c for c in truth if c.endswith("-light"))
    assert kind[verbatim] in ("duplicate", "near_copy")
    assert kind[light] == "near_copy"
    assert all(kind[c] in ("rewrite", "near_copy") for c in truth if c.endswith("-paraphrase"))


def test_exact_duplicate_is_kind_duplicate_with_full_score():
    body = next(a[2] for a in read_ecb() if len(a[2]) > 800)
    docs = [
        Document(id="a", origin="a", text=body, published="2013-01-01"),
        Document(id="b", origin="b", text=body.replace("\n", "\n\n"), published="2013-01-02"),
    ]
    stories = group_stories(docs)
    trace_reuse(docs, stories)
    (link,) = _links(stories)
    assert (link.kind, link.derived, link.origin, link.directed) == ("duplicate", "b", "a", True)
    assert link.score == pytest.approx(1.0)


def test_corpus_view_counts_outlet_reuse(ecb_copies):
    from newstrace.model import Report

    docs, stories, truth = ecb_copies
    for doc in docs:
        doc.source = "copier.example" if doc.id in truth else "agency.example"
    view = reuse_view(Report(documents=docs, stories=stories))
    outlets = {row["outlet"]: row for row in view["outlets"]}
    assert outlets["copier.example"]["reused_share"] > 0.5
    assert outlets["agency.example"]["reused_share"] == 0
    assert outlets["agency.example"]["reused_by"][0]["copies"] == len(truth)
    assert sum(len(row["copies"]) for row in view["origins"]) == len(truth)


def test_reuse_command_writes_json_and_prints_table(tmp_path):
    out = tmp_path / "reuse.json"
    result = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "reuse", str(SEEDS), "--json", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    view = json.loads(out.read_text())
    assert view["documents"] == 5 and view["links"] == 1
    sharing = [row["outlet"] for row in view["outlets"] if row["shares_text_with"]]
    assert sorted(name[:3] for name in sharing) == ["001", "002"]
    assert "Outlets" in result.stdout


def test_reuse_command_names_a_missing_input(tmp_path):
    missing = tmp_path / "nope.txt"
    result = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "reuse", str(missing)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr


def test_sample_corpus_reuse_matches_its_ground_truth():
    """samples/: three copies and a rewrite of one wire story; an independent report is not linked."""
    from newstrace.pipeline import analyze

    root = Path(__file__).resolve().parents[1] / "samples"
    truth = json.loads((root / "truth.json").read_text())
    report = analyze([root / "articles"], facts=False)
    key_of = {}
    for article in truth["articles"]:
        for doc in report.documents:
            same_file = doc.origin.split("#")[0].endswith(article["file"].removeprefix("articles/"))
            if same_file and (
                article["record"] is None or doc.origin.endswith("#" + article["record"])
            ):
                key_of[doc.id] = article["key"]
    found = {
        (key_of[link.derived], key_of[link.origin], link.directed)
        for story in report.stories
        for link in story.reuse
    }
    expected = {(link["derived"], link["origin"], True) for link in truth["reuse"]}
    assert found == expected


def test_undated_copy_that_drops_sentences_points_at_the_fuller_text():
    body = next(a[2] for a in read_ecb() if len(a[2].split("\n")) >= 8 and len(a[2]) > 1500)
    paragraphs = body.split("\n")
    shortened = "\n".join(paragraphs[:3] + paragraphs[5:])
    docs = [
        Document(id="copy", origin="copy", text=shortened),
        Document(id="full", origin="full", text=body),
    ]
    stories = group_stories(docs)
    trace_reuse(docs, stories)
    (link,) = _links(stories)
    assert (link.derived, link.origin, link.directed) == ("copy", "full", True)
    assert "contained" in link.why


def test_a_link_between_two_stories_merges_them():
    from newstrace.model import Report, Story

    body = next(a[2] for a in read_ecb() if len(a[2]) > 1200)
    docs = [
        Document(id="a", origin="a", text=body, published="2013-05-01T10:00:00", story="s1"),
        Document(
            id="b",
            origin="b",
            text=derive(body, "light", random.Random(5)),
            published="2013-05-01T12:00:00",
            story="s2",
        ),
    ]
    stories = [
        Story(id="s1", title="a", documents=["a"]),
        Story(id="s2", title="b", documents=["b"]),
    ]
    trace_reuse(docs, stories)
    assert [s.id for s in stories] == ["s1"] and stories[0].documents == ["a", "b"]
    assert docs[1].story == "s1" and "merged" in stories[0].reuse[0].why
    validate_report(Report(documents=docs, stories=stories).to_dict())
