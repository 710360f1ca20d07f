"""The local engine on several processes gives what it gives on one, and survives bad documents.

The report test runs ``analyze`` with one process, with two (the NLP, the
reuse pair checks and the facts in the pool) and on Dask, on the samples and
the seeds; a story whose facts fail in a worker (a spoilt parse) is the only
one left without them. The others drive the pool with stand-in work (no
models), so a worker that dies and a document or story that fails are cheap to stage.
"""

import json
import os
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from conftest import SEEDS

from newstrace import pipeline
from newstrace.engine.local import (
    JOBS_VARIABLE,
    MIN_DOCUMENTS_PER_WORKER,
    RENEW_AFTER_BATCHES,
    RENEW_AFTER_DOCUMENTS,
    ChunkResult,
    LocalRun,
    WorkerPool,
    available_cores,
    gather,
    jobs_limit,
    pool_size,
    run_chunks,
)
from newstrace.engine.partitions import MAX_CHUNK_DOCUMENTS, document_chunks
from newstrace.model import Document, Skipped, Spilled, Story
from newstrace.pipeline import analyze
from newstrace.progress import reporting
from newstrace.stories import group_stories

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"


def documents(texts: list[str]) -> list[Document]:
    return [Document(id=f"d{n}", origin=f"f{n}.txt", text=text) for n, text in enumerate(texts, 1)]


def stand_in_work(chunk: tuple[int, list[Document]]) -> ChunkResult:
    """Runs in a worker: 'CRASH' kills the process, 'BAD' fails as the NLP would, others pass."""
    first, docs = chunk
    result = ChunkResult()
    for n, doc in enumerate(docs):
        if "CRASH" in doc.text:
            os._exit(3)
        if "BAD" in doc.text:
            result.failed.append((first + n, Skipped(doc.origin, "analysis failed: ValueError")))
        else:
            doc.title = f"seen by {os.getpid()}"
            result.kept.append((first + n, doc))
    return result


@pytest.mark.shared
def test_jobs_1_jobs_2_and_dask_reports_are_byte_identical(tmp_path, monkeypatch):
    inputs = [str(SAMPLES), str(SEEDS), str(tmp_path / "missing.txt")]
    with jobs_limit(1):
        one = analyze(inputs).to_json()
    ran, events = spy_pool_maps(monkeypatch), []
    with jobs_limit(2):
        two = analyze(inputs, progress=lambda step, done, total: events.append(step)).to_json()
    assert "nlp: documents" in events  # the NLP ran in the pool...
    assert {"link_pairs", "facts_of_story"} <= set(ran)  # ...and so did reuse and facts
    out = tmp_path / "dask.json"
    run = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "analyze", *inputs, "--engine", "dask",
         "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert one == two == out.read_text(encoding="utf-8")
    report = json.loads(two)
    assert any(story["facts"] for story in report["stories"])
    assert any(story["reuse"] for story in report["stories"])
    assert any("missing.txt" in skip["origin"] for skip in report["skipped"])


def spy_pool_maps(monkeypatch) -> list[str]:
    """The names of the functions run through a worker pool's ``map`` from now on."""
    ran: list[str] = []
    pool_map = WorkerPool.map

    def recorded(self, function, items):
        ran.append(function.__name__)
        return pool_map(self, function, items)

    monkeypatch.setattr(WorkerPool, "map", recorded)
    return ran


@pytest.mark.shared
def test_a_story_whose_facts_fail_in_a_worker_is_skipped_with_its_reason(monkeypatch):
    inputs = [str(SAMPLES), str(SEEDS)]
    with jobs_limit(1):
        good = analyze(inputs)
    ran = spy_pool_maps(monkeypatch)
    victim: list[str] = []

    def grouped_then_spoilt(kept, features):
        stories = group_stories(kept, features)
        story = max(stories, key=lambda s: len(s.documents))
        victim.append(story.id)
        for doc in kept:
            if doc.id in story.documents:
                spilled = doc.annotations.spilled_parse
                assert spilled is not None and doc.annotations.parse is None  # on disk
                # a handle past the end of the spill file: reading it back raises
                doc.annotations.spilled_parse = Spilled(spilled.path, spilled.offset, 10**9)
        return stories

    monkeypatch.setattr(pipeline, "group_stories", grouped_then_spoilt)
    with jobs_limit(2):
        spoilt = analyze(inputs)
    assert ran.count("facts_of_story") > 1  # the batch failed in a worker, then story by story
    [story] = [s for s in spoilt.stories if s.id == victim[0]]
    assert story.facts == []  # shown without facts
    assert next(s for s in good.stories if s.id == story.id).facts  # which it has otherwise
    reasons = {s.origin: s.error for s in spoilt.skipped if s not in good.skipped}
    origins = {d.origin for d in spoilt.documents if d.id in story.documents}
    assert set(reasons) == origins
    assert all(
        r.startswith("facts failed: ") and f"story {story.id}" in r for r in reasons.values()
    )
    others = [s.to_dict() for s in spoilt.stories if s.id != story.id]
    assert others == [s.to_dict() for s in good.stories if s.id != story.id]


def die_on_crash(item: str) -> str:
    """Runs in a worker: 'CRASH' kills the process, 'BAD' raises, others come back upper-cased."""
    if item == "CRASH":
        os._exit(3)
    if item == "BAD":
        raise ValueError("bad item")
    return item.upper()


