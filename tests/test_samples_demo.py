"""The whole pipeline on the sample corpus finds what the demo is meant to show.

Checked against samples/truth.json, not against document ids: documents are
matched to the ground truth by URL, or by file name for bare text.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from test_samples_report import SAMPLES, analyzed_samples, truth

from newstrace.report import validate_report
from newstrace.report.markdown import story_markdown
from newstrace.report.terminal import print_story, print_summary

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report():
    return analyzed_samples()


@pytest.fixture(scope="module")
def ids(report) -> dict[str, str]:
    """Ground-truth key → document id in the report."""
    found = {}
    for entry in truth()["articles"]:
        matches = [
            d.id
            for d in report.documents
            if d.url == entry["url"] or (not entry["record"] and d.origin.endswith(entry["file"]))
        ]
        assert len(matches) == 1, entry["key"]
        found[entry["key"]] = matches[0]
    return found


def _story_of(report, doc_id):
    return next(s for s in report.stories if doc_id in s.documents)


def test_report_keeps_the_contract(report):
    validate_report(report.to_dict())
    assert not report.skipped


def test_the_six_versions_are_one_story_and_the_earlier_fire_is_another(report, ids):
    fire = [ids[a["key"]] for a in truth()["articles"] if a["event"] == "ferry-fire"]
    story = _story_of(report, fire[0])
    assert sorted(story.documents) == sorted(fire)
    assert _story_of(report, ids["pier4"]) is not story


def test_the_rewrite_is_linked_to_the_wire_and_the_independent_report_to_nothing(report, ids):
    story = _story_of(report, ids["wire"])
    pairs = {frozenset((link.derived, link.origin)) for link in story.reuse}
    assert frozenset((ids["coastline"], ids["wire"])) in pairs
    assert not any(ids["veyra"] in pair for pair in pairs)


def test_the_altered_quotation_is_flagged_and_shown_in_every_view(report, ids):
    change = next(c for c in truth()["altered"] if c["kind"] == "quote")
    story = _story_of(report, ids["wire"])
    fact = next(
        f
        for f in story.facts
        if f.kind == "quote" and any(change["derived_text"] in st.text for st in f.statements)
    )
    assert fact.verdict == "altered"
    assert {ids["wire"], ids["coastline"]} <= {st.doc for st in fact.statements}
    console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    print_summary(report, console)
    print_story(report, story.id, console)
    shown = " ".join(console.export_text().split())
    markdown = (
        " ".join(story_markdown(report, story.id).split()).replace("**", "").replace("\\", "")
    )
    for view in (shown, markdown):
        assert change["origin_text"] in view and change["derived_text"] in view


def test_the_summary_is_the_same_in_another_process(report):
    """Same input, another process and hash seed: the same summary, byte for byte, at a fixed width."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "100", "PYTHONHASHSEED": "4242", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "analyze", str(SAMPLES / "articles")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    print_summary(report, console)
    assert result.stdout == console.export_text()
