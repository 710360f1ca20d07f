"""The run's spill file: reuse views and parses on disk give the same links and facts.

``analyze`` on the local engine writes each document's reuse view and packed
parse to a spill file after the NLP (:mod:`newstrace.engine.spill`); the
reports of ``--jobs 1``, ``--jobs 2`` and Dask (which keeps them in memory) are
compared in tests/test_engine_jobs.py and tests/test_engine.py. Here: the
links from spilled views equal those from views in memory, pair by pair; the
handles are what travels; a write that fails is a coded error.
"""

from __future__ import annotations

import errno
import pickle
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from newstrace import pipeline
from newstrace.engine.local import jobs_limit
from newstrace.engine.spill import SpillFile
from newstrace.engine.work import annotate_each
from newstrace.errors import SpillError
from newstrace.ingest import read_inputs
from newstrace.model import Document, Spilled
from newstrace.reuse import links as reuse_links
from newstrace.reuse.links import SpilledPairs, find_links

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"


def _annotated() -> list[Document]:
    from newstrace.engine.work import clean_each

    documents = [d for d in read_inputs([str(SAMPLES), str(SEEDS)]) if isinstance(d, Document)]
    documents, _ = clean_each(documents)
    kept, _, failed = annotate_each([d for d in documents if d.text.strip()], True, True, jobs=1)
    assert not failed
    return kept


@pytest.mark.shared
def test_spilled_views_give_the_links_of_views_in_memory(monkeypatch):
    in_memory = _annotated()
    spilled = pickle.loads(pickle.dumps(in_memory))  # the same annotations, another copy
    chunks: list[object] = []
    link_pairs = reuse_links.link_pairs

    def recorded(chunk):
        chunks.append(chunk)
        return link_pairs(chunk)

    spill = SpillFile()
    try:
        spill.spill(spilled)
        for doc in spilled:
            notes = doc.annotations
            assert notes.reuse is None and notes.parse is None
            assert notes.reuse_digest is not None and notes.reuse_digest.stored is not None
            assert notes.reuse_digest.blob is None and notes.spilled_parse is not None
        expected = [link.to_dict() for link in find_links(in_memory)]
        monkeypatch.setattr(reuse_links, "link_pairs", recorded)
        found = [link.to_dict() for link in find_links(spilled)]
    finally:
        spill.close()
    assert expected and found == expected
    assert chunks and all(isinstance(c, SpilledPairs) for c in chunks)
    # a chunk carries handles and frequencies, not views: a few KB, not the views' tens
    sizes = [len(pickle.dumps(c)) / (2 * len(c)) for c in chunks]  # type: ignore[arg-type]
    views = sum(len(pickle.dumps(d.annotations.reuse)) for d in in_memory) / len(in_memory)
    assert max(sizes) < views / 2
    assert not Path(spill.path).exists()  # removed with its directory


def test_a_spill_write_that_fails_is_a_coded_error(monkeypatch):
    spill = SpillFile()
    try:
        assert spill.write(b"abc") == Spilled(spill.path, 0, 3)
        assert spill.write(b"de").read() == b"de"

        def full(data):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(spill, "_out", type("Full", (), {"write": staticmethod(full)})())
        with pytest.raises(SpillError) as caught:
            spill.write(b"more")
    finally:
        monkeypatch.undo()
        spill.close()
    message = str(caught.value)
    assert message.startswith("[NT410] ") and "No space left on device" in message
    assert "$TMPDIR" in message