def test_pool_map_keeps_order_raises_as_map_and_survives_a_dying_worker():
    pool = WorkerPool(2, None)
    try:
        items = [f"item {n}" for n in range(30)]
        assert pool.map(die_on_crash, items) == [item.upper() for item in items]
        assert pool.map(die_on_crash, []) == []
        with pytest.raises(ValueError, match="bad item"):
            pool.map(die_on_crash, ["a", "BAD", "c"])
        with pytest.raises(BrokenProcessPool):
            pool.map(die_on_crash, ["a", "CRASH", "c"])
        assert pool.map(die_on_crash, ["after"]) == ["AFTER"]  # a fresh pool
    finally:
        pool.close()


def item_and_worker(item: str) -> tuple[str, int]:
    """Runs in a worker: the item and the process that ran it."""
    return item, os.getpid()


def test_a_long_map_goes_on_in_fresh_workers_after_renew_after_batches():
    items = [f"item {n}" for n in range(40)]  # 5 batches of 8 for one worker
    for renew_after, workers_seen in ((None, 1), (2, 3)):
        pool = WorkerPool(1, None, renew_after=renew_after)
        try:
            results = pool.map(item_and_worker, items)
        finally:
            pool.close()
        assert [item for item, _ in results] == items
        assert len({pid for _, pid in results}) == workers_seen


def test_a_story_that_kills_its_worker_is_skipped_and_the_others_go_on():
    docs = documents(["one", "two", "CRASH three", "four"])
    for doc in docs:
        doc.story = f"s{doc.id}"
    stories = [Story(id=f"s{doc.id}", title=doc.text, documents=[doc.id]) for doc in docs]
    skipped: list[Skipped] = []

    def titles_on_workers(kept, batch, work_map):
        texts = [next(d.text for d in kept if d.id in s.documents) for s in batch]
        for story, text in zip(batch, work_map(die_on_crash, [t.split()[0] for t in texts])):
            story.title = text

    pool = WorkerPool(2, None)
    try:
        pipeline._story_by_story(titles_on_workers, "facts", docs, stories, skipped, pool.map)
    finally:
        pool.close()
    assert [s.title for s in stories] == ["ONE", "TWO", "CRASH three", "FOUR"]
    [skip] = skipped
    assert skip.origin == docs[2].origin
    assert skip.error.startswith("facts failed: BrokenProcessPool")


def test_a_dying_worker_and_a_failing_document_do_not_stop_the_batch():
    texts = [f"article {n}" for n in range(12)]
    texts[3] = "CRASH here"
    texts[8] = "BAD text"
    docs = documents(texts)
    chunks = [(first, docs[first : first + 2]) for first in range(0, 12, 2)]
    events = []
    with reporting(lambda step, done, total: events.append((step, done, total))):
        results = run_chunks(chunks, stand_in_work, 2, None, len(docs))
    kept, _, failed = gather(docs, results)
    assert [doc.id for doc in kept] == [d.id for n, d in enumerate(docs) if n not in (3, 8)]
    assert all(doc.title.startswith("seen by") for doc in kept)
    assert "BrokenProcessPool" in failed[id(docs[3])].error
    assert failed[id(docs[8])].error == "analysis failed: ValueError"
    assert events[-1] == ("documents", 12, 12)


def test_document_chunks_cover_the_batch_in_order():
    docs = documents(["x" * (50 + 30 * (n % 7)) for n in range(300)])
    chunks = list(document_chunks(docs, 2))
    assert [doc for _, part in chunks for doc in part] == docs
    assert [first for first, _ in chunks] == [
        sum(len(part) for _, part in chunks[:n]) for n in range(len(chunks))
    ]
    assert len(chunks) >= 8 and max(len(part) for _, part in chunks) <= MAX_CHUNK_DOCUMENTS


def test_pool_size_follows_jobs_then_environment_then_cores(monkeypatch):
    monkeypatch.delenv(JOBS_VARIABLE, raising=False)
    assert pool_size(1000, jobs=1) == 1
    assert pool_size(3, jobs=4) == 3  # never more processes than documents
    with jobs_limit(2):
        assert pool_size(1000) == 2
    monkeypatch.setenv(JOBS_VARIABLE, "1")
    assert pool_size(1000) == 1
    monkeypatch.delenv(JOBS_VARIABLE)
    assert pool_size(1000) == min(available_cores(), 1000 // MIN_DOCUMENTS_PER_WORKER)
    assert pool_size(MIN_DOCUMENTS_PER_WORKER) == 1  # a small batch stays in this process


def test_jobs_must_be_positive():
    run = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "analyze", str(SAMPLES), "--jobs", "0"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 2


def test_the_run_keeps_its_pool_for_the_stories_only_if_the_nlp_ran_there(monkeypatch):
    launched: list[int] = []
    monkeypatch.setattr(WorkerPool, "launch", lambda self: launched.append(self.workers))
    run = LocalRun(reuse=True, facts=True)
    assert run.pool is None and run.work_map() is map
    run.pool_for(2)
    assert launched == [2]
    assert run.work_map() is map  # the NLP has not run in the pool: stories stay here
    closed: list[int] = []
    monkeypatch.setattr(WorkerPool, "close", lambda self, stop=False: closed.append(self.workers))
    run.nlp_done(RENEW_AFTER_DOCUMENTS * 2)
    assert closed == []  # a small NLP: the same workers go on
    assert run.pool is not None and run.work_map() == run.pool.map
    assert run.pool.renew_after == RENEW_AFTER_BATCHES
    run.nlp_done(RENEW_AFTER_DOCUMENTS * 2 + 1)
    assert closed == [2]  # grown workers are not kept through grouping
    assert run.work_map() == run.pool.map  # the stories' analysis gets fresh ones
    run.close()
    assert run.pool is None and run.work_map() is map
