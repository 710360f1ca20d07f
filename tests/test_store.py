"""The stored corpus, through the real ``newstrace`` command in real processes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import SEEDS, newstrace

from newstrace.report import validate_report
from newstrace.store import Corpus

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"


def stored(url: str) -> list[tuple[str, str, str]]:
    """(origin, story, hash) of every stored document."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [
                tuple(row)
                for row in conn.execute(
                    sa.text("SELECT origin, story, hash FROM documents ORDER BY seq")
                )
            ]
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_runs(request, tmp_path_factory, new_store_url):
    """Seeds, then the samples, then the seeds again: into the default db of a fresh folder, or PostgreSQL."""
    folder = tmp_path_factory.mktemp("store")
    if request.param == "sqlite":
        url, db = f"sqlite:///{folder / 'newstrace.db'}", []  # the default store, no --db
    else:
        url = new_store_url("postgresql", folder)
        db = ["--db", url]
    seeds_run = newstrace("ingest", str(SEEDS), *db, cwd=folder)
    after_seeds = stored(url)
    samples_run = newstrace("ingest", str(SAMPLES), *db, cwd=folder)
    after_samples = stored(url)
    again = newstrace("ingest", str(SEEDS), *db, cwd=folder)
    return folder, url, (seeds_run, samples_run, again), (after_seeds, after_samples, stored(url))


@pytest.mark.slow
def test_reingesting_adds_nothing_and_keeps_the_seed_stories(corpus_runs):
    _folder, _url, runs, snapshots = corpus_runs
    assert [run.returncode for run in runs] == [0, 0, 0], [run.stderr for run in runs]
    after_seeds, after_samples, after_again = snapshots
    assert len(after_seeds) == len(list(SEEDS.iterdir()))
    assert len(after_samples) > len(after_seeds)
    assert after_again == after_samples
    assert len({h for _, _, h in after_again}) == len(after_again)
    assert after_samples[: len(after_seeds)] == after_seeds  # the seeds' stories did not move
    assert runs[2].stdout.startswith("added 0 article(s)")


def test_stories_lists_every_stored_story(corpus_runs):
    folder, url, _, snapshots = corpus_runs
    listed = newstrace("stories", "--db", url, cwd=folder)
    assert listed.returncode == 0, listed.stderr
    for story in {s for _, s, _ in snapshots[-1]}:
        assert f" {story} " in listed.stdout


def test_export_is_a_valid_report_of_the_stored_corpus(corpus_runs):
    folder, url, _, snapshots = corpus_runs
    run = newstrace("export", "--json", "out.json", "--db", url, cwd=folder)
    assert run.returncode == 0, run.stderr
    report = json.loads((folder / "out.json").read_text(encoding="utf-8"))
    validate_report(report)
    assert sorted(d["origin"] for d in report["documents"]) == sorted(
        o for o, _, _ in snapshots[-1]
    )
    assert any(story["facts"] for story in report["stories"])


@pytest.mark.slow
def test_two_processes_ingesting_at_once_store_each_article_once(tmp_path, db_url):
    url = db_url
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "newstrace.cli", "ingest", str(source), "--db", url],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for source in (SEEDS, SAMPLES)
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    rows = stored(url)
    assert len(rows) == len({h for _, _, h in rows})
    with Corpus(url) as corpus:
        assert sum(s["articles"] for s in corpus.stories()) == len(rows)
        assert {d.story for d in corpus.documents()} == {s["id"] for s in corpus.stories()}


def test_a_new_sqlite_store_opens_while_another_process_writes_to_the_file(tmp_path):
    """Two ingests creating one store: the second must wait for the first's write lock, not fail.

    SQLite refuses the switch to WAL at once (no busy handler) while another
    connection holds a write lock in the file's initial rollback mode; this
    failed a CI run with "database is locked". The other process stands for
    another newstrace creating the store (a table of another program would be
    refused as not a newstrace store).
    """
    path = tmp_path / "store.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    opened: list = []
    opening = threading.Thread(target=lambda: opened.append(Corpus(str(path))))
    opening.start()
    time.sleep(0.5)
    writer.execute("COMMIT")
    writer.close()
    opening.join(timeout=60)
    assert opened, "the store did not open after the other writer committed"
    assert opened[0].stories() == []
    opened[0].close()


def test_reading_a_store_that_does_not_exist_is_an_error_not_a_new_file(tmp_path):
    run = newstrace("stories", "--db", "nowhere.db", cwd=tmp_path)
    assert run.returncode == 1 and "nowhere.db" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "nowhere.db").exists()


@pytest.mark.slow
def test_ingesting_nothing_readable_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    run = newstrace(
        "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"), cwd=tmp_path
    )
    assert run.returncode == 1
    assert "missing.txt" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_an_article_joining_a_stored_story_embeds_only_its_own_sentences(
    tmp_path, db_url, monkeypatch
):
    """Stored members keep their sentence embeddings and parses; the results equal one ingest of all four."""
    import newstrace.facts.extract
    import newstrace.nlp
    import newstrace.nlp.parse
    from newstrace.reuse.text import reuse_view

    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir(), later.mkdir()
    seeds = sorted(SEEDS.glob("00[0-3]_*.txt"))
    for path in seeds[:3]:
        (first / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (later / seeds[3].name).write_text(seeds[3].read_text(encoding="utf-8"), encoding="utf-8")
    embedded: list[str] = []
    real_embed = newstrace.nlp.embed
    monkeypatch.setattr(
        newstrace.nlp, "embed", lambda texts: embedded.extend(texts) or real_embed(texts)
    )
    parsed: list[str] = []
    real_pipe = newstrace.nlp.parse.pipe
    for module in (newstrace.nlp.parse, newstrace.facts.extract):  # every spaCy parse
        monkeypatch.setattr(
            module, "pipe", lambda docs: parsed.extend(d.origin for d in docs) or real_pipe(docs)
        )

    with Corpus(db_url) as corpus:
        corpus.ingest([first])
        embedded.clear(), parsed.clear()
        corpus.ingest([later])
        documents = corpus.documents()
        report = corpus.export_report()
    parsed_by_ingest = list(parsed)  # the views below parse the documents read back
    # the reuse views' sentences (from each document's parse), as the store's were
    sentences = {d.origin: set(reuse_view(d).sentences) for d in documents}
    new_sentences = sentences.pop(str(later / seeds[3].name))
    old_sentences = set().union(*sentences.values())
    new_doc = next(d for d in documents if d.origin == str(later / seeds[3].name))
    view = reuse_view(new_doc)
    # content sentences are embedded (furniture and short lines are never compared)
    assert {s for s, keep in zip(view.sentences, view.content) if keep} <= set(embedded)
    assert not (set(embedded) & old_sentences) - new_sentences
    assert parsed_by_ingest == [str(later / seeds[3].name)]

    at_once = tmp_path / "at_once"
    at_once.mkdir()
    for folder in (first, later):
        for path in folder.iterdir():
            (at_once / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with Corpus(f"sqlite:///{tmp_path / 'at_once.db'}") as corpus:
        corpus.ingest([at_once])
        assert _results(report) == _results(corpus.export_report())


def _results(report) -> tuple[list, list]:
    """Reuse links and facts, documents named by file."""
    names = {d.id: Path(d.origin).name for d in report.documents}
    links = sorted(
        (names[link.derived], names[link.origin], link.kind, link.score)
        for story in report.stories
        for link in story.reuse
    )
    facts = sorted(
        (fact.kind, fact.verdict, tuple((names[s.doc], s.span, s.text) for s in fact.statements))
        for story in report.stories
        for fact in story.facts
    )
    return links, facts