@pytest.mark.shared
def test_analyze_stops_with_the_spill_error_not_a_traceback(monkeypatch):
    def full(self, data):
        raise SpillError(self._folder.name, OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(SpillFile, "write", full)
    with jobs_limit(1), pytest.raises(SpillError):
        pipeline.analyze([str(SAMPLES)])


@pytest.mark.shared
def test_a_story_whose_spilled_views_cannot_be_read_is_shown_without_reuse(monkeypatch):
    inputs = [str(SAMPLES), str(SEEDS)]
    with jobs_limit(1):
        good = pipeline.analyze(inputs)
    victim = [max(good.stories, key=lambda s: len(s.reuse)).id]
    group = pipeline.group_stories

    def grouped_then_spoilt(kept, features):
        stories = group(kept, features)
        [story] = [s for s in stories if s.id == victim[0]]
        for doc in kept:
            digest = doc.annotations.reuse_digest
            if doc.id in story.documents and digest is not None and digest.stored is not None:
                digest.stored = Spilled(digest.stored.path, digest.stored.offset, 10**9)
        return stories

    monkeypatch.setattr(pipeline, "group_stories", grouped_then_spoilt)
    with jobs_limit(1):
        spoilt = pipeline.analyze(inputs)
    [story] = [s for s in spoilt.stories if s.id == victim[0]]
    assert story.reuse == []
    assert next(s for s in good.stories if s.id == story.id).reuse
    reasons = [s.error for s in spoilt.skipped if s not in good.skipped]
    assert reasons and all(
        r.startswith("reuse failed: ") and f"story {story.id}" in r for r in reasons
    )


def test_corpus_frequencies_counted_in_parts_are_those_of_the_whole_corpus():
    """The frequencies of each document's sorted distinct hashes, counted a part of the hash
    range at a time and read back from the file, equal one count over every document."""
    from newstrace.reuse.digest import ReuseDigest

    rng = np.random.default_rng(5)
    pool = rng.integers(0, 2**64 - 1, size=400, dtype=np.uint64, endpoint=True)
    pool[:3] = [0, 2**63, 2**64 - 1]  # the ends of the range and a part boundary's neighbourhood
    hashes = [np.unique(rng.choice(pool, size=k)) for k in (0, 1, 30, 80, 200, 5, 0, 120)]
    digests = [
        ReuseDigest(f"d{n}", h, h[:0], np.zeros(4, np.float32), 1) for n, h in enumerate(hashes)
    ]
    values, counts = np.unique(np.concatenate(hashes), return_counts=True)
    expected = [counts[np.searchsorted(values, h)] for h in hashes]
    for per_part in (10_000, 100, 7):
        with SpillFile() as out:
            for digest in digests:
                digest.spill_arrays(out.write)
            arrays = reuse_links.OnDisk(digests, ReuseDigest.grams, 0)
            assert [len(a) for a in arrays] == [len(h) for h in hashes]
            frequencies = reuse_links._corpus_frequencies(arrays, out, per_part)
            assert frequencies is not None
            assert len(frequencies.regions) == -(-sum(map(len, hashes)) // per_part)
            found = [reuse_links.read_counts(frequencies.of(n)) for n in range(len(hashes))]
        assert all(np.array_equal(f, e) for f, e in zip(found, expected))
        for digest, h in zip(digests, hashes):  # back in memory for the next part size
            digest.shingles, digest.words, digest.lead = h, h[:0], np.zeros(4, np.float32)
            digest.arrays = None


def test_a_spilled_digest_keeps_handles_and_reads_its_arrays_back():
    from newstrace.reuse.digest import ReuseDigest

    shingles = np.array([3, 9, 2**64 - 1], dtype=np.uint64)
    words = np.array([1, 2], dtype=np.uint64)
    lead = np.linspace(0, 1, 384, dtype=np.float32)
    digest = ReuseDigest("d1", shingles, words, lead, 42)
    with SpillFile() as out:
        out.write(b"something before")
        digest.spill_arrays(out.write)
        assert digest.shingles is None and digest.words is None and digest.lead is None
        assert np.array_equal(digest.grams(), shingles)
        assert np.array_equal(digest.vocabulary(), words)
        assert np.array_equal(digest.lead_vector(), lead)
        assert len(pickle.dumps(digest)) < 400


@pytest.mark.shared
def test_spilled_views_give_the_links_of_views_in_memory_with_the_hashes_in_parts(monkeypatch):
    in_memory = _annotated()
    spilled = pickle.loads(pickle.dumps(in_memory))
    expected = [link.to_dict() for link in find_links(in_memory)]
    monkeypatch.setattr(reuse_links, "GRAMS_PER_PART", 300)  # some 14 parts of frequencies
    with SpillFile() as spill:
        spill.spill(spilled)
        assert all(d.annotations.reuse_digest.arrays is not None for d in spilled)
        found = [link.to_dict() for link in find_links(spilled)]
    assert expected and found == expected


@pytest.mark.shared
def test_analyze_stops_with_the_spill_error_of_the_frequency_tables(monkeypatch):
    """Reuse's own spill file (the corpus frequencies) failing stops the run with NT410,
    as the run's does; it is not taken for a story's failure."""

    def full(arrays, out):
        raise SpillError(str(Path(out.path).parent), OSError(errno.ENOSPC, "No space left"))

    monkeypatch.setattr(reuse_links, "_corpus_frequencies", full)
    with jobs_limit(1), pytest.raises(SpillError):
        pipeline.analyze([str(SAMPLES), str(SEEDS)])
