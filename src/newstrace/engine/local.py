"""The local engine: read and clean in this process; the per-document NLP on every core.

Reading and cleaning run here, one document after another (a fraction of a
millisecond per text article): a document the cleaner fails on becomes a skip
naming it; a too-long text is cut (:func:`newstrace.nlp.pipeline.bound_length`).

The per-document NLP (:func:`newstrace.engine.work.annotate_each`: the spaCy
parse with its entities, the reuse view with its sentence embeddings, the story
features) costs about 100 ms of CPU per article and each document's result does
not depend on the others, so it runs in a pool of worker *processes* (spaCy and
onnxruntime hold the GIL; threads would not run in parallel), one thread each,
over contiguous chunks of the documents (:func:`newstrace.engine.partitions.document_chunks`).
Each worker loads the models once, when it starts. The chunks' documents and
feature rows are put back in input order, so the report is the one a
single-process run gives, byte for byte.

Inside :func:`local_run` (what ``analyze`` opens) the pool is the run's: it
starts when the NLP first needs it, and after the NLP it stays up for the stories' analysis, the reuse
pair checks and each story's facts (:meth:`WorkerPool.map`, the pipeline's
``WorkMap``), so those run on every core in workers whose models are loaded;
it closes when the run ends, before the report is written.

Inside the run the documents' heavy annotations do not stay in this process:
each chunk's reuse views (digested and pickled by the worker) and packed
parses are written to the run's spill file as the chunk comes back
(:mod:`newstrace.engine.spill`), and the documents keep handles; the pair
checks and each story's facts read them back in the workers. A run whose NLP
stayed here spills the same way once it is done. The file is removed with the run.

How many processes: ``--jobs N`` (:func:`jobs_limit`), else ``$NEWSTRACE_JOBS``,
else the cores this process may run on (``os.sched_getaffinity``). With no
explicit limit, a batch too small to repay starting the workers (fewer than
:data:`MIN_DOCUMENTS_PER_WORKER` per worker) stays in this process; ``--jobs 1``
always does.

One document never stops the batch: a document the NLP raises on is a skip, as
in one process; a worker that dies (a crash, the kernel's OOM killer) breaks
only the chunks in flight, whose documents are then run one at a time in a
one-worker pool, so the document that kills its worker is found and skipped
(``analysis failed: BrokenProcessPool: ...``) and the rest are analysed.
In the stories' analysis a failing item raises in this process as with
``map`` (the pipeline then runs story by story and skips the story at fault),
and a dying worker raises ``BrokenProcessPool`` the same way; the next call
gets a fresh pool.
"""

from __future__ import annotations

import logging
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from newstrace.engine.partitions import document_chunks
from newstrace.engine.spill import SpillFile
from newstrace.engine.work import Prepared, annotate, clean_each, failure, features_each
from newstrace.ingest import read_inputs
from newstrace.model import Document, Skipped
from newstrace.progress import report
from newstrace.stories.features import RawFeatures

Progress = Callable[[str, int, int], None]

JOBS_VARIABLE = "NEWSTRACE_JOBS"
MIN_DOCUMENTS_PER_WORKER = 24
"""Below this many documents per worker an unlimited run stays in one process:
starting a worker and loading its models costs about what the NLP of this many
articles does."""

_jobs: ContextVar[int | None] = ContextVar("newstrace_jobs", default=None)


def prepare_local(inputs: Iterable[str | Path], progress: Progress) -> Prepared:
    """Read and clean ``inputs`` in this process (the pool, if the NLP needs one, starts after)."""
    prepared = Prepared()
    for item in read_inputs(inputs):
        if isinstance(item, Skipped):
            prepared.skipped.append(item)
        else:
            prepared.documents.append(item)
        progress("read", len(prepared.documents), 0)
    progress("read", len(prepared.documents), len(prepared.documents))
    prepared.documents, failed = clean_each(
        prepared.documents, progress=lambda d, t: progress("clean", d, t)
    )
    prepared.skipped.extend(failed.values())
    return prepared


# How many worker processes


