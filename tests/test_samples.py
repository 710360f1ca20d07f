"""The sample corpus says what its ground truth (samples/truth.json) says it does.

These read the sample files directly, not through newstrace, so a broken
edit to an article or to truth.json shows up here, not as a puzzling failure
in a stage's tests.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import SEEDS
from test_samples_report import SAMPLES, article, article_text, truth

import newstrace

ARTICLES = SAMPLES / "articles"
KEYS = [a["key"] for a in truth()["articles"]]


def _flat(text: str) -> str:
    """Straight quotes and apostrophes, single spaces: typography must not hide a match."""
    text = (
        text.replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2019", "'")
        .replace("\u2018", "'")
    )
    return " ".join(text.split())


def _contains(key: str, snippet: str) -> bool:
    return _flat(snippet) in _flat(article_text(key))


def test_front_matter_agrees_with_the_truth():
    for entry in truth()["articles"]:
        if entry["format"] != "text":
            continue
        text = (SAMPLES / entry["file"]).read_text(encoding="utf-8")
        assert text.startswith("---\n") == entry["front_matter"], entry["file"]
        if entry["front_matter"]:
            block, body = text[4:].split("\n---\n", 1)
            assert block.splitlines() == [
                f"source: {entry['outlet']}",
                f"url: {entry['url']}",
                f"date: {entry['published']}",
            ]
        else:
            body = text
        assert body.splitlines()[0] == entry["title"]


@pytest.fixture(scope="module")
def grouped():
    """The samples read, cleaned and grouped (no reuse or facts: those stages test themselves)."""
    return newstrace.analyze([ARTICLES], reuse=False, facts=False)


def test_the_pipeline_keeps_the_metadata_of_every_version(grouped):
    report = grouped
    for entry in truth()["articles"]:
        if entry["format"] == "text" and not entry["front_matter"]:
            continue
        doc = next(d for d in report.documents if d.url == entry["url"])
        assert doc.source == entry["outlet"]
        assert doc.published[:10] == entry["published"][:10]
        assert doc.title == entry["title"]


def test_every_article_file_is_described_in_the_truth():
    described = {a["file"] for a in truth()["articles"]}
    on_disk = {str(p.relative_to(SAMPLES)) for p in ARTICLES.iterdir() if p.is_file()}
    assert described == on_disk


@pytest.mark.parametrize("key", KEYS)
def test_article_is_realistic_in_length(key):
    words = len(article_text(key).split())
    assert 280 <= words <= 620, f"{key}: {words} words"


def test_each_version_has_its_own_outlet_url_and_date():
    fire = [a for a in truth()["articles"] if a["event"] == "ferry-fire"]
    assert len(fire) == 6
    for field in ("outlet", "url", "published"):
        assert len({a[field] for a in fire}) == len(fire), field
    assert len({a["url"] for a in truth()["articles"]}) == len(truth()["articles"])


def test_the_original_is_published_first():
    fire = [a for a in truth()["articles"] if a["event"] == "ferry-fire"]
    first = min(fire, key=lambda a: dt.datetime.fromisoformat(a["published"]))
    assert first["role"] == "original"
    for link in truth()["reuse"]:
        origin, derived = article(link["origin"]), article(link["derived"])
        assert dt.datetime.fromisoformat(origin["published"]) < dt.datetime.fromisoformat(
            derived["published"]
        )


def test_the_similar_event_is_earlier_and_shares_place_and_officials():
    wire, pier4 = article_text("wire"), article_text("pier4")
    assert article("pier4")["event"] != article("wire")["event"]
    assert article("pier4")["published"] < article("wire")["published"]
    for shared in ("Calderport", "Okafor-Lund", "Mirela Dunne", "St. Aldric's Hospital"):
        assert shared in wire and shared in pier4


def test_the_wire_has_what_fact_extraction_needs():
    wire = article_text("wire")
    assert "CALDERPORT, March 11 (Meridian Wire)" in wire
    assert (
        len(re.findall(r'"[^"]+," (?:[A-Z][\w-]+ )*[A-Z][\w-]+ (?:said|told)|said [A-Z]', wire))
        >= 2
    )
    assert {"Tuesday", "Thursday"} <= set(re.findall(r"\b\w+day\b", wire))
    assert (
        dt.date.fromisoformat(truth()["events"]["ferry-fire"]["date"]).strftime("%A") == "Tuesday"
    )
    for qualified in ("More than 60", "about 140", "nearly three hours", "up to 600"):
        assert qualified in wire


@pytest.mark.parametrize("change", truth()["altered"], ids=lambda c: c["kind"])
def test_alterations_are_real_and_only_in_the_rewrite(change):
    assert _contains(change["origin"], change["origin_text"])
    assert not _contains(change["origin"], change["derived_text"])
    assert _contains(change["derived"], change["derived_text"])
    assert not _contains(change["derived"], change["origin_text"])
    other_copies = [
        link["derived"] for link in truth()["reuse"] if link["derived"] != change["derived"]
    ]
    assert not any(_contains(key, change["derived_text"]) for key in other_copies)


def test_conflicting_statements_and_shared_quotes_are_where_the_truth_says():
    for conflict in truth()["conflicts"]:
        for st in conflict["statements"]:
            assert _contains(st["doc"], st["text"])
    for agreed in truth()["agree"]:
        for key in KEYS:
            assert _contains(key, agreed["text"]) == (key in agreed["docs"]), (agreed["text"], key)


def test_harmless_differences_are_present_as_described():
    for case in truth()["not_flagged"]:
        assert _contains(case["origin"], case["origin_text"])
        if case["derived_text"] is None:
            assert not _contains(case["doc"], case["origin_text"])
        else:
            assert _contains(case["doc"], case["derived_text"])


def test_boilerplate_is_in_the_raw_files():
    for key, lines in truth()["boilerplate"].items():
        raw = (
            (SAMPLES / article(key)["file"]).read_text(encoding="utf-8").replace("&copy;", "\u00a9")
        )
        for line in lines:
            assert line in raw, (key, line)


def test_the_independent_report_is_not_a_copy():
    """Apart from the quotation both heard, it shares no run of eight words with the wire."""
    quote = _flat(truth()["agree"][0]["text"]).lower()
    wire = _shingles(_flat(article_text("wire")).lower().replace(quote, " "), 8)
    independent = _shingles(_flat(article_text("veyra")).lower().replace(quote, " "), 8)
    assert not wire & independent


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
def test_no_seed_text_was_copied_into_the_samples():
    seeds = set()
    for path in SEEDS.glob("*.txt"):
        seeds |= _shingles(path.read_text(encoding="utf-8").lower(), 7)
    for path in ARTICLES.iterdir():
        assert not _shingles(path.read_text(encoding="utf-8").lower(), 7) & seeds, path.name


def test_the_pipeline_reads_every_sample_file(grouped):
    report = grouped
    assert report.skipped == []
    for path in ARTICLES.iterdir():
        assert any(path.name in doc.origin for doc in report.documents), path.name


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
