"""Issue 22: nothing a user feeds newstrace stops a run.

A too-long article is cut with a recorded reason and the others are analysed;
a document that one of the per-document steps fails on becomes a skip naming
it, and the batch goes on.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest
from conftest import SEEDS, newstrace

from newstrace.ingest import read_inputs
from newstrace.ingest.names import original_name, pictured, shown_name
from newstrace.model import Document, Skipped
from newstrace.pipeline import analyze
from newstrace.store import Corpus

pytestmark = pytest.mark.shared


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def long_article(path: Path, chars: int, one_line: bool) -> Path:
    """``chars`` characters of seed words in random order (no repeated sentence to clean away)."""
    words = " ".join(p.read_text(encoding="utf-8") for p in seed_files()).split()
    rng = random.Random(22)
    parts, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(40)) + "."
        parts.append(sentence)
        size += len(sentence) + 1
    path.write_text(
        "A very long report\n" + (" " if one_line else "\n\n").join(parts), encoding="utf-8"
    )
    return path


def test_a_5mb_article_is_cut_and_the_others_analysed(tmp_path):
    for seed in seed_files():
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    huge = long_article(tmp_path / "zz_huge.txt", 5_000_000, one_line=True)
    report = analyze([str(tmp_path)], reuse=False)
    origins = {d.origin: d for d in report.documents}
    assert set(origins) == {str(tmp_path / s.name) for s in seed_files()} | {str(huge)}
    assert report.skipped == []
    long_doc = origins[str(huge)]
    assert 50_000 < len(long_doc.text) <= 100_000
    (cut,) = [r for r in long_doc.removed if r.reason.startswith("too long")]
    assert len(long_doc.text) + len(cut.text) >= 4_900_000
    assert all(d.story for d in report.documents)
    assert sum(len(s.documents) for s in report.stories) == len(report.documents)


def poisoned_document(tmp_path: Path, seed: Path, monkeypatch, message: str) -> Path:
    """A copy of ``seed`` whose story features raise ``RuntimeError(message)`` (the extractor
    is patched to fail on any batch holding it), as a document the NLP breaks on."""
    import newstrace.stories.features as features

    bad = tmp_path / "bad.txt"
    bad.write_text(
        "Poison headline\n" + seed.read_text(encoding="utf-8").replace("the", "POISON"),
        encoding="utf-8",
    )
    extract = features.extract

    def failing_extract(documents):
        if any("POISON" in d.text for d in documents):
            raise RuntimeError(message)
        return extract(documents)

    monkeypatch.setattr(features, "extract", failing_extract)
    return bad


def test_a_document_the_nlp_fails_on_is_skipped_and_named(tmp_path, monkeypatch):
    seeds = seed_files()
    bad = poisoned_document(
        tmp_path, seeds[0], monkeypatch, "feature extractor broke\non two lines"
    )
    report = analyze([str(bad), *map(str, seeds)], reuse=False, facts=False)
    assert [d.origin for d in report.documents] == [str(s) for s in seeds]
    assert [(s.origin, s.error) for s in report.skipped] == [
        (str(bad), "analysis failed: RuntimeError: feature extractor broke")
    ]
    assert len(report.stories) >= 1


def test_a_document_the_cleaner_fails_on_is_skipped_and_named(tmp_path, monkeypatch):
    import newstrace.clean.documents as documents

    seeds = seed_files()[:2]
    bad = tmp_path / "bad.txt"
    bad.write_text("Headline\nCLEANER-BOMB in the body of this article.\n", encoding="utf-8")
    clean_one = documents._clean_one

    def failing(doc):
        if "CLEANER-BOMB" in (doc.raw or ""):
            raise ValueError("cleaner exploded")
        return clean_one(doc)

    monkeypatch.setattr(documents, "_clean_one", failing)
    report = analyze([*map(str, seeds), str(bad)], reuse=False, facts=False)
    assert [d.origin for d in report.documents] == [str(s) for s in seeds]
    assert [(s.origin, s.error) for s in report.skipped] == [
        (str(bad), "cleaning failed: ValueError: cleaner exploded")
    ]


@pytest.mark.slow  # the whole pipeline with reuse and facts on a 1.2 MB one-line article
def test_a_one_line_article_over_spacy_limit_does_not_stop_the_run(tmp_path):
    seeds = seed_files()
    huge = long_article(tmp_path / "huge.txt", 1_200_000, one_line=True)
    report = analyze([*map(str, seeds), str(huge)])
    assert len(report.documents) == len(seeds) + 1
    assert report.skipped == []


# --- names as the file system gives them ----------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return newstrace(*args, cwd=cwd, text=False)


@pytest.mark.slow
def test_a_file_name_that_is_not_utf8_survives_into_json_html_and_the_store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seed = seed_files()[0]
    (folder / seed.name).write_bytes(seed.read_bytes())
    odd = os.path.join(os.fsencode(folder), b"latin1_\xe9\xff.txt")
    with open(odd, "wb") as out:
        out.write(seed_files()[1].read_bytes())
    run = run_cli(
        "analyze", str(folder), "--json", "r.json", "--html", "r.html", "-q", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    shown = str(folder / "latin1_\\xe9\\xff.txt")
    assert sorted(d["origin"] for d in report["documents"]) == sorted(
        [str(folder / seed.name), shown]
    )
    assert os.fsencode(original_name(shown)) == odd
    assert "latin1_\\xe9\\xff.txt" in (tmp_path / "r.html").read_text(encoding="utf-8")
    stored = run_cli("ingest", str(folder), "--db", "s.db", cwd=tmp_path)
    assert stored.returncode == 0, stored.stderr
    with Corpus(str(tmp_path / "s.db"), create=False) as corpus:
        assert shown in {d.origin for d in corpus.documents()}


@pytest.mark.slow
def test_control_characters_in_names_never_reach_the_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    seed = seed_files()[0]
    title = "esc_\x1b]0;pwned\x07_\x1b[2J"
    (folder / f"{title}.txt").write_text(
        "Headline \x1b[2J here\n" + seed.read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "empty_\x1b[2J.html").write_text("<html></html>", encoding="utf-8")
    for args in (["analyze", str(folder)], ["analyze", str(folder), "-q"]):
        run = run_cli(*args, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        assert b"\x1b" not in run.stdout + run.stderr
        assert b"\x07" not in run.stdout + run.stderr
    assert b"empty_\\x1b[2J.html" in run.stderr
    cleaned = run_cli("clean", str(folder / f"{title}.txt"), cwd=tmp_path)
    assert cleaned.returncode == 0 and b"\x1b" not in cleaned.stdout


def test_shown_names_round_trip():
    for name in ["plain.txt", "latin1_\udce9\udcff.txt", "esc_\x1b[2J\x07", "bidi_\u202egpj.exe"]:
        shown = shown_name(name)
        assert shown.isprintable() and shown.encode("utf-8")
        assert original_name(shown) == name


# --- feeds with a DOCTYPE, duplicate record ids -----------------------------------------

BODY = (
    "The harbour ferry resumed service on Tuesday after a three-day suspension caused by "
    "the storm, the port authority said. More than 40 crossings were cancelled."
)
RSS_091 = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Wire</title><link>http://oldwire.example/</link>
<description>News</description><language>en-us</language>
<item><title>Harbour ferry resumes after storm</title><link>http://oldwire.example/ferry</link>
<description>{BODY}</description></item></channel></rss>
"""
ATOM_WITH_ENTITIES = f"""<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY xxe SYSTEM "file:///etc/hostname">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><title>Ferry news &lol3;</title><id>urn:1</id><link href="http://atom.example/1"/>
<updated>2025-03-11T10:00:00Z</updated>
<content type="text">{BODY} &lol3; &xxe;</content></entry></feed>
"""