def available_cores() -> int:
    """The CPUs this process may run on (its affinity mask, which containers and ``taskset`` narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def jobs_limit(jobs: int | None) -> Iterator[None]:
    """At most ``jobs`` processes for the per-document NLP inside this block (None: no limit set)."""
    token = _jobs.set(jobs)
    try:
        yield
    finally:
        _jobs.reset(token)


def requested_jobs() -> int | None:
    """The limit set by :func:`jobs_limit`, else by ``$NEWSTRACE_JOBS``; None when neither is."""
    jobs = _jobs.get()
    if jobs is None:
        value = os.environ.get(JOBS_VARIABLE, "").strip()
        jobs = int(value) if value.isdigit() else None
    return max(1, jobs) if jobs is not None else None


def pool_size(documents: int, jobs: int | None = None) -> int:
    """Worker processes for ``documents`` documents: 1 means in this process."""
    jobs = jobs if jobs is not None else requested_jobs()
    if jobs is not None:
        return max(1, min(jobs, documents))
    return max(1, min(available_cores(), documents // MIN_DOCUMENTS_PER_WORKER))


# The run's worker pool: the NLP, then the stories' analysis


class WorkerPool:
    """Worker processes (*spawn*, ``start`` run once in each), made when first needed and
    replaced when a dying worker has broken them."""

    def __init__(
        self, workers: int, start: Callable[[], None] | None, renew_after: int | None = None
    ) -> None:
        self.workers = workers
        self.start = start
        self.renew_after = renew_after
        """In :meth:`map`, fresh workers after this many batches each (None: never)."""
        self._executor: ProcessPoolExecutor | None = None
        self._probes: list[Future] = []

    def executor(self) -> ProcessPoolExecutor:
        """The pool's executor, a fresh one if there is none yet or the last one broke."""
        if self._executor is not None and not _usable(self._executor):
            _close(self._executor, stop=True)
            self._executor = None
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=get_context("spawn"), initializer=self.start
            )
        return self._executor

    def launch(self) -> None:
        """Start every worker now, without waiting (the executor starts one per task waiting)."""
        if not self._probes:
            executor = self.executor()
            self._probes = [executor.submit(worker_ready) for _ in range(self.workers)]

    def check(self) -> None:
        """Wait until a worker has started; :class:`PoolUnavailable` if none can."""
        self.launch()
        try:
            ready, _ = wait(self._probes, return_when=FIRST_COMPLETED)
            next(iter(ready)).result()
        except BrokenProcessPool as exc:
            raise PoolUnavailable(
                "the worker processes did not start (a script calling newstrace needs the "
                "'if __name__ == \"__main__\":' guard to use several processes)"
            ) from exc

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        """``function`` over ``items`` on the workers, the results in item order (a ``WorkMap``).

        Consecutive items go in batches, about :data:`BATCHES_PER_WORKER` per
        worker (a big story or reuse chunk does not leave one worker running
        alone at the end; small stories do not each pay a round trip) and at
        most :data:`MAX_BATCH_ITEMS` each. Items are pickled only as workers
        are about to take them (the executor queues one batch ahead per
        worker), so a large corpus's work is never all copied at once; progress
        is reported under the function's name as results come back. With
        ``renew_after``, the batches go in rounds of that many a worker, each
        round on fresh workers. An item that raises raises here, as ``map``
        would; a worker that dies raises ``BrokenProcessPool`` here, and the
        next call gets a fresh pool.
        """
        todo = list(items)
        if not todo:
            return []
        size = min(-(-len(todo) // (BATCHES_PER_WORKER * self.workers)), MAX_BATCH_ITEMS)
        batches = [todo[first : first + size] for first in range(0, len(todo), size)]
        per_round = self.renew_after * self.workers if self.renew_after else len(batches)
        results: list[Any] = []
        name = getattr(function, "__name__", "items")
        for first in range(0, len(batches), per_round):
            if first:
                self.close()  # workers grown over the last round (see ``renew_after``)
            executor = self.executor()
            futures = [
                executor.submit(run_batch, function, b) for b in batches[first : first + per_round]
            ]
            try:
                for future in futures:  # in item order
                    results.extend(future.result())
                    report(name, len(results), len(todo))
            finally:
                for future in futures:
                    future.cancel()
        return results

    def close(self, stop: bool = False) -> None:
        """Shut the workers down (with ``stop``, end busy ones rather than wait for them)."""
        if self._executor is not None:
            _close(self._executor, stop=stop)
        self._executor, self._probes = None, []


BATCHES_PER_WORKER = 4
RENEW_AFTER_DOCUMENTS = 2_000
"""A worker's spaCy vocabulary keeps every new word and string it meets, so a
worker grows with the documents it has parsed or unpacked: at 100k articles
each held about 540 MB a minute into the NLP and 730 MB at its end, and both
stayed alive through grouping (which runs in this process and needs none) and
the stories' analysis (docs/engine.md, "100k, measured"). After an NLP of more
than this many documents a worker, the run closes its workers, and the
stories' analysis starts fresh ones, which load models when first used: a
restart costs a few seconds, under 2% of 2,000 documents' NLP."""
RENEW_AFTER_BATCHES = 200
"""In the stories' analysis, each worker is replaced after this many batches
(at most ``MAX_BATCH_ITEMS`` stories or reuse chunks each: about 9,000
articles' facts at 100k), for the same reason. Only long maps reach it.
Written here, not with ``ProcessPoolExecutor(max_tasks_per_child=...)``,
which hangs on Python 3.11 to 3.13 once a worker has been replaced
(CPython issue 115634)."""
MAX_BATCH_ITEMS = 8
"""A reuse chunk (100 candidate pairs with their documents' views) pickles to a few MB:
eight of them are about what one batch should carry to a worker."""


def run_batch(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """In a worker: ``function`` over a batch of items, in order."""
    return [function(item) for item in items]


class LocalRun:
    """One ``analyze`` run's worker pool on the local engine.

    The pool starts when the per-document NLP first needs it and runs it;
    then the stories' analysis (reuse pair checks, each story's facts) runs in
    the same warm workers through :meth:`work_map`. A run whose NLP stayed in
    this process (a small batch, ``--jobs 1``) keeps ``map`` for the stories, as before.
    """

    def __init__(self, reuse: bool, facts: bool) -> None:
        self.reuse, self.facts = reuse, facts
        self.pool: WorkerPool | None = None
        self._nlp_done = False
        self.spill_file: SpillFile | None = None

    def spill(self, documents: list[Document]) -> None:
        """Write the documents' reuse views and parses to the run's spill file
        (:mod:`newstrace.engine.spill`, made on first use), handles left in their place."""
        if self.spill_file is None:
            self.spill_file = SpillFile()
        self.spill_file.spill(documents)

    def pool_for(self, workers: int) -> WorkerPool:
        """The run's pool (started here with ``workers`` if it is not yet)."""
        if self.pool is None:
            start = partial(start_worker, reuse=self.reuse, facts=self.facts)
            self.pool = WorkerPool(workers, start)
            self.pool.launch()
        return self.pool

    def nlp_done(self, documents: int = 0) -> None:
        """The NLP of ``documents`` ran in the pool; a pool replaced from now on loads
        models only when used. After a large NLP (``RENEW_AFTER_DOCUMENTS``) the
        workers are closed now, and the stories' analysis gets fresh ones."""
        self._nlp_done = True
        if self.pool is not None:
            if documents > RENEW_AFTER_DOCUMENTS * self.pool.workers:
                self.pool.close()
            self.pool.start = partial(start_worker, models=False)
            self.pool.renew_after = RENEW_AFTER_BATCHES

    def work_map(self) -> Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]:
        """Where the stories' analysis runs: the pool's workers if the NLP ran there, else here."""
        if self._nlp_done and self.pool is not None:
            return self.pool.map
        return map

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close(stop=True)
        self.pool, self._nlp_done = None, False
        if self.spill_file is not None:
            self.spill_file.close()
            self.spill_file = None


_run: ContextVar[LocalRun | None] = ContextVar("newstrace_local_run", default=None)


@contextmanager
def local_run(reuse: bool = True, facts: bool = True) -> Iterator[LocalRun]:
    """A :class:`LocalRun` for this block: its pool is used by the NLP and the
    stories' analysis inside it, and closed at its end (before the report is written)."""
    run = LocalRun(reuse, facts)
    token = _run.set(run)
    try:
        yield run
    finally:
        _run.reset(token)
        run.close()


# The per-document NLP in a process pool


@dataclass
class ChunkResult:
    """What a worker gives back for a chunk: analysed documents, their feature rows, failures.

    Positions are indexes into the whole batch, so the parent can put things in order.
    """

    kept: list[tuple[int, Document]] = field(default_factory=list)
    features: RawFeatures | None = None
    failed: list[tuple[int, Skipped]] = field(default_factory=list)


Chunk = tuple[int, list[Document]]  # position of its first document in the batch, its documents
ChunkWork = Callable[[Chunk], ChunkResult]


def annotate_in_pool(
    documents: list[Document], reuse: bool, facts: bool, packed: bool, workers: int
) -> tuple[list[Document], RawFeatures | None, dict[int, Skipped]]:
    """:func:`newstrace.engine.work.annotate_each` over ``documents`` in ``workers`` processes.

    Inside :func:`local_run` the run's pool is used (started here, and kept for
    the stories' analysis); otherwise a pool is started and closed here.
    Returns the analysed documents (copies, back from the workers, with their
    annotations; ``raw`` restored) in input order, their feature rows, and the
    failures keyed by ``id()`` of the documents passed in. Each copy also takes
    its original's place in ``documents`` as its chunk comes back.
    """
    run = _run.get()
    pool = run.pool_for(workers) if run is not None else None
    workers = pool.workers if pool is not None else workers
    chunks = deque(document_chunks(documents, workers))  # emptied as the chunks are taken
    spill = run.spill if run is not None and packed else None
    work = partial(annotate_chunk, reuse=reuse, facts=facts, packed=packed, digest=bool(spill))
    start = partial(start_worker, reuse=reuse, facts=facts)

    def arrived(result: ChunkResult) -> None:
        """Spill the chunk's annotations, and put each copy in its original's place in
        ``documents``: the originals (a second copy of every text) are freed chunk by
        chunk, not when the NLP ends (docs/engine.md, "Growth")."""
        if spill is not None:
            spill([doc for _, doc in result.kept])
        for position, doc in result.kept:
            doc.raw = documents[position].raw
            documents[position] = doc

    try:
        results = run_chunks(chunks, work, workers, start, len(documents), pool, arrived)
    except PoolUnavailable as exc:
        logging.getLogger(__name__).warning("%s; the NLP runs in this process", exc)
        if run is not None:
            run.close()
        return features_each(lambda batch: annotate(batch, reuse, facts, packed), documents)
    if run is not None:
        run.nlp_done(len(documents))
    return gather(documents, results)


class PoolUnavailable(RuntimeError):
    """The worker processes could not start (e.g. a script without the ``__main__`` guard)."""


def worker_ready() -> bool:
    """The first task of a pool: it returns once a worker has started and loaded its models."""
    return True


def start_worker(reuse: bool = True, facts: bool = True, models: bool = True) -> None:
    """Pool initializer: one thread, Ctrl-C left to the parent, code and models loaded once
    (``models=False``: loaded when first used, for a pool restarted after the NLP)."""
    from newstrace.engine.work import warm_models

    os.environ["NEWSTRACE_THREADS"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not models:
        return
    with suppress(
        Exception
    ):  # e.g. a model missing: each document then fails on it as in one process
        warm_models(reuse=reuse, nlp=True, facts=facts)


def annotate_chunk(
    chunk: Chunk, reuse: bool, facts: bool, packed: bool, digest: bool = False
) -> ChunkResult:
    """Runs in a worker: the per-document NLP of one chunk, as in one process.

    With ``digest``, each reuse view goes back as its digest and the view pickled
    (:func:`newstrace.reuse.digest.digest_of`), bytes the parent writes to its
    spill file without unpickling the view."""
    first, documents = chunk
    for doc in documents:
        doc.raw = None  # not used after cleaning; the parent keeps it
    kept, features, failed = features_each(
        lambda batch: annotate(batch, reuse, facts, packed), documents
    )
    if digest and reuse:
        from newstrace.reuse.digest import digest_in_place

        for doc in kept:
            digest_in_place(doc)
    position = {id(doc): first + n for n, doc in enumerate(documents)}
    return ChunkResult(
        [(position[id(doc)], doc) for doc in kept],
        features,
        [(position[key], skip) for key, skip in failed.items()],
    )


def run_chunks(
    chunks: list[Chunk] | deque[Chunk],
    work: ChunkWork,
    workers: int,
    start: Callable[[], None] | None,
    total: int,
    pool: WorkerPool | None = None,
    arrived: Callable[[ChunkResult], None] | None = None,
) -> list[ChunkResult]:
    """``work`` on every chunk in ``pool`` (else a pool of ``workers`` started and closed here);
    chunks a dying worker took down are re-run document by document, one at a time, so the
    document at fault is found. ``pool`` is left running for the caller's next work.
    ``arrived`` sees each chunk's result as it comes back (the run spills its annotations).
    A deque of chunks is taken from as the work goes (nothing keeps a chunk done)."""
    results: list[ChunkResult] = []
    done = [0]

    def finished(result: ChunkResult) -> None:
        if arrived is not None:
            arrived(result)
        results.append(result)
        done[0] += len(result.kept) + len(result.failed)
        report("documents", done[0], total)

    own = pool is None
    pool = pool or WorkerPool(workers, start)
    report("documents", 0, total)
    queue: deque[Chunk] = chunks if isinstance(chunks, deque) else deque(chunks)
    suspects: deque[Chunk] = deque()
    try:
        pool.check()
        while queue:
            for first, documents in _pool_round(queue, work, pool, finished):
                suspects.extend((first + n, [doc]) for n, doc in enumerate(documents))
    finally:
        if own:
            pool.close()
    single = WorkerPool(1, start)  # one worker, one document in flight: a death names its document
    try:
        while suspects:
            for first, documents in _pool_round(suspects, work, single, finished):
                exc = BrokenProcessPool("the worker process died while analysing this document")
                finished(ChunkResult(failed=[(first, failure(documents[0], "analysis", exc))]))
    finally:
        single.close()
    return results


def _pool_round(
    queue: deque[Chunk],
    work: ChunkWork,
    pool: WorkerPool,
    finished: Callable[[ChunkResult], None],
) -> list[Chunk]:
    """Take chunks from ``queue`` into ``pool``, one in flight per worker, until the queue is
    empty or a worker dies; returns the chunks that did not come back (the pool's last).

    A pool broken by a dying worker is replaced by a fresh one at its next use."""
    lost: list[Chunk] = []
    executor = pool.executor()
    in_flight: dict[Future, Chunk] = {}
    try:
        while queue or in_flight:
            while queue and len(in_flight) < pool.workers:
                chunk = queue.popleft()
                in_flight[executor.submit(work, chunk)] = chunk
            ready, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in ready:
                chunk = in_flight.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    lost.append(chunk)
                except Exception:  # the chunk's result did not come back (e.g. unpicklable)
                    lost.append(chunk)
                else:
                    finished(result)  # its error (the spill file cannot be written) ends the run
            if lost and not _usable(executor):
                lost.extend(in_flight.values())
                in_flight.clear()
                break
    except BaseException:  # an error (or Ctrl-C) is on its way out: end the busy workers
        pool.close(stop=True)
        raise
    return lost


def _usable(pool: ProcessPoolExecutor) -> bool:
    return not getattr(pool, "_broken", False)


def _close(pool: ProcessPoolExecutor, stop: bool) -> None:
    """Shut the pool down; with ``stop``, end workers still busy rather than wait for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    if not stop:
        pool.shutdown(wait=True)
        return
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join()


def gather(
    documents: list[Document], results: list[ChunkResult]
) -> tuple[list[Document], RawFeatures | None, dict[int, Skipped]]:
    """The chunks' documents and feature rows in input order, failures keyed by the originals."""
    results = sorted(results, key=lambda r: min([p for p, _ in r.kept + r.failed], default=0))
    kept: list[Document] = []
    for result in results:
        for position, doc in result.kept:
            doc.raw = documents[position].raw
            kept.append(doc)
    failed = {id(documents[p]): skip for r in results for p, skip in r.failed}
    parts = [r.features for r in results if r.features is not None and len(r.kept)]
    return kept, RawFeatures.stack(parts) if parts else None, failed
