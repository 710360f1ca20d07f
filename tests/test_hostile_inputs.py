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
import sys
from pathlib import Path

import pytest

from newstrace.ingest.names import original_name, shown_name
from newstrace.pipeline import analyze
from newstrace.store import Corpus

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


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


def test_a_document_the_nlp_fails_on_is_skipped_and_named(tmp_path, monkeypatch):
    import newstrace.stories.features as features

    seeds = seed_files()
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "Poison headline\n" + seeds[0].read_text(encoding="utf-8").replace("the", "POISON"),
        encoding="utf-8",
    )
    extract = features.extract

    def failing_extract(documents):
        if any("POISON" in d.text for d in documents):
            raise RuntimeError("feature extractor broke\non two lines")
        return extract(documents)

    monkeypatch.setattr(features, "extract", failing_extract)
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
    return subprocess.run(
        [sys.executable, "-m", "newstrace.cli", *args],
        cwd=cwd,
        capture_output=True,
        timeout=300,
    )


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
