"""The Dask engine: read, clean and annotate partitions on a dask.distributed cluster.

Partitions (:mod:`newstrace.engine.partitions`) go to the workers with
``Client.submit``, one task each, a few per worker in flight (partitions are
planned lazily: a compressed dump is decompressed only as fast as workers
take it); results come back as they finish (``as_completed``, which takes
the next submissions too) and are put in input order on the client
(:func:`newstrace.engine.work.assemble`), which then groups the stories.

The stories' analysis runs on the workers too (:func:`task_map`, the
pipeline's ``WorkMap``): reuse pair checks in chunks of candidate pairs and
each story's facts are work items, small consecutive ones batched into one
task, scattered straight to the workers; the client generates the
candidates, explains links away, merges stories and collects results in order.

Without a scheduler address a ``LocalCluster`` is started for the run: one
single-threaded worker *process* per core (spaCy and onnxruntime are CPU-bound
and hold the GIL for long stretches, so threads would not run in parallel),
no dashboard, only errors logged, and closed when the run ends. A
``WorkerPlugin`` loads the models once per worker when it starts, not per task.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newstrace.engine.partitions import iter_partitions, partition_budget
from newstrace.engine.work import (
    PartitionResult,
    Prepared,
    assemble,
    prepare_partition,
    warm_models,
)
from newstrace.errors import SchedulerError

Progress = Callable[[str, int, int], None]
PLUGIN_NAME = "newstrace-models"
IN_FLIGHT_PER_WORKER = 4


def _model_plugin(reuse: bool, nlp: bool = True, facts: bool = True):
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelLoader(WorkerPlugin):
        """Loads spaCy and the embedding model when a worker starts (once per process)."""

        def __init__(self, reuse: bool, nlp: bool, facts: bool):
            self.reuse = reuse
            self.nlp = nlp
            self.facts = facts

        def setup(self, worker) -> None:
            warm_models(self.reuse, self.nlp, self.facts)

    return ModelLoader(reuse, nlp, facts)


def local_workers() -> int:
    """One worker process per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """A client on ``scheduler``, or on a LocalCluster started (and closed) here."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="5s")
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {scheduler}: {' '.join(str(exc).split())[:200]}"
            ) from exc
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers or local_workers(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def task_map(client) -> Callable[[Callable, Iterable], list]:
    """A ``map`` on the cluster: consecutive items batched into tasks, the results in item order.

    Items are pickled here and batched (:func:`batches`) up to
    :data:`BATCH_BYTES`, so that many small items (most stories' facts) do not
    each pay a scatter round trip and a task, while a big item (a reuse chunk
    with its documents' sentence embeddings) stays a task of its own. Each
    batch is scattered to the workers (not embedded in the task graph, which
    goes through the scheduler; not hashed: its content decides nothing
    here), a few per worker at a time as earlier tasks finish, and each batch
    and result is let go on the cluster as soon as the result is here, so the
    cluster never holds all the work at once. Task keys are named after
    ``function`` (the task stream shows what ran). A task that raises raises
    here, as ``map`` would.
    """
    from distributed import as_completed

    def run(function: Callable, items: Iterable) -> list:
        todo = list(items)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        most = max(1, -(-len(todo) // (2 * workers)))  # at least two batches per worker
        results: list = [None] * len(todo)
        inputs: dict[str, Any] = {}  # task key: its scattered batch
        position: dict[str, int] = {}  # task key: its first item's position
        name = getattr(function, "__name__", "task")

        def submit(batch: tuple[int, list[bytes]]):
            first, blobs = batch
            [scattered] = client.scatter([blobs], hash=False)
            future = client.submit(
                run_batch, function, scattered, key=f"{name}-{uuid.uuid4().hex}", pure=False
            )
            inputs[future.key], position[future.key] = scattered, first
            return future

        pending = batches(todo, BATCH_BYTES, most)
        running = as_completed(
            [submit(b) for b in itertools.islice(pending, IN_FLIGHT_PER_WORKER * workers)]
        )
        try:
            for future in running:
                following = next(pending, None)
                if following is not None:
                    running.add(submit(following))
                found = future.result()
                first = position.pop(future.key)
                results[first : first + len(found)] = found
                future.release()
                inputs.pop(future.key).release()
        finally:
            client.cancel(list(inputs.values()))  # what is left after a failure
        return results

    return run


BATCH_BYTES = 1_000_000
"""A task's pickled items: enough that a small story's facts share a task with their
neighbours; one reuse chunk (100 pairs with their views) is already more, so it stays alone."""


def batches(items: list, budget: int, most: int) -> Iterator[tuple[int, list[bytes]]]:
    """Consecutive items pickled and grouped up to ``budget`` bytes and ``most`` items a batch.

    Each batch comes with its first item's position. An item over the budget
    is a batch of its own. Items are pickled only as batches are taken, so
    the client holds the pickles of the batches in flight, not of all work.
    """
    batch: list[bytes] = []
    first = size = 0
    for n, item in enumerate(items):
        blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        if batch and (size + len(blob) > budget or len(batch) >= most):
            yield first, batch
            batch, first, size = [], n, 0
        batch.append(blob)
        size += len(blob)
    if batch:
        yield first, batch


def run_batch(function: Callable, blobs: list[bytes]) -> list:
    """On a worker: ``function`` over a batch's items, in order."""
    return [function(pickle.loads(blob)) for blob in blobs]


def prepare_on_dask(
    inputs: Iterable[str | Path],
    client,
    *,
    reuse: bool = True,
    progress: Progress | None = None,
    partition_bytes: int | None = None,
    nlp: bool = True,
    facts: bool = True,
) -> Prepared:
    """Read, clean and annotate ``inputs`` partition by partition on ``client``'s workers.

    ``nlp=False`` reads and cleans only (the stages then run their NLP on the client).
    """
    from distributed import as_completed

    progress = progress or (lambda stage, done, total: None)
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    budget = partition_bytes or partition_budget(inputs, workers)
    partitions = iter_partitions(inputs, budget)
    client.register_plugin(_model_plugin(reuse, nlp, facts), name=PLUGIN_NAME)

    def submit(partition):
        return client.submit(
            prepare_partition, partition, reuse=reuse, nlp=nlp, facts=facts, pure=False
        )

    running = as_completed(
        [submit(p) for p in itertools.islice(partitions, IN_FLIGHT_PER_WORKER * workers)]
    )
    results: list[PartitionResult] = []
    documents = 0
    progress("read", 0, 0)
    for future in running:
        following = next(partitions, None)
        if following is not None:
            running.add(submit(following))
        result = future.result()
        results.append(result)
        documents += sum(
            1 for _, items in result.entries for item in items if not hasattr(item, "error")
        )
        progress("read", documents, 0)
        future.release()
    progress("read", documents, documents)
    progress("clean", documents, documents)
    return assemble(results)