def read_all(*paths: Path):
    items = list(read_inputs([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Document)], [
        i for i in items if isinstance(i, Skipped)
    ]


def test_feeds_with_a_doctype_are_read_and_no_entity_is_expanded(tmp_path):
    rss, atom = tmp_path / "old.rss", tmp_path / "entities.xml"
    rss.write_text(RSS_091, encoding="latin-1")
    atom.write_text(ATOM_WITH_ENTITIES, encoding="utf-8")
    docs, skipped = read_all(rss, atom)
    assert skipped == []
    assert [d.origin for d in docs] == [f"{rss}#http://oldwire.example/ferry", f"{atom}#urn:1"]
    assert docs[0].title == "Harbour ferry resumes after storm" and BODY in docs[0].raw
    assert docs[0].source == "Old Wire"
    assert "lollol" not in docs[1].raw + docs[1].title
    assert Path("/etc/hostname").read_text().strip() not in docs[1].raw.replace(BODY, "")
    assert BODY in docs[1].raw


def test_duplicate_record_ids_get_distinct_origins_and_a_warning(tmp_path, caplog):
    dump = tmp_path / "dump.jsonl"
    records = [
        {"id": 7, "text": "The harbour ferry resumed service after the storm."},
        {"id": "7", "text": "The new bridge over the river opened on Monday."},
        {"id": 8, "text": "The council voted to extend the night bus service."},
        {"id": 7, "text": "The port authority named a new harbour master."},
    ]
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with caplog.at_level("WARNING", logger="newstrace"):
        docs, skipped = read_all(dump)
    assert skipped == []
    assert [d.origin for d in docs] == [
        f"{dump}#7",
        f"{dump}:2#7",
        f"{dump}#8",
        f"{dump}:4#7",
    ]
    warned = [r.getMessage() for r in caplog.records if "duplicate record id" in r.getMessage()]
    assert len(warned) == 2 and f"{dump}:2" in warned[0] and f"{dump}:1" in warned[0]
    as_json = tmp_path / "dump.json"
    as_json.write_text(json.dumps(records), encoding="utf-8")
    docs, _ = read_all(as_json)
    assert len({d.origin for d in docs}) == 4


@pytest.mark.parametrize("stage", ["reuse", "facts"])
def test_a_story_the_reuse_or_facts_stage_fails_on_does_not_stop_the_run(
    tmp_path, monkeypatch, stage
):
    import newstrace.facts.compare as compare
    import newstrace.reuse.links as links

    module, name = (links, "find_links") if stage == "reuse" else (compare, "extract")
    original = getattr(module, name)

    def failing(documents, *rest):
        if any("Netanyahu" in d.text for d in documents):
            raise RuntimeError(f"{stage} broke")
        return original(documents, *rest)

    monkeypatch.setattr(module, name, failing)
    other = tmp_path / "other.txt"
    other.write_text(
        "Ferry service resumes\nThe harbour ferry resumed service on Tuesday after a "
        "three-day suspension caused by the storm, the port authority said.\n",
        encoding="utf-8",
    )
    report = analyze([*map(str, seed_files()), str(other)], reuse=stage == "reuse")
    assert len(report.documents) == len(seed_files()) + 1
    failed = {s.origin for s in report.skipped}
    assert failed and str(other) not in failed
    assert all(
        s.error.startswith(f"{stage} failed: RuntimeError: {stage} broke") for s in report.skipped
    )
    assert all(d.story for d in report.documents)


@pytest.mark.slow
def test_control_characters_in_article_text_never_reach_the_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n, seed in enumerate(seed_files()[:3]):
        text = seed.read_text(encoding="utf-8").replace("Netanyahu", "Netan\x1b]0;x\x07yahu\x1b[2J")
        (folder / f"{n}.txt").write_text(text, encoding="utf-8")
    run = run_cli("analyze", str(folder), "--json", "r.json", cwd=tmp_path)
    assert run.returncode == 0 and b"\x1b" not in run.stdout + run.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert any("\x1b" in d["text"] for d in report["documents"])  # the report keeps the text
    story = run_cli("story", "s1", "--report", "r.json", cwd=tmp_path)
    assert story.returncode == 0 and b"\x1b" not in story.stdout + story.stderr
    assert "Netan␛]0;x␇yahu␛[2J".encode() in story.stdout
    assert pictured("a\x1b[2J\tb\nc\u202e") == "a␛[2J\tb\nc\ufffd"


def test_an_empty_json_list_is_skipped_by_name(tmp_path):
    """Found by the fuzzer: ``[]`` in a file gave neither a document nor a skip."""
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    docs, skipped = read_all(empty)
    assert docs == [] and [(s.origin, s.error) for s in skipped] == [
        (str(empty), "no records (an empty list)")
    ]


def test_a_partition_keeps_its_other_documents_when_one_fails(tmp_path, monkeypatch):
    """The Dask engine's per-partition work (run here in-process): a document the NLP fails
    on becomes a skip in its place, the others keep their order, ids and feature rows."""
    from newstrace.engine.partitions import plan_partitions
    from newstrace.engine.work import assemble, prepare_partition

    seeds = seed_files()[:3]
    bad = poisoned_document(tmp_path, seeds[0], monkeypatch, "feature extractor broke")
    inputs = [str(seeds[0]), str(bad), *map(str, seeds[1:])]
    partitions = plan_partitions(inputs, 10_000_000)
    prepared = assemble([prepare_partition(p, reuse=False, facts=False) for p in partitions])
    assert [d.origin for d in prepared.documents] == [str(s) for s in seeds]
    assert [d.id for d in prepared.documents] == ["d1", "d2", "d3"]
    assert [(s.origin, s.error) for s in prepared.skipped] == [
        (str(bad), "analysis failed: RuntimeError: feature extractor broke")
    ]
    assert prepared.features is not None and len(prepared.features) == 3
