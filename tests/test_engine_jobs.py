"""The local engine on several processes gives what it gives on one, and survives bad documents.

The report test runs the command twice (``--jobs 1`` and ``--jobs 2``) on the
samples and the seeds; the others drive the pool with stand-in work (no
models), so a worker that dies and a document that fails are cheap to stage.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

from newstrace.engine.local import (
    JOBS_VARIABLE,
    MIN_DOCUMENTS_PER_WORKER,
    ChunkResult,
    available_cores,
    gather,
    jobs_limit,
    pool_size,
    run_chunks,
)
from newstrace.engine.partitions import MAX_CHUNK_DOCUMENTS, document_chunks
from newstrace.model import Document, Skipped
from newstrace.progress import reporting

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
def test_jobs_2_report_is_byte_identical_to_jobs_1(tmp_path):
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        run = subprocess.run(
            [sys.executable, "-m", "newstrace.cli", "analyze", str(SAMPLES), str(SEEDS),
             str(tmp_path / "missing.txt"), "--jobs", jobs, "--json", str(out)],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        reports[jobs] = out.read_bytes()
        if jobs == "2":
            assert "nlp: documents" in run.stderr  # progress from the pool
    assert reports["1"] == reports["2"]
    report = json.loads(reports["2"])
    assert any("missing.txt" in skip["origin"] for skip in report["skipped"])


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
